import Foundation
import GRDBSQLite
import SQLiteStorage

/// The baseline: bare SQLite through its C API with the register's pragmas (WAL,
/// synchronous=FULL), inserting the same bytes the register stores. The register's own
/// figures are compared with what this can do on the same machine in the same run.
final class RawSQLite {
    private var db: OpaquePointer?
    private var insert: OpaquePointer?
    private var next: Int64 = 0
    /// SQLITE_TRANSIENT: SQLite copies the bound bytes.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String) throws {
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw BenchError("cannot open \(path)") }
        // The register's own settings, so the baseline differs only in what it does.
        try exec("PRAGMA journal_mode = WAL")
        try exec(SQLiteBackend.pragmas)
        try exec("CREATE TABLE IF NOT EXISTS entries (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, leaf BLOB NOT NULL)")
        guard sqlite3_prepare_v2(db, "INSERT INTO entries (seq, kind, leaf) VALUES (?, ?, ?)", -1, &insert, nil) == SQLITE_OK else {
            throw BenchError("cannot prepare insert")
        }
    }

    deinit {
        sqlite3_finalize(insert)
        sqlite3_close(db)
    }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchError("sqlite: \(String(cString: sqlite3_errmsg(db)))")
        }
    }

    /// Inserts one row (inside whatever transaction is open, or autocommit).
    func insert(_ bytes: [UInt8]) throws {
        sqlite3_bind_int64(insert, 1, next)
        sqlite3_bind_text(insert, 2, "view.recorded", -1, Self.transient)
        _ = bytes.withUnsafeBytes { sqlite3_bind_blob(insert, 3, $0.baseAddress, Int32($0.count), Self.transient) }
        guard sqlite3_step(insert) == SQLITE_DONE else {
            throw BenchError("sqlite insert: \(String(cString: sqlite3_errmsg(db)))")
        }
        sqlite3_reset(insert)
        next += 1
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
