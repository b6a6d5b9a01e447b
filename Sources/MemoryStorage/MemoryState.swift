import Ledger
import RegisterStorage

/// Everything a memory register holds, as one value.
struct MemoryState: Sendable {
    var entries: [(kind: String, leaf: [UInt8])] = []
    var nodes: [NodeID: Hash] = [:]
    var checkpoints: [UInt64: String] = [:]
    var sealedKeys: [String: String] = [:]
    var dataKeys: [String: DataKeyRow] = [:]
    var documents: [String: [UInt8]] = [:]
    /// Projection rows by table name, then by key.
    var tables: [String: [[ProjectionValue]: StoredRow]] = [:]
}

/// The port over a `MemoryState`: a read of a copy, or a transaction's working copy.
///
/// It enforces what SQLite's schema enforces, so the contract tests hold both to the same
/// rules: entries only in sequence, tree nodes and checkpoints written once, a unique column
/// never held twice.
final class MemoryTransaction: StorageTransaction {
    private(set) var state: MemoryState
    private let writable: Bool

    init(state: MemoryState, writable: Bool) {
        self.state = state
        self.writable = writable
    }

    private func requireWritable() throws {
        guard writable else { throw StoreError(.database, "a read cannot write") }
    }

    // MARK: The log

    func size() throws -> UInt64 { UInt64(state.entries.count) }

    func lastLeaf() throws -> (seq: UInt64, leaf: [UInt8])? {
        state.entries.last.map { (UInt64(state.entries.count - 1), $0.leaf) }
    }

    func leaf(at seq: UInt64) throws -> [UInt8]? {
        seq < UInt64(state.entries.count) ? state.entries[Int(seq)].leaf : nil
    }

    func leaves(from seq: UInt64, limit: Int) throws -> [(seq: UInt64, leaf: [UInt8])] {
        guard seq < UInt64(state.entries.count), limit > 0 else { return [] }
        let end = Int(seq) + min(limit, state.entries.count - Int(seq))
        return (Int(seq)..<end).map { (UInt64($0), state.entries[$0].leaf) }
    }

    func leaves(kind: String) throws -> [[UInt8]] {
        state.entries.filter { $0.kind == kind }.map(\.leaf)
    }

    func node(_ id: NodeID) throws -> Hash? { state.nodes[id] }

    func nodes(_ ids: [NodeID]) throws -> [NodeID: Hash] {
        var found: [NodeID: Hash] = [:]
        for id in ids { found[id] = state.nodes[id] }
        return found
    }

    func checkpoints() throws -> [(size: UInt64, note: String)] {
        state.checkpoints.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    func latestCheckpoint() throws -> String? {
        state.checkpoints.max { $0.key < $1.key }?.value
    }

    // MARK: Beside the log

    func sealedKey(userID: String) throws -> String? { state.sealedKeys[userID] }

    func document(hash: String) throws -> [UInt8]? { state.documents[hash] }

    func dataKey(name: String) throws -> DataKeyRow? { state.dataKeys[name] }

    func dataKeys() throws -> [DataKeyRow] { state.dataKeys.values.sorted { $0.name < $1.name } }

    // MARK: Projections

    private func sorted(_ table: ProjectionTable, _ rows: some Sequence<StoredRow>) -> [StoredRow] {
        rows.sorted { ProjectionValue.precedes($0.key(in: table), $1.key(in: table)) }
    }

    func row(_ table: ProjectionTable, key: [ProjectionValue]) throws -> StoredRow? {
        state.tables[table.name]?[key]
    }

    func rows(_ table: ProjectionTable, where column: String, is value: ProjectionValue) throws -> [StoredRow] {
        let index = table.index(of: column)
        return sorted(table, (state.tables[table.name] ?? [:]).values.filter { $0.values[index] == value })
    }

    func rows(_ table: ProjectionTable, after key: [ProjectionValue]?, limit: Int) throws -> [StoredRow] {
        let all = sorted(table, (state.tables[table.name] ?? [:]).values)
        let following = key.map { key in all.filter { ProjectionValue.precedes(key, $0.key(in: table)) } } ?? all
        return Array(following.prefix(limit))
    }

    func count(_ table: ProjectionTable, where conditions: [(column: String, value: ProjectionValue)]) throws -> Int {
        let indexed = conditions.map { (table.index(of: $0.column), $0.value) }
        return (state.tables[table.name] ?? [:]).values.count { row in indexed.allSatisfy { row.values[$0.0] == $0.1 } }
    }

    // MARK: Writing

    func appendLeaf(seq: UInt64, kind: String, leaf: [UInt8]) throws {
        try requireWritable()
        guard seq == UInt64(state.entries.count) else {
            throw StoreError(.database, "register entries must be appended in sequence (got \(seq), expected \(state.entries.count))")
        }
        state.entries.append((kind, leaf))
    }

    func putNode(_ id: NodeID, _ hash: Hash) throws {
        try requireWritable()
        guard id.level >= 1, state.nodes[id] == nil else {
            throw StoreError(.database, "the register is append-only: tree node \(id) cannot be written twice")
        }
        state.nodes[id] = hash
    }

    func putCheckpoint(size: UInt64, note: String) throws {
        try requireWritable()
        guard state.checkpoints[size] == nil else {
            throw StoreError(.database, "the register is append-only: the checkpoint of size \(size) cannot be written twice")
        }
        state.checkpoints[size] = note
    }

    func putSealedKey(_ sealed: String, userID: String) throws {
        try requireWritable()
        state.sealedKeys[userID] = sealed
    }

    func putDataKey(_ row: DataKeyRow) throws {
        try requireWritable()
        state.dataKeys[row.name] = row
    }

    func putDocument(_ content: [UInt8], hash: String) throws {
        try requireWritable()
        if state.documents[hash] == nil { state.documents[hash] = content }
    }

    func deleteDocument(hash: String) throws {
        try requireWritable()
        state.documents[hash] = nil
    }

    func put(_ table: ProjectionTable, _ row: StoredRow) throws {
        try requireWritable()
        precondition(row.values.count == table.columns.count, "\(table.name) has \(table.columns.count) columns")
        let key = row.key(in: table)
        var rows = state.tables[table.name] ?? [:]
        // As SQLite's INSERT OR REPLACE: a row holding the same unique value goes.
        for column in table.unique {
            let index = table.index(of: column)
            for (other, existing) in rows where other != key && existing.values[index] == row.values[index] {
                rows[other] = nil
            }
        }
        rows[key] = row
        state.tables[table.name] = rows
    }

    func delete(_ table: ProjectionTable, where column: String, is value: ProjectionValue) throws {
        try requireWritable()
        let index = table.index(of: column)
        state.tables[table.name] = (state.tables[table.name] ?? [:]).filter { $0.value.values[index] != value }
    }

    func clearProjections() throws {
        try requireWritable()
        for table in ProjectionTable.all {
            if table == .meta {
                state.tables[table.name] = (state.tables[table.name] ?? [:]).filter {
                    if case .text(let key) = $0.key[0] { return ProjectionTable.fixedMetaKeys.contains(key) }
                    return false
                }
            } else {
                state.tables[table.name] = [:]
            }
        }
    }
}
