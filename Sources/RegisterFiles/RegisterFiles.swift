import Foundation
import Ledger
import RIPA
import RegisterStorage
import SQLiteStorage

/// A register kept in files: an SQLite database (`SQLiteBackend`) and, beside it, the register
/// key file (`register.db` → `register.key`). The one place the core is composed with a
/// backend for a front end (the CLI; the web server).
public enum RegisterFiles {
    /// The key file that belongs to a database.
    public static func keyFile(databasePath: String) -> RegisterKeyFile {
        RegisterKeyFile(databasePath: databasePath)
    }

    /// Opens an existing register.
    ///
    /// - Parameters:
    ///   - readOnly: for commands that only read (verify, status, reports): the database is
    ///     opened read-only and nothing is written beside it (see `SQLiteBackend.open`).
    ///   - clock: `.system`, or a test clock, which only a test register accepts.
    /// - Throws: `StoreError` for a missing or foreign database; `RIPAError.badInput` for a
    ///   test clock on a real register.
    public static func open(databasePath: String, readOnly: Bool = false, clock: RegisterClock = .system) async throws -> Register {
        let store = RegisterStore(backend: try SQLiteBackend.open(at: databasePath, readOnly: readOnly))
        return try await Register.open(store: store, keyStore: keyFile(databasePath: databasePath), clock: clock)
    }

    /// One warning for each of the database and the key file that group or others can read
    /// (or write): the database holds every user's sealed key, open to an offline guess at
    /// their passphrase; the key file signs checkpoints; the data-protection key opens every
    /// case's personal data. All should be mode 0600.
    public static func looseFileModes(databasePath: String) -> [String] {
        let keys = keyFile(databasePath: databasePath)
        return [(databasePath, "database"), (keys.path, "register key file"), (keys.dataProtectionPath, "data-protection key file")].compactMap { path, what in
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & 0o077 != 0 else { return nil }
            let mode = String(info.st_mode & 0o777, radix: 8)
            return "the \(what) \(path) is mode \(mode), readable by others: run chmod 600 \(path)"
        }
    }
}
