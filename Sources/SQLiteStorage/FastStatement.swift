import GRDB
import GRDBSQLite

/// Binding, stepping and reading a cached statement through SQLite's C API.
///
/// Every append inserts an entry, its tree nodes and a projection row, and every look at a
/// profile reads the policy in force and the viewer's record; GRDB's general argument and
/// row handling costs more than those statements themselves at that rate, so these few hot
/// statements bind and read their values directly. Errors are still GRDB's.
struct FastStatement {
    /// SQLITE_TRANSIENT: SQLite copies bound bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    let statement: Statement
    private var index: Int32 = 0

    init(_ statement: Statement) {
        self.statement = statement
    }

    mutating func bind(_ value: Int64) {
        index += 1
        sqlite3_bind_int64(statement.sqliteStatement, index, value)
    }

    mutating func bind(_ value: String?) {
        index += 1
        if let value {
            sqlite3_bind_text(statement.sqliteStatement, index, value, -1, Self.transient)
        } else {
            sqlite3_bind_null(statement.sqliteStatement, index)
        }
    }

    mutating func bind(_ bytes: [UInt8]) {
        index += 1
        bytes.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(statement.sqliteStatement, index, raw.baseAddress, Int32(raw.count), Self.transient)
        }
    }

    /// Runs an INSERT and resets the statement for the next one.
    func run(_ db: Database) throws {
        let handle = statement.sqliteStatement
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard code == SQLITE_DONE else { throw error(code, db) }
    }

    /// Runs a query and decodes its first row, if any; then resets the statement.
    func fetchOne<T>(_ db: Database, _ decode: (Columns) throws -> T) throws -> T? {
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return try decode(Columns(handle: handle))
        case SQLITE_DONE: return nil
        case let code: throw error(code, db)
        }
    }

    /// Runs a query and decodes every row; then resets the statement.
    func fetchAll<T>(_ db: Database, _ decode: (Columns) throws -> T) throws -> [T] {
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        var rows: [T] = []
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: rows.append(try decode(Columns(handle: handle)))
            case SQLITE_DONE: return rows
            case let code: throw error(code, db)
            }
        }
    }

    private func error(_ code: Int32, _ db: Database) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
    }

    /// The current row's values, by column position.
    struct Columns {
        fileprivate let handle: SQLiteStatement

        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

        /// The column's storage class (`SQLITE_INTEGER`, `SQLITE_TEXT`, ...).
        func type(_ column: Int32) -> Int32 { sqlite3_column_type(handle, column) }

        func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

        func text(_ column: Int32) -> String {
            guard let text = sqlite3_column_text(handle, column) else { return "" }
            return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
        }

        func blob(_ column: Int32) -> [UInt8] {
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return [] }
            return Array(UnsafeRawBufferPointer(start: bytes, count: count))
        }
    }
}
