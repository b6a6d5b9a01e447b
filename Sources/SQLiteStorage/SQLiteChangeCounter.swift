import Foundation
import GRDBSQLite
import Synchronization

/// `PRAGMA data_version` on a connection of its own, which never writes: SQLite changes the
/// value whenever another connection — this process's writer or another process's — commits.
///
/// It answers from the WAL index in shared memory, with no read of the database file, so a
/// server can key its page cache by it on every request without a hop to the pool's reader
/// threads (which cost more than the page itself: the cached page is rendered already). The
/// connection is opened on first use, so commands that never ask open nothing.
final class SQLiteChangeCounter: Sendable {
    private let path: String
    /// The connection and its prepared statement, once opened; behind a lock because one
    /// SQLite connection serves one thread at a time.
    private let connection = Mutex<(db: OpaquePointer, statement: OpaquePointer)?>(nil)
    /// Set by `close()`: no connection is opened again.
    private let closed = Mutex(false)

    init(path: String) {
        self.path = path
    }

    deinit {
        close()
    }

    /// Closes the connection, with the backend's (`SQLiteBackend.close`); later reads answer nil.
    func close() {
        closed.withLock { $0 = true }
        connection.withLock { opened in
            guard let current = opened else { return }
            sqlite3_finalize(current.statement)
            sqlite3_close_v2(current.db)
            opened = nil
        }
    }

    /// The data version now, or nil if the connection cannot be opened or read (the caller
    /// then asks the store itself).
    func current() -> UInt64? {
        connection.withLock { opened -> UInt64? in
            if opened == nil, !closed.withLock({ $0 }) { opened = Self.open(path) }
            guard let (_, statement) = opened else { return nil }
            defer { sqlite3_reset(statement) }
            guard sqlite3_step(statement) == SQLITE_ROW else { return nil }
            return UInt64(bitPattern: sqlite3_column_int64(statement, 0))
        }
    }

    private static func open(_ path: String) -> (db: OpaquePointer, statement: OpaquePointer)? {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db else {
            sqlite3_close_v2(db)
            return nil
        }
        // Never wait on a writer: a busy moment (WAL recovery) answers nil, not a stall.
        sqlite3_busy_timeout(db, 0)
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &statement, nil) == SQLITE_OK, let statement else {
            sqlite3_close_v2(db)
            return nil
        }
        return (db, statement)
    }
}
