import GRDB
import GRDBSQLite

/// Binding and stepping a cached INSERT through SQLite's C API.
///
/// The append path inserts an entry, about two tree nodes and a projection row per entry;
/// GRDB's general argument handling costs more than the insert itself at that rate, so
/// the hot inserts bind their few values directly. Errors are still GRDB's.
struct FastInsert {
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

    /// Runs the insert and resets the statement for the next one.
    func run(_ db: Database) throws {
        let handle = statement.sqliteStatement
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
        }
    }
}
