import Ledger

/// Read access to one consistent view of the register: entries, tree, checkpoints and
/// projections, over any backend. Obtained from `RegisterStore.read`, a `RegisterSnapshot`, or
/// `RegisterWriter.reader` (which sees the transaction's own writes and checks the tag of every
/// projection row a decision reads).
public struct RegisterReader {
    /// The backend's view.
    let storage: any StorageReading
    /// Set inside a write transaction holding the register key: the projection rows a
    /// decision reads are then checked against their tags.
    var authenticator: ProjectionAuthenticator?
    /// Opens the data keys that seal personal data, when the process holds the data-protection key.
    public let keyring: DataKeyring?

    /// A reader over a backend's view; `authenticator` checks projection tags, `keyring`
    /// opens personal data.
    public init(_ storage: any StorageReading, authenticator: ProjectionAuthenticator? = nil, keyring: DataKeyring? = nil) {
        self.storage = storage
        self.authenticator = authenticator
        self.keyring = keyring
    }

    /// The origin chosen at `init`, e.g. `ripa.example-council.gov.uk/register`.
    public func origin() throws -> String {
        guard let origin = try meta("origin") else {
            throw StoreError(.corrupt, "the register has no origin recorded")
        }
        return origin
    }

    /// A value from the register's meta rows, unchecked.
    public func meta(_ key: String) throws -> String? {
        try storage.row(.meta, key: [.text(key)]).map { try $0.values[1].text("the register's \(key)") }
    }

    /// A projected meta value (the pack in force, the verifier key), its tag checked when this
    /// reader holds the register key.
    ///
    /// - Throws: `StoreError.projectionTampered` if the row was changed outside the register.
    public func authenticatedMeta(_ key: String) throws -> String? {
        guard let row = try storage.row(.meta, key: [.text(key)]) else { return nil }
        return try checked(.meta, row, what: "the register's \(key)").values[1].text("the register's \(key)")
    }

    /// The number of entries stored.
    public func size() throws -> UInt64 { try storage.size() }

    /// The last entry, parsed, or nil for an empty register.
    public func lastEntry() throws -> Entry? {
        try storage.lastLeaf().map { try Entry(leafData: $0.leaf) }
    }

    /// The stored bytes of entry `seq` (its leaf data), or nil.
    public func leafData(at seq: UInt64) throws -> [UInt8]? { try storage.leaf(at: seq) }

    /// Entry `seq`, parsed.
    ///
    /// - Throws: `StoreError.outOfRange` beyond the log; `LedgerError` if its bytes are not an entry.
    public func entry(at seq: UInt64) throws -> Entry {
        guard let leaf = try storage.leaf(at: seq) else {
            throw StoreError(.outOfRange, "there is no entry \(seq); the register holds \(try size()) entries")
        }
        return try Entry(leafData: leaf)
    }

    /// Up to `limit` stored leaves with `seq >= from`, in order, as `(seq, leaf data)`.
    /// Gaps are not filled in: a verifier must notice them.
    public func leaves(from: UInt64, limit: Int) throws -> [(seq: UInt64, leaf: [UInt8])] {
        try storage.leaves(from: from, limit: limit)
    }

    /// Entries with the given kind, in order (a projection-free scan for reports).
    public func entries(kind: String) throws -> [Entry] {
        try storage.leaves(kind: kind).map { try Entry(leafData: $0) }
    }

    /// The latest signed checkpoint exactly as stored, or nil for an empty register.
    public func latestCheckpoint() throws -> String? { try storage.latestCheckpoint() }

    /// Every stored checkpoint as `(size, note)`, oldest first.
    public func checkpoints() throws -> [(size: UInt64, note: String)] { try storage.checkpoints() }

    /// The hash of a complete subtree from the stored tree. A leaf's hash (level 0) is not
    /// stored twice: it is the hash of the entry's leaf data.
    public func nodeHash(_ id: NodeID) throws -> Hash {
        if id.level == 0 {
            guard let leaf = try storage.leaf(at: id.index) else {
                throw StoreError(.corrupt, "entry \(id.index) is missing from storage")
            }
            return RFC6962.leafHash(leaf)
        }
        guard let hash = try storage.node(id) else {
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

    /// The right edge of the stored tree of `size` leaves, read in one call: the complete
    /// subtrees for the set bits of `size`, largest first.
    public func frontier(size: UInt64) throws -> TreeFrontier {
        var ids: [NodeID] = []
        var start: UInt64 = 0
        for level in stride(from: 63, through: 0, by: -1) where size & (1 << UInt64(level)) != 0 {
            ids.append(NodeID(level: level, index: start >> UInt64(level)))
            start += 1 << UInt64(level)
        }
        guard !ids.isEmpty else { return TreeFrontier() }
        let stored = ids.filter { $0.level > 0 }
        var found = stored.isEmpty ? [:] : try storage.nodes(stored)
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
        try storage.sealedKey(userID: userID).map { try SealedKey(serialized: $0) }
    }
}
