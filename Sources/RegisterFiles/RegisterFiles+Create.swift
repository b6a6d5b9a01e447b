import Foundation
import Ledger
import RIPA
import RegisterStorage
import SQLiteStorage

extension RegisterFiles {
    /// Creates a register: the database, the register key file (0600, beside it), the
    /// genesis entry, the initial pack and the founding administrators' invitations — atomically.
    ///
    /// Both files are built in a staging folder beside the target (`.ripa-init-XXXXXX`, so
    /// on the same file system), made durable (`fsync` of each file and the folder), then
    /// linked into place without replacing anything. If any step fails — a full disk, a bad
    /// origin, a refused passphrase — the staging folder is removed and nothing is left at
    /// the target, so a retry starts clean (a 4 KB stub left by a full disk used to make
    /// every retry say "already exists").
    ///
    /// - Returns: the register and its verifier key (to publish).
    ///   `policy`, when given, is adopted by the administrator in the same transaction.
    /// - Throws: `StoreError.alreadyExists` or `RIPAError.keyFile` if something is already at
    ///   either path; `RIPAError.badInput` for a bad origin, user or passphrase; `StoreError`
    ///   when the disk refuses.
    public static func create(
        databasePath: String, origin: String, administrators: [NewUser],
        policy: (policy: Policy, files: [String]),
        testRegister: Bool = false, clock: RegisterClock = .system
    ) async throws -> (Register, NoteVerifierKey, [IssuedInvitation]) {
        let target = URL(fileURLWithPath: databasePath)
        let keyFile = RegisterKeyFile(databasePath: databasePath)
        if FileManager.default.fileExists(atPath: databasePath) || (try? FileManager.default.attributesOfItem(atPath: databasePath)) != nil {
            throw StoreError(.alreadyExists, "\(databasePath) already exists; choose a new path for the register (init never overwrites)")
        }
        if FileManager.default.fileExists(atPath: keyFile.dataProtectionPath) {
            throw RIPAError(.keyFile, "\(keyFile.dataProtectionPath) already exists; a new register never overwrites a key", reason: .keyFileExists, values: ["path": keyFile.dataProtectionPath])
        }
        if FileManager.default.fileExists(atPath: keyFile.path) {
            throw RIPAError(.keyFile, "\(keyFile.path) already exists; a new register never overwrites a key", reason: .keyFileExists, values: ["path": keyFile.path])
        }
        // Before anything touches the disk.
        for administrator in administrators { try administrator.validate() }
        let folder = target.deletingLastPathComponent().path
        var template = Array("\(folder)/.ripa-init-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw RIPAError(.badInput, "cannot create the register in \(folder): \(String(cString: strerror(errno)))")
        }
        let staging = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let stagedDB = staging + "/" + target.lastPathComponent
        let stagedKey = RegisterKeyFile(databasePath: stagedDB)

        // Checked before a file is made: a store's origin is fixed when it is made.
        do {
            _ = try NoteSignerKey(name: origin, signingKey: SigningKey())
        } catch {
            throw RIPAError(.badInput, "origin '\(origin)' cannot name a register: \(error.message) (use a form like ripa.example-council.gov.uk/register)")
        }
        let backend = try SQLiteBackend.create(at: stagedDB, origin: origin)
        let (built, verifierKey, invitations): (Register, NoteVerifierKey, [IssuedInvitation])
        do {
            (built, verifierKey, invitations) = try await Register.build(
                store: RegisterStore(backend: backend), keyStore: stagedKey, administrators: administrators,
                policy: policy, testRegister: testRegister, clock: clock)
        } catch {
            try? await backend.close()
            throw error
        }
        // Closing the last connection checkpoints the WAL into the database and removes it.
        try await built.store.close()
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: stagedDB + suffix) {
            // A WAL still present would hold committed pages: refuse rather than move half a register.
            guard suffix == "-shm" || (try? FileManager.default.attributesOfItem(atPath: stagedDB + suffix)[.size] as? Int) == 0 else {
                throw RIPAError(.badInput, "could not finish writing the register in \(staging); nothing was created")
            }
        }
        try sync(stagedDB)
        try sync(stagedKey.path)
        try sync(stagedKey.dataProtectionPath)
        try sync(staging)

        // link(2) fails if the target exists: nothing is ever replaced, even by a racing init.
        try place(stagedKey.path, at: keyFile.path)
        do {
            try place(stagedKey.dataProtectionPath, at: keyFile.dataProtectionPath)
        } catch {
            unlink(keyFile.path)
            throw error
        }
        do {
            try place(stagedDB, at: databasePath)
        } catch {
            unlink(keyFile.path)
            unlink(keyFile.dataProtectionPath)
            throw error
        }
        try? sync(folder)
        return await (try open(databasePath: databasePath, clock: clock), verifierKey, invitations)
    }

    /// Links `source` to `target` (refusing to replace anything), then drops `source`.
    private static func place(_ source: String, at target: String) throws {
        if link(source, target) == 0 {
            unlink(source)
            return
        }
        let failure = errno
        // A file system without hard links: rename, having checked nothing is there.
        if [EPERM, ENOTSUP, EMLINK, ENOSYS].contains(failure), !FileManager.default.fileExists(atPath: target),
           rename(source, target) == 0 {
            return
        }
        let reason = failure == EEXIST ? "it appeared while init ran" : String(cString: strerror(failure))
        throw RIPAError(.badInput, "cannot create \(target): \(reason); nothing was created")
    }

    /// `fsync` of a file or folder, so what was staged survives a crash before the move.
    private static func sync(_ path: String) throws {
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RIPAError(.badInput, "cannot open \(path) to make it durable: \(String(cString: strerror(errno)))") }
        defer { Foundation.close(fd) }
        guard fsync(fd) == 0 else {
            throw RIPAError(.badInput, "cannot make \(path) durable: \(String(cString: strerror(errno))); nothing was created")
        }
    }
}
