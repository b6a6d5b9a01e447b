import Foundation
import GRDB
import GRDBSQLite
import Ledger
import RegisterStorage
import Synchronization

/// The storage port over one SQLite connection: a read, a snapshot's read or (within an
/// IMMEDIATE transaction) the one writer.
///
/// The hot statements (every append inserts an entry and its nodes; every look reads the
/// policy, the viewer and the profile's views) go through `FastStatement`, SQLite's C API on
/// GRDB's cached statements.
struct SQLiteReading: StorageTransaction {
    let db: Database

    // MARK: The log

    func size() throws -> UInt64 {
        let last = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT MAX(seq) FROM entries"))
        return last.map { UInt64($0) + 1 } ?? 0
    }

    func lastLeaf() throws -> (seq: UInt64, leaf: [UInt8])? {
        try FastStatement(try db.cachedStatement(sql: "SELECT seq, leaf FROM entries ORDER BY seq DESC LIMIT 1"))
            .fetchOne(db) { (UInt64($0.int64(0)), $0.blob(1)) }
    }

    func leaf(at seq: UInt64) throws -> [UInt8]? {
        var query = FastStatement(try db.cachedStatement(sql: "SELECT leaf FROM entries WHERE seq = ?"))
        query.bind(Int64(seq))
        return try query.fetchOne(db) { $0.blob(0) }
    }

    func leaves(from seq: UInt64, limit: Int) throws -> [(seq: UInt64, leaf: [UInt8])] {
        var query = FastStatement(try db.cachedStatement(sql: "SELECT seq, leaf FROM entries WHERE seq >= ? ORDER BY seq LIMIT ?"))
        query.bind(Int64(seq))
        query.bind(Int64(limit))
        return try query.fetchAll(db) { (UInt64($0.int64(0)), $0.blob(1)) }
    }

    func leaves(kind: String) throws -> [[UInt8]] {
        var query = FastStatement(try db.cachedStatement(sql: "SELECT leaf FROM entries WHERE kind = ? ORDER BY seq"))
        query.bind(kind)
        return try query.fetchAll(db) { $0.blob(0) }
    }

    func node(_ id: NodeID) throws -> Hash? {
        // A proof reads one node per level: through the C API, since GRDB's per-query overhead
        // would be most of a proof's time.
        var query = FastStatement(try db.cachedStatement(sql: "SELECT hash FROM tree_nodes WHERE level = ? AND idx = ?"))
        query.bind(Int64(id.level))
        query.bind(Int64(id.index))
        return try query.fetchOne(db) { Hash(bytes: $0.blob(0)) } ?? nil
    }

    func nodes(_ ids: [NodeID]) throws -> [NodeID: Hash] {
        guard !ids.isEmpty else { return [:] }
        // One statement, each arm a primary-key lookup (a row-value IN would scan the table).
        let sql = Array(repeating: "SELECT level, idx, hash FROM tree_nodes WHERE level = ? AND idx = ?", count: ids.count)
            .joined(separator: " UNION ALL ")
        var query = FastStatement(try db.cachedStatement(sql: sql))
        for id in ids {
            query.bind(Int64(id.level))
            query.bind(Int64(id.index))
        }
        var found: [NodeID: Hash] = [:]
        for (id, hash) in try query.fetchAll(db, { (NodeID(level: Int($0.int64(0)), index: UInt64($0.int64(1))), Hash(bytes: $0.blob(2))) }) {
            found[id] = hash
        }
        return found
    }

    func checkpoints() throws -> [(size: UInt64, note: String)] {
        try FastStatement(try db.cachedStatement(sql: "SELECT size, note FROM checkpoints ORDER BY size"))
            .fetchAll(db) { (UInt64($0.int64(0)), $0.text(1)) }
    }

    func latestCheckpoint() throws -> String? {
        try FastStatement(try db.cachedStatement(sql: "SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1")).fetchOne(db) { $0.text(0) }
    }

    // MARK: Beside the log

    func sealedKey(userID: String) throws -> String? {
        var query = FastStatement(try db.cachedStatement(sql: "SELECT sealed FROM sealed_keys WHERE user_id = ?"))
        query.bind(userID)
        return try query.fetchOne(db) { $0.text(0) }
    }

    func document(hash: String) throws -> [UInt8]? {
        var query = FastStatement(try db.cachedStatement(sql: "SELECT content FROM documents WHERE hash = ?"))
        query.bind(hash)
        return try query.fetchOne(db) { $0.blob(0) }
    }

    // MARK: Projections

    func row(_ table: ProjectionTable, key: [ProjectionValue]) throws -> StoredRow? {
        let sql = SQLiteStatements.shared.select(table, where: table.key)
        var query = FastStatement(try db.cachedStatement(sql: sql))
        for value in key { query.bind(value) }
        return try query.fetchOne(db) { $0.storedRow(columns: table.columns.count) }
    }

    func rows(_ table: ProjectionTable, where column: String, is value: ProjectionValue) throws -> [StoredRow] {
        var query = FastStatement(try db.cachedStatement(sql: SQLiteStatements.shared.select(table, where: [column])))
        query.bind(value)
        return try query.fetchAll(db) { $0.storedRow(columns: table.columns.count) }
    }

    func rows(_ table: ProjectionTable, after key: [ProjectionValue]?, limit: Int) throws -> [StoredRow] {
        var query = FastStatement(try db.cachedStatement(sql: SQLiteStatements.shared.page(table, after: key != nil)))
        for value in key ?? [] { query.bind(value) }
        query.bind(Int64(min(limit, Int(Int64.max))))
        return try query.fetchAll(db) { $0.storedRow(columns: table.columns.count) }
    }

    func count(_ table: ProjectionTable, where conditions: [(column: String, value: ProjectionValue)]) throws -> Int {
        var query = FastStatement(try db.cachedStatement(sql: SQLiteStatements.shared.count(table, where: conditions.map(\.column))))
        for condition in conditions { query.bind(condition.value) }
        return Int(try query.fetchOne(db) { $0.int64(0) } ?? 0)
    }

    // MARK: Writing

    func appendLeaf(seq: UInt64, kind: String, leaf: [UInt8]) throws {
        // The schema's trigger refuses anything but the next seq.
        var insert = FastStatement(try db.cachedStatement(sql: "INSERT INTO entries (seq, kind, leaf) VALUES (?, ?, ?)"))
        insert.bind(Int64(seq))
        insert.bind(kind)
        insert.bind(leaf)
        try insert.run(db)
    }

    func putNode(_ id: NodeID, _ hash: Hash) throws {
        var insert = FastStatement(try db.cachedStatement(sql: "INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)"))
        insert.bind(Int64(id.level))
        insert.bind(Int64(id.index))
        insert.bind(hash.bytes)
        try insert.run(db)
    }

    func putCheckpoint(size: UInt64, note: String) throws {
        var insert = FastStatement(try db.cachedStatement(sql: "INSERT INTO checkpoints (size, note) VALUES (?, ?)"))
        insert.bind(Int64(size))
        insert.bind(note)
        try insert.run(db)
    }

    func putSealedKey(_ sealed: String, userID: String) throws {
        try db.execute(
            sql: "INSERT INTO sealed_keys (user_id, sealed) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET sealed = excluded.sealed",
            arguments: [userID, sealed])
    }

    func putDocument(_ content: [UInt8], hash: String) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO documents (hash, content) VALUES (?, ?)", arguments: [hash, Data(content)])
    }

    func deleteDocument(hash: String) throws {
        try db.execute(sql: "DELETE FROM documents WHERE hash = ?", arguments: [hash])
    }

    func put(_ table: ProjectionTable, _ row: StoredRow) throws {
        var upsert = FastStatement(try db.cachedStatement(sql: SQLiteStatements.shared.upsert(table)))
        for value in row.values { upsert.bind(value) }
        if let tag = row.tag { upsert.bind(tag) } else { upsert.bind(nil as String?) }
        try upsert.run(db)
    }

    func delete(_ table: ProjectionTable, where column: String, is value: ProjectionValue) throws {
        var delete = FastStatement(try db.cachedStatement(sql: "DELETE FROM \(table.name) WHERE \(column) = ?"))
        delete.bind(value)
        try delete.run(db)
    }

    func clearProjections() throws {
        let fixed = ProjectionTable.fixedMetaKeys.sorted().map { "'\($0)'" }.joined(separator: ", ")
        for table in ProjectionTable.all {
            try db.execute(sql: table == .meta ? "DELETE FROM \(table.name) WHERE key NOT IN (\(fixed))" : "DELETE FROM \(table.name)")
        }
    }
}

/// The SQL of the generic projection statements, built once per table and shape (GRDB then
/// caches each prepared statement by its text).
final class SQLiteStatements: Sendable {
    static let shared = SQLiteStatements()

    private let cache = Mutex<[String: String]>([:])

    private func memo(_ key: String, _ make: () -> String) -> String {
        if let sql = cache.withLock({ $0[key] }) { return sql }
        let sql = make()
        cache.withLock { $0[key] = sql }
        return sql
    }

    private static func columns(_ table: ProjectionTable) -> String { (table.columns + ["mac"]).joined(separator: ", ") }

    func select(_ table: ProjectionTable, where columns: [String]) -> String {
        memo("select \(table.name) \(columns)") {
            let filter = columns.map { "\($0) = ?" }.joined(separator: " AND ")
            return "SELECT \(Self.columns(table)) FROM \(table.name) WHERE \(filter) ORDER BY \(table.key.joined(separator: ", "))"
        }
    }

    func page(_ table: ProjectionTable, after: Bool) -> String {
        memo("page \(table.name) \(after)") {
            let key = table.key.joined(separator: ", ")
            let marks = Array(repeating: "?", count: table.key.count).joined(separator: ", ")
            let filter = after ? " WHERE (\(key)) > (\(marks))" : ""
            return "SELECT \(Self.columns(table)) FROM \(table.name)\(filter) ORDER BY \(key) LIMIT ?"
        }
    }

    func count(_ table: ProjectionTable, where columns: [String]) -> String {
        memo("count \(table.name) \(columns)") {
            let filter = columns.isEmpty ? "" : " WHERE " + columns.map { "\($0) = ?" }.joined(separator: " AND ")
            return "SELECT COUNT(*) FROM \(table.name)\(filter)"
        }
    }

    func upsert(_ table: ProjectionTable) -> String {
        memo("upsert \(table.name)") {
            let marks = Array(repeating: "?", count: table.columns.count + 1).joined(separator: ", ")
            return "INSERT OR REPLACE INTO \(table.name) (\(Self.columns(table))) VALUES (\(marks))"
        }
    }
}

extension FastStatement {
    mutating func bind(_ value: ProjectionValue) {
        switch value {
        case .integer(let v): bind(v)
        case .text(let v): bind(v)
        case .blob(let v): bind(v)
        case .null: bind(nil as String?)
        }
    }
}

extension FastStatement.Columns {
    /// A row of `SELECT columns…, mac`: the values by their storage class, then the tag.
    func storedRow(columns count: Int) -> StoredRow {
        let values = (0..<Int32(count)).map { index -> ProjectionValue in
            switch type(index) {
            case SQLITE_INTEGER: .integer(int64(index))
            case SQLITE_TEXT: .text(text(index))
            case SQLITE_BLOB: .blob(blob(index))
            case SQLITE_NULL: .null
            // The register never stores a real number in a projection: it cannot match a tag.
            default: .text("real \(text(index))")
            }
        }
        let mac = Int32(count)
        return StoredRow(values: values, tag: isNull(mac) ? nil : blob(mac))
    }
}
