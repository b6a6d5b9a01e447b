import Foundation
import GRDB
import RegisterStorage

/// A register database held so that nobody else can use it while it is replaced (restore).
///
/// The connection is opened in `locking_mode = EXCLUSIVE` before it reads anything and takes
/// `BEGIN EXCLUSIVE` at once. In WAL mode every other connection — a writer, an idle reader,
/// `ripa serve` between requests — holds a lock that makes that fail, so `hold(at:)` refuses a
/// database in use instead of replacing it under someone; and once taken, the lock is kept
/// until `release()`, so no process can open the database, read it or append to it meanwhile
/// (they wait, then fail with "busy" or on the poisoned file, never write to a replaced one).
///
/// Used from one task at a time; not shared.
public final class SQLiteExclusiveHold {
    /// The database held.
    public let path: String
    private let queue: DatabaseQueue
    /// The held file itself, opened before anything could replace it: `poison()` writes to
    /// this inode whatever is at `path` by then.
    private let descriptor: Int32
    private var released = false

    private init(path: String, queue: DatabaseQueue, descriptor: Int32) {
        self.path = path
        self.queue = queue
        self.descriptor = descriptor
    }

    deinit {
        if !released {
            try? queue.close()
            Foundation.close(descriptor)
        }
    }

    /// Takes the database at `path` for this process alone.
    ///
    /// - Throws: `StoreError.database` with reason `database.inUse` if another connection
    ///   (any process) has it open; `StoreError.foreignDatabase` if it is not an SQLite
    ///   database; `StoreError.missingDatabase` if there is nothing at `path`.
    public static func hold(at path: String) throws -> SQLiteExclusiveHold {
        guard try SQLiteBackend.kind(at: path) != nil else {
            throw StoreError(.missingDatabase, "no register at \(path)", reason: .noDatabase, values: ["path": path])
        }
        let descriptor = Foundation.open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StoreError(.database, "cannot open \(path): \(String(cString: strerror(errno)))", values: ["path": path])
        }
        var configuration = Configuration()
        // Someone else's lock is the answer, not something to wait out: refuse at once.
        configuration.busyMode = .immediateError
        // Before GRDB's first read of the file: a connection that is exclusive from its first
        // access keeps the WAL index in its own memory and never touches the -shm.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE") }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                try db.execute(sql: "SELECT count(*) FROM sqlite_master")
                try db.execute(sql: "COMMIT")
            }
        } catch let error as DatabaseError {
            Foundation.close(descriptor)
            if error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                throw StoreError(
                    .database, "\(path) is in use by another process (a server, or another command); nothing can replace it while it is open",
                    reason: .databaseInUse, values: ["path": path])
            }
            if error.resultCode == .SQLITE_NOTADB {
                throw StoreError(.foreignDatabase, "\(path) is not an SQLite database", reason: .notARegister, values: ["path": path])
            }
            throw StoreError(.database, "cannot take \(path) for this process alone: \(error.message ?? "\(error.resultCode)")", values: ["path": path])
        } catch {
            Foundation.close(descriptor)
            throw error
        }
        return SQLiteExclusiveHold(path: path, queue: queue, descriptor: descriptor)
    }

    /// Reads the held database through the storage port.
    public func read<T>(_ body: (any StorageReading) throws -> T) throws -> T {
        try SQLiteBackend.wrapped { try queue.inDatabase { db in try body(SQLiteReading(db: db)) } }
    }

    /// Folds the WAL into the database file, so that the file alone is the whole register
    /// (to be copied aside), and leaves nothing beside it: the journal mode leaves WAL (SQLite
    /// checkpoints and deletes the `-wal`; `MEMORY` writes no journal file, so closing this
    /// connection later deletes no file by name — by then the name is the restored
    /// register's), and the stale `-shm` of earlier connections is removed (none is open: the
    /// lock proves it). Opening the file later as a register turns WAL back on.
    public func mergeLog() throws {
        try SQLiteBackend.wrapped {
            try queue.writeWithoutTransaction { db in
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = MEMORY")
                guard mode?.lowercased() == "memory" else {
                    throw StoreError(.database, "could not fold the WAL of \(path) into it (journal mode stayed \(mode ?? "unknown"))", values: ["path": path])
                }
            }
        }
        try SQLiteBackend.removeSideFiles(of: path)
    }

    /// Makes the held file unreadable as a database — call once another file has been renamed
    /// to `path`. A process that opened the old file before the rename and is waiting for the
    /// lock then fails when it gets it ("not a database"), rather than appending to a file no
    /// longer at `path`, which nobody would ever read again.
    public func poison() throws {
        let zeros = [UInt8](repeating: 0, count: 100)
        let written = zeros.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, 100, 0) }
        guard written == 100, fsync(descriptor) == 0 else {
            throw StoreError(.database, "could not mark the replaced database unusable: \(String(cString: strerror(errno)))", values: ["path": path])
        }
    }

    /// Lets go of the database.
    public func release() {
        guard !released else { return }
        released = true
        try? queue.close()
        Foundation.close(descriptor)
    }
}

extension StoreError.Reason {
    /// Another connection has the database open (`path`).
    public static let databaseInUse: Self = "database.inUse"
}
