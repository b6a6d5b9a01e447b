import Foundation
import GRDB
import Ledger
import RegisterStorage

/// The register kept in one SQLite file (`Schemas/register.sql`): the storage port's
/// backend for a single server.
///
/// WAL mode with `synchronous=FULL`, so a transaction returns only once durable. One writer
/// at a time (an IMMEDIATE transaction, across processes too); any number of readers see a
/// consistent snapshot.
public struct SQLiteBackend: StorageBackend {
    /// The database file.
    public let path: String
    /// A `DatabasePool` (WAL, many readers); for a read-only copy that nobody can write, a
    /// read-only `DatabaseQueue` over the file opened `immutable`.
    let pool: any DatabaseWriter
    public let origin: String
    /// `changeCounter()`'s own connection, opened when first asked.
    private let changes: SQLiteChangeCounter

    private init(path: String, origin: String, pool: any DatabaseWriter) {
        self.path = path
        self.origin = origin
        self.pool = pool
        self.changes = SQLiteChangeCounter(path: path)
    }

    /// Nil for a read-only open: its own connection could leave a `-shm` beside an auditor's copy.
    public func changeCounter() -> UInt64? { isReadOnly ? nil : changes.current() }

    public var location: String { path }

    /// Creates a new, empty register file with the schema applied and the origin recorded.
    ///
    /// - Throws: `StoreError.alreadyExists` if anything is at `path`.
    public static func create(at path: String, origin: String) throws -> SQLiteBackend {
        if try kind(at: path) != nil {
            throw StoreError(.alreadyExists, "\(path) already exists; choose a new path for the register (init never overwrites)")
        }
        // Created 0600 before SQLite sees it: the database holds every user's sealed key, and
        // SQLite gives the -wal and -shm files the database file's mode.
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError(.database, "could not create the register at \(path): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o600)
        Foundation.close(fd)
        let pool: DatabasePool
        do {
            pool = try wrapped { try DatabasePool(path: path, configuration: configuration()) }
        } catch {
            unlink(path)
            throw error
        }
        for suffix in ["-wal", "-shm"] { chmod(path + suffix, 0o600) }
        do {
            try pool.write { db in
                try db.execute(sql: RegisterSchema.sql)
                try db.execute(
                    sql: "INSERT INTO register_meta (key, value) VALUES ('format', ?), ('origin', ?)",
                    arguments: [RegisterFormat.current, origin])
            }
        } catch {
            try? pool.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            throw StoreError(.database, "could not create the register at \(path): \(error)")
        }
        return SQLiteBackend(path: path, origin: origin, pool: pool)
    }

    /// Opens an existing register.
    ///
    /// - Parameter readOnly: open for reading only (verify, status, reports): SQLite's
    ///   read-only mode, which never writes the database. Where the file, its folder or the
    ///   medium cannot be written (an auditor's copy), it is opened `immutable` instead, so that
    ///   SQLite creates no `-wal` or `-shm` file beside it; a copy whose `-wal` still holds
    ///   changes is then read through that `-wal` and its `-shm`, which must have been copied too.
    /// - Throws: `StoreError.missingDatabase` when there is no file, `.foreignDatabase`
    ///   when the file is not a register of this format.
    public static func open(at path: String, readOnly: Bool = false) throws -> SQLiteBackend {
        guard try kind(at: path) != nil else {
            throw StoreError(.missingDatabase, "no register at \(path)", reason: .noDatabase, values: ["path": path])
        }
        // Refuse a foreign file before SQLite touches it: opening in WAL mode would
        // otherwise write -wal/-shm files beside someone else's data.
        let fd = Foundation.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd >= 0 {
            var magic = [UInt8](repeating: 0, count: 16)
            let count = magic.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, 16) }
            Foundation.close(fd)
            if count > 0 && Array(magic.prefix(max(count, 0))) != Array("SQLite format 3\0".utf8) {
                throw StoreError(.foreignDatabase, "\(path) is not a ripa register (not an SQLite database)")
            }
        }
        let pool: any DatabaseWriter
        if readOnly {
            pool = try openReadOnly(at: path)
        } else {
            pool = try wrapped { try DatabasePool(path: path, configuration: configuration()) }
        }
        let meta = try? pool.read { db in
            (try String.fetchOne(db, sql: "SELECT value FROM register_meta WHERE key = 'format'"),
             try String.fetchOne(db, sql: "SELECT value FROM register_meta WHERE key = 'origin'"))
        }
        guard let (format, origin) = meta, let format else {
            try? pool.close()
            throw StoreError(.foreignDatabase, "\(path) is not a ripa register (no register_meta table)")
        }
        guard format == RegisterFormat.current else {
            try? pool.close()
            throw StoreError(.foreignDatabase, "\(path) holds register format \(format); this tool reads \(RegisterFormat.current)")
        }
        guard let origin else {
            try? pool.close()
            throw StoreError(.corrupt, "\(path) has no origin recorded")
        }
        if !readOnly {
            // A register made before personal data was sealed gains the table on its first writable open.
            try wrapped { try pool.write { try $0.execute(sql: RegisterSchema.dataKeysTable) } }
        }
        return SQLiteBackend(path: path, origin: origin, pool: pool)
    }

    /// The read-only connection(s) for `open(at:readOnly: true)`.
    static func openReadOnly(at path: String) throws -> any DatabaseWriter {
        var configuration = configuration()
        configuration.readonly = true
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        // access(2) also reports a read-only mount and an immutable file, which bind root too.
        let writable = access(path, W_OK) == 0 && access(folder, W_OK) == 0
        let wal = path + "-wal"
        let walHasFrames = ((try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? NSNumber)?.intValue ?? 0 > 0
        if writable || walHasFrames {
            // WAL mode read-only: sees other writers' commits; on a copy that cannot be written
            // this reads the copied -wal through the copied -shm.
            do {
                return try wrapped { try DatabasePool(path: path, configuration: configuration) }
            } catch {
                guard !writable else { throw error }
                throw StoreError(.database, "cannot read \(path) read-only: its \(wal) still holds changes and SQLite cannot use it here (\(error)); copy the register while nobody writes to it, or with its -wal and -shm files")
            }
        }
        // Nobody can write this copy, so it cannot change under us: `immutable` reads it with no
        // locks and creates no -wal or -shm file. A leftover empty -wal holds nothing to read.
        var uri = URLComponents()
        uri.scheme = "file"
        uri.path = URL(fileURLWithPath: path).standardizedFileURL.path
        uri.queryItems = [URLQueryItem(name: "immutable", value: "1")]
        let name = uri.string ?? "file:\(path)?immutable=1"
        return try wrapped { try DatabaseQueue(path: name, configuration: configuration) }
    }

    public func snapshot() async throws -> any StorageSnapshot {
        if let pool = pool as? DatabasePool {
            return SQLiteSnapshot(database: try Self.wrapped { try pool.makeSnapshot() })
        }
        // An immutable copy: nothing can change it.
        return SQLiteSnapshot(database: pool)
    }

    /// What is at `path`: nil for nothing, else checked to be a regular file (symbolic links
    /// followed), without opening it: a FIFO opened as a database hangs, a directory crashed
    /// the tool, a device or socket is no register.
    ///
    /// - Throws: `StoreError.foreignDatabase` naming what the path is instead.
    static func kind(at path: String) throws -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw StoreError(.database, "cannot use \(path) as the register: \(String(cString: strerror(errno)))")
        }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            let what = switch type {
            case S_IFDIR: "a directory"
            case S_IFIFO: "a FIFO (named pipe)"
            case S_IFSOCK: "a socket"
            case S_IFCHR, S_IFBLK: "a device"
            default: "not a regular file"
            }
            throw StoreError(.foreignDatabase, "\(path) is \(what), not a register database", reason: .notARegister, values: ["path": path])
        }
        return type
    }

    /// Every connection's settings (WAL is set by GRDB's pool). Durable commits; a page
    /// cache large enough that the tree's and the projections' upper levels
    /// stay in memory as the register grows to millions of entries.
    /// `secure_delete`: a destroyed data key's bytes are zeroed in its page, not left in free space.
    /// `wal_autocheckpoint`: copy the WAL back into the database every 20,000 pages (80 MB), not
    /// SQLite's 1,000: looks are filed under their profile tags, which come in no order, so a
    /// batch of 1,000 looks dirties about 1,000 pages of the views table and the default would
    /// checkpoint after nearly every batch, writing each page twice (README "Performance").
    /// The WAL is still emptied when the last connection closes, and by `compact()`.
    public static let pragmas = "PRAGMA synchronous = FULL; PRAGMA cache_size = -8192; PRAGMA secure_delete = ON; PRAGMA wal_autocheckpoint = 20000"

    static func configuration() -> Configuration {
        var configuration = Configuration()
        // Another process may hold the write lock for a moment (another clerk's append).
        configuration.busyMode = .timeout(15)
        configuration.prepareDatabase { db in
            try db.execute(sql: Self.pragmas)
        }
        return configuration
    }

    public func read<T: Sendable>(_ body: @Sendable (any StorageReading) throws -> T) async throws -> T {
        try await Self.wrapped { try await pool.read { db in try body(SQLiteReading(db: db)) } }
    }

    /// One IMMEDIATE transaction: the write lock is taken before the body reads anything, so
    /// its decisions see the last commit of every process.
    public func transaction<T: Sendable>(_ body: @Sendable (any StorageTransaction) throws -> T) async throws -> T {
        try await Self.wrapped {
            try await pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(SQLiteReading(db: db))
                    return .commit
                }
                return result!
            }
        }
    }

    /// Whether this store was opened read-only.
    public var isReadOnly: Bool { pool.configuration.readonly }

    /// Empties the WAL into the database, rewrites the database with `VACUUM` (no free page
    /// keeps a deleted row's bytes), and empties the WAL again, holding the write lock
    /// throughout. Run after personal data is destroyed.
    public func compact() async throws {
        try await Self.wrapped {
            try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
    }

    /// Closes the database; later calls fail.
    public func close() async throws {
        try closeNow()
    }

    /// Closes the database from synchronous code (a creation that failed half-way).
    public func closeNow() throws {
        changes.close()
        try Self.wrapped { try pool.close() }
    }

    /// Turns SQLite errors into `StoreError`; other errors (the caller's own) pass through.
    static func wrapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_BUSY {
                throw StoreError(.database, "the register is busy (another writer held it for 15 s); try again")
            }
            if error.resultCode == .SQLITE_NOTADB {
                throw StoreError(.foreignDatabase, "the file is not a ripa register (not an SQLite database)")
            }
            throw StoreError(.database, "database error: \(error.message ?? "\(error.resultCode)")")
        }
    }

    /// As `wrapped`, for the asynchronous entry points.
    static func wrapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_BUSY {
                throw StoreError(.database, "the register is busy (another writer held it for 15 s); try again")
            }
            if error.resultCode == .SQLITE_NOTADB {
                throw StoreError(.foreignDatabase, "the file is not a ripa register (not an SQLite database)")
            }
            throw StoreError(.database, "database error: \(error.message ?? "\(error.resultCode)")")
        }
    }
}

/// One unchanging view of the register (`SQLiteBackend.snapshot()`).
struct SQLiteSnapshot: StorageSnapshot {
    let database: any DatabaseReader

    func read<T: Sendable>(_ body: @Sendable (any StorageReading) throws -> T) async throws -> T {
        try await SQLiteBackend.wrapped { try await database.read { db in try body(SQLiteReading(db: db)) } }
    }
}
