import Foundation
import GRDB
import Ledger
import RIPA

/// A witness's memory: for each origin, the latest checkpoint it cosigned (size, root and the
/// note as received), in one SQLite file; and the refused checkpoints whose signature was good,
/// kept as evidence of a log's misbehaviour (C2SP tlog-witness allows logging them).
///
/// `advance` is one `BEGIN IMMEDIATE` transaction: the check of the stored size and the save
/// of the new checkpoint happen under SQLite's write lock, so two requests — in this process or
/// in two witness processes on the same file — can never both cosign from the same old size
/// (the rollback race the spec describes).
public struct WitnessStateStore: Sendable {
    /// The state file.
    public let path: String
    let queue: DatabaseQueue

    /// What the witness last cosigned for an origin.
    public struct Witnessed: Sendable, Hashable {
        /// The checkpoint's size.
        public let size: UInt64
        /// Its root hash.
        public let root: Hash
        /// The signed checkpoint as received, with the witness's own cosignature line added.
        public let note: String
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS witnessed (
            origin TEXT PRIMARY KEY NOT NULL,
            size   INTEGER NOT NULL CHECK (size >= 0),
            root   BLOB NOT NULL,
            note   TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS refused (
            id          INTEGER PRIMARY KEY,
            origin      TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            status      INTEGER NOT NULL,
            reason      TEXT NOT NULL,
            request     BLOB NOT NULL
        );
        """

    /// Opens (creating if missing, mode 0600) the state file at `path`.
    /// - Throws: `RIPAError.badInput` if the file cannot be opened as a witness state.
    public init(path: String) throws(RIPAError) {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 { Foundation.close(fd) }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(15)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.write { db in try db.execute(sql: Self.schema) }
            self.queue = queue
        } catch {
            throw RIPAError(.badInput, "cannot open the witness state \(path): \(error)", reason: .witnessStateUnusable, values: ["path": path])
        }
    }

    /// What the witness last cosigned for `origin`, or nil.
    public func witnessed(origin: String) throws -> Witnessed? {
        try queue.read { db in try Self.row(db, origin: origin) }
    }

    static func row(_ db: Database, origin: String) throws -> Witnessed? {
        guard let row = try Row.fetchOne(db, sql: "SELECT size, root, note FROM witnessed WHERE origin = ?", arguments: [origin]) else {
            return nil
        }
        let bytes: [UInt8] = Array(row["root"] as Data)
        guard let root = Hash(bytes: bytes) else { throw RIPAError(.badInput, "the witness state \(origin) row holds a root that is not 32 bytes") }
        return Witnessed(size: UInt64(row["size"] as Int64), root: root, note: row["note"])
    }

    /// Under the write lock: hands `decide` what was last cosigned for `origin`; if it returns a
    /// new state, saves it before the lock is released. Whatever `decide` throws, nothing is saved.
    public func advance<T>(origin: String, _ decide: (Witnessed?) throws -> (T, Witnessed?)) throws -> T {
        try queue.inDatabase { db in
            var result: T?
            try db.inTransaction(.immediate) {
                let (answer, next) = try decide(try Self.row(db, origin: origin))
                if let next {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO witnessed (origin, size, root, note) VALUES (?, ?, ?, ?)",
                        arguments: [origin, Int64(next.size), Data(next.root.bytes), next.note])
                }
                result = answer
                return .commit
            }
            return result!
        }
    }

    /// Keeps a refused request whose checkpoint carried a good signature (evidence of a fork
    /// or a rollback by the log).
    public func keepRefused(origin: String, status: Int, reason: String, request: [UInt8], at time: UInt64) {
        _ = try? queue.write { db in
            try db.execute(
                sql: "INSERT INTO refused (origin, received_at, status, reason, request) VALUES (?, ?, ?, ?, ?)",
                arguments: [origin, Int64(time), status, reason, Data(request)])
        }
    }

    /// How many refused requests are kept for `origin`.
    public func refusedCount(origin: String) throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM refused WHERE origin = ?", arguments: [origin]) ?? 0 }
    }
}
