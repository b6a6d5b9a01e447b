import Foundation
import Ledger
import RIPA
import RegisterStorage
import SQLiteStorage

extension RegisterFiles {
    /// Makes a verified backup of the live register at `databasePath` in `target`.
    ///
    /// The copy is taken with SQLite's online backup in steps (`SQLiteBackend.backup`), from
    /// one read snapshot: appends by others go on meanwhile and are simply not in it. It is
    /// written in a staging folder beside `target` (`.ripa-backup-XXXXXX`, the same file
    /// system), verified there exactly as `verify --replay` verifies a register (opened
    /// read-only, with the register's key files, so sealed data replays as it does live),
    /// made durable, then linked into place: `target` is either the complete, verified copy
    /// or untouched. A copy that fails verification is removed and the backup fails.
    ///
    /// - Parameters:
    ///   - force: replace a file already at `target` (by rename, so atomically).
    ///   - clock: the verifier's clock (a test register's fixed one).
    /// - Throws: `RIPAError.badInput` (`backup.targetExists`, `backup.badTarget`,
    ///   `backup.copyFailed`); `StoreError` for a missing register or a disk that refuses.
    public static func backup(databasePath: String, to target: String, force: Bool = false, clock: RegisterClock = .system) async throws -> BackupMade {
        try checkBackupTarget(target, databasePath: databasePath, force: force)
        let targetURL = URL(fileURLWithPath: target)
        let staging = try makeStaging(in: targetURL.deletingLastPathComponent().path, prefix: ".ripa-backup-")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let staged = staging + "/" + targetURL.lastPathComponent

        let source = try SQLiteBackend.open(at: databasePath, readOnly: true)
        do {
            try source.backup(to: staged)
        } catch {
            try? await source.close()
            throw error
        }
        try await source.close()

        let copy = try await openCopy(staged, keysOf: databasePath, clock: clock)
        let verification = RegisterServices(register: copy).verification
        let verified: VerificationResult
        let checkpoint: String
        do {
            verified = try await verification.verify(replay: true)
            checkpoint = try await verification.latestCheckpoint()
        } catch {
            try? await copy.store.close()
            throw error
        }
        try await copy.store.close()
        guard let report = verified.report else {
            let failure = verified.failure!
            throw RIPAError(
                .badInput, "the copy did not verify, so it was removed and nothing was written to \(target): \(failure)",
                reason: .backupCopyFailed, values: failureValues(failure))
        }
        try SQLiteBackend.removeSideFiles(of: staged)
        try SQLiteBackend.sync(staged)
        try SQLiteBackend.sync(staging)
        try place(staged, at: target, replacing: force)
        try? SQLiteBackend.sync(targetURL.deletingLastPathComponent().path)

        var info = stat()
        let bytes = stat(target, &info) == 0 ? UInt64(info.st_size) : 0
        return BackupMade(
            testRegister: copy.isTestRegister, db: databasePath, path: target, bytes: bytes, size: report.size,
            root: report.root.base64, checkpoint: checkpoint, verified: report.summary, notIncluded: keyFilesNotIncluded(databasePath: databasePath))
    }

    /// The key files beside the database, which no backup of the database holds.
    public static func keyFilesNotIncluded(databasePath: String) -> [KeyFileNotIncluded] {
        let key = keyFile(databasePath: databasePath)
        let protection = key.dataProtectionPath
        return [
            KeyFileNotIncluded(what: "register key", path: key.path, present: FileManager.default.fileExists(atPath: key.path)),
            KeyFileNotIncluded(what: "data-protection key", path: protection, present: FileManager.default.fileExists(atPath: protection)),
        ]
    }

    /// Refuses a backup target that is the register itself or a key file beside it, is not a
    /// regular file, or exists when overwriting was not asked for.
    static func checkBackupTarget(_ target: String, databasePath: String, force: Bool) throws {
        guard !target.isEmpty else {
            throw RIPAError(.badInput, "no file named for the backup", reason: .inputMissing, values: ["field": "to"])
        }
        let key = keyFile(databasePath: databasePath)
        let own = [databasePath, databasePath + "-wal", databasePath + "-shm", key.path, key.dataProtectionPath]
        if own.contains(where: { sameFile($0, target) }) {
            throw RIPAError(.badInput, "\(target) is the register or one of its files; a backup goes to a new file", reason: .backupBadTarget, values: ["path": target])
        }
        var info = stat()
        if stat(target, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw RIPAError(.badInput, "\(target) is not a regular file; a backup is written to a file", reason: .backupBadTarget, values: ["path": target])
            }
            guard force else {
                throw RIPAError(.badInput, "\(target) already exists; a backup never overwrites a file unless told to", reason: .backupTargetExists, values: ["path": target])
            }
        }
        var folder = stat()
        let parent = URL(fileURLWithPath: target).deletingLastPathComponent().path
        guard stat(parent, &folder) == 0, folder.st_mode & S_IFMT == S_IFDIR else {
            throw RIPAError(.badInput, "the folder \(parent) for the backup does not exist", reason: .backupBadTarget, values: ["path": target])
        }
    }

    /// Whether two paths name the same existing file (device and inode), or the same path.
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        if stat(a, &x) == 0, stat(b, &y) == 0 { return x.st_dev == y.st_dev && x.st_ino == y.st_ino }
        return URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
    }

    /// A copy of a register opened read-only, with the key files of the register it belongs
    /// to (it has none beside it in a staging folder): what verification needs.
    static func openCopy(_ path: String, keysOf databasePath: String, clock: RegisterClock) async throws -> Register {
        let store = RegisterStore(backend: try SQLiteBackend.open(at: path, readOnly: true))
        do {
            return try await Register.open(store: store, keyStore: keyFile(databasePath: databasePath), clock: clock)
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// A new private folder beside `folder`'s files, on the same file system (so a rename
    /// from it is atomic).
    static func makeStaging(in folder: String, prefix: String) throws -> String {
        var template = Array("\(folder)/\(prefix)XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw RIPAError(.badInput, "cannot write in \(folder): \(String(cString: strerror(errno)))", reason: .backupBadTarget, values: ["path": folder])
        }
        return String(cString: made)
    }

    /// Puts `source` at `target`: by `link` when nothing may be replaced (it fails if a file
    /// appeared meanwhile), by `rename` when replacing is allowed; either way atomically.
    static func place(_ source: String, at target: String, replacing: Bool) throws {
        if replacing {
            guard rename(source, target) == 0 else {
                throw RIPAError(.badInput, "cannot write \(target): \(String(cString: strerror(errno)))", reason: .backupBadTarget, values: ["path": target])
            }
            return
        }
        if link(source, target) == 0 {
            unlink(source)
            return
        }
        let failure = errno
        if failure == EEXIST {
            throw RIPAError(.badInput, "\(target) appeared while the copy was made; nothing was overwritten", reason: .backupTargetExists, values: ["path": target])
        }
        // A file system without hard links: rename, having checked nothing is there.
        if [EPERM, ENOTSUP, EMLINK, ENOSYS].contains(failure), !FileManager.default.fileExists(atPath: target), rename(source, target) == 0 {
            return
        }
        throw RIPAError(.badInput, "cannot write \(target): \(String(cString: strerror(failure)))", reason: .backupBadTarget, values: ["path": target])
    }

    /// A verification failure's check and entry, as error values.
    static func failureValues(_ failure: VerificationFailure) -> [String: String] {
        var values = ["check": failure.check.rawValue]
        if let index = failure.index { values["index"] = String(index) }
        return values
    }
}
