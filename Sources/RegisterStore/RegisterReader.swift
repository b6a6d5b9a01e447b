import Foundation
import GRDB
import Ledger

/// Read access to one consistent snapshot of the register: entries, tree, checkpoints,
/// projections. Obtained from `RegisterStore.read` or `RegisterWriter.reader`.
public struct RegisterReader {
    let db: Database
    /// Set inside a write transaction holding the register key: the projection rows a
    /// decision reads are then checked against their tags.
    var authenticator: ProjectionAuthenticator? = nil

    /// The origin chosen at `init`, e.g. `ripa.example-council.gov.uk/register`.
    public func origin() throws -> String {
        guard let origin = try meta("origin") else {
            throw StoreError(.corrupt, "the register has no origin recorded")
        }
        return origin
    }

    /// A value from `register_meta`.
    public func meta(_ key: String) throws -> String? {
        var query = FastStatement(try db.cachedStatement(sql: "SELECT value FROM register_meta WHERE key = ?"))
        query.bind(key)
        return try query.fetchOne(db) { $0.text(0) }
    }

    /// A projected value from `register_meta` (the pack in force, the verifier key), its tag
    /// checked when this reader holds the register key.
    ///
    /// - Throws: `StoreError.projectionTampered` if the row was changed outside the register.
    public func authenticatedMeta(_ key: String) throws -> String? {
        guard let authenticator else { return try meta(key) }
        var query = FastStatement(try db.cachedStatement(sql: "SELECT value, mac FROM register_meta WHERE key = ?"))
        query.bind(key)
        guard let (value, mac) = try query.fetchOne(db, { ($0.text(0), $0.isNull(1) ? nil : $0.blob(1)) }) else { return nil }
        try authenticator.check(.meta, [.text(key), .text(value)], tag: mac, row: "the register's \(key)")
        return value
    }

    /// The number of entries stored.
    public func size() throws -> UInt64 {
        let last = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT MAX(seq) FROM entries"))
        return last.map { UInt64($0) + 1 } ?? 0
    }

    /// The last entry, parsed, or nil for an empty register.
    public func lastEntry() throws -> Entry? {
        try lastLeaf().map { try Entry(leafData: $0.leaf) }
    }

    /// The last entry's seq and stored bytes, or nil for an empty register.
    func lastLeaf() throws -> (seq: UInt64, leaf: [UInt8])? {
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT seq, leaf FROM entries ORDER BY seq DESC LIMIT 1")) else {
            return nil
        }
        return (UInt64(row[0] as Int64), [UInt8](row[1] as Data))
    }

    /// The stored bytes of entry `seq` (its leaf data), or nil.
    public func leafData(at seq: UInt64) throws -> [UInt8]? {
        var query = FastStatement(try db.cachedStatement(sql: "SELECT leaf FROM entries WHERE seq = ?"))
        query.bind(Int64(seq))
        return try query.fetchOne(db) { $0.blob(0) }
    }

    /// Entry `seq`, parsed.
    ///
    /// - Throws: `StoreError.outOfRange` beyond the log; `LedgerError` if its bytes are not an entry.
    public func entry(at seq: UInt64) throws -> Entry {
        guard let leaf = try leafData(at: seq) else {
            throw StoreError(.outOfRange, "there is no entry \(seq); the register holds \(try size()) entries")
        }
        return try Entry(leafData: leaf)
    }

    /// Up to `limit` stored leaves with `seq >= from`, in order, as `(seq, leaf data)`.
    /// Gaps are not filled in: a verifier must notice them.
    public func leaves(from: UInt64, limit: Int) throws -> [(seq: UInt64, leaf: [UInt8])] {
        let rows = try Row.fetchCursor(try db.cachedStatement(sql: "SELECT seq, leaf FROM entries WHERE seq >= ? ORDER BY seq LIMIT ?"),
            arguments: [Int64(from), limit])
        var result: [(seq: UInt64, leaf: [UInt8])] = []
        result.reserveCapacity(limit)
        while let row = try rows.next() {
            let seq: Int64 = row[0]
            // One copy, straight from SQLite's buffer (not through an intermediate `Data`): the
            // verifier reads every leaf this way.
            let leaf = try row.withUnsafeData(atIndex: 1) { [UInt8]($0 ?? Data()) }
            result.append((UInt64(seq), leaf))
        }
        return result
    }

    /// Entries with the given kind, in order (a projection-free scan for reports).
    public func entries(kind: String) throws -> [Entry] {
        let rows = try Data.fetchAll(try db.cachedStatement(sql: "SELECT leaf FROM entries WHERE kind = ? ORDER BY seq"), arguments: [kind])
        return try rows.map { try Entry(leafData: [UInt8]($0)) }
    }

    /// The latest signed checkpoint exactly as stored, or nil for an empty register.
    public func latestCheckpoint() throws -> String? {
        try String.fetchOne(try db.cachedStatement(sql: "SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1"))
    }

    /// Every stored checkpoint as `(size, note)`, oldest first.
    public func checkpoints() throws -> [(size: UInt64, note: String)] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT size, note FROM checkpoints ORDER BY size")).map {
            (UInt64($0[0] as Int64), $0[1] as String)
        }
    }

    /// The hash of a complete subtree from the stored tree. A leaf's hash (level 0) is not
    /// stored twice: it is the hash of the entry's leaf data.
    public func nodeHash(_ id: NodeID) throws -> Hash {
        if id.level == 0 {
            guard let leaf = try leafData(at: id.index) else {
                throw StoreError(.corrupt, "entry \(id.index) is missing from storage")
            }
            return RFC6962.leafHash(leaf)
        }
        // A proof reads one node per level: through the C API, since GRDB's per-query overhead
        // would be most of a proof's time.
        var query = FastStatement(try db.cachedStatement(sql: "SELECT hash FROM tree_nodes WHERE level = ? AND idx = ?"))
        query.bind(Int64(id.level))
        query.bind(Int64(id.index))
        guard let bytes = try query.fetchOne(db, { $0.blob(0) }), let hash = Hash(bytes: bytes) else {
            throw StoreError(.corrupt, "tree node (level \(id.level), index \(id.index)) is missing from storage")
        }
        return hash
    }

    /// RFC 9162 §2.1.3 inclusion proof of leaf `index` in the tree of `size` leaves, from
    /// stored nodes: O(log n) reads.
    public func inclusionProof(index: UInt64, size: UInt64) throws -> InclusionProof {
        let current = try self.size()
        guard size >= 1, size <= current else {
            throw StoreError(.outOfRange, "tree size \(size) is beyond the register, which holds \(current) entries")
        }
        guard index < size else {
            throw StoreError(.outOfRange, "index \(index) is beyond the tree of size \(size) (indices run 0 to \(size - 1))")
        }
        return try InclusionProof.build(index: index, size: size, nodeHash: nodeHash)
    }

    /// RFC 9162 §2.1.4 consistency proof between two sizes, from stored nodes.
    public func consistencyProof(oldSize: UInt64, newSize: UInt64) throws -> ConsistencyProof {
        let current = try self.size()
        guard newSize <= current else {
            throw StoreError(.outOfRange, "tree size \(newSize) is beyond the register, which holds \(current) entries")
        }
        guard oldSize >= 1, oldSize <= newSize else {
            throw StoreError(.outOfRange, "the old size must be between 1 and the new size \(newSize); got \(oldSize)")
        }
        return try ConsistencyProof.build(oldSize: oldSize, newSize: newSize, nodeHash: nodeHash)
    }

    /// The right edge of the stored tree of `size` leaves, read in one query: the complete
    /// subtrees for the set bits of `size`, largest first.
    public func frontier(size: UInt64) throws -> TreeFrontier {
        var ids: [NodeID] = []
        var start: UInt64 = 0
        for level in stride(from: 63, through: 0, by: -1) where size & (1 << UInt64(level)) != 0 {
            ids.append(NodeID(level: level, index: start >> UInt64(level)))
            start += 1 << UInt64(level)
        }
        guard !ids.isEmpty else { return TreeFrontier() }
        var found: [NodeID: Hash] = [:]
        let stored = ids.filter { $0.level > 0 }
        if !stored.isEmpty {
            // One statement, each arm a primary-key lookup (a row-value IN would scan the table).
            let sql = Array(repeating: "SELECT level, idx, hash FROM tree_nodes WHERE level = ? AND idx = ?", count: stored.count)
                .joined(separator: " UNION ALL ")
            var arguments: StatementArguments = []
            for id in stored { arguments += [id.level, Int64(id.index)] }
            for row in try Row.fetchAll(try db.cachedStatement(sql: sql), arguments: arguments) {
                if let hash = Hash(bytes: row[2] as Data) { found[NodeID(level: row[0], index: UInt64(row[1] as Int64))] = hash }
            }
        }
        if let leaf = ids.last, leaf.level == 0 { found[leaf] = try nodeHash(leaf) }
        return try TreeFrontier(size: size) { id in
            guard let hash = found[id] else {
                throw StoreError(.corrupt, "tree node (level \(id.level), index \(id.index)) is missing from storage")
            }
            return hash
        }
    }

    /// The root of the tree of `size` leaves, from stored nodes.
    public func root(size: UInt64) throws -> Hash {
        try frontier(size: size).root
    }

    /// The sealed private key of a user, or nil.
    public func sealedKey(userID: String) throws -> SealedKey? {
        guard let text = try String.fetchOne(try db.cachedStatement(sql: "SELECT sealed FROM sealed_keys WHERE user_id = ?"), arguments: [userID]) else {
            return nil
        }
        return try SealedKey(serialized: text)
    }
}
