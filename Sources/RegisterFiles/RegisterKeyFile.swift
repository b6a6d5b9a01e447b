import Foundation
import Ledger
import RIPA
import RegisterStorage
import Synchronization

/// The register key's file: the C2SP/Go `PRIVATE+KEY+…` text, mode 0600, beside the
/// database and never inside it (docs/formats.md "Keys"). The register key signs checkpoints,
/// the genesis entry, the initial pack, the founding administrators' invitations and key rotations.
public struct RegisterKeyFile: RegisterKeyStore {
    /// Where the key lives.
    public let path: String

    /// The key file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The key file for a database: `register.db` → `register.key`.
    public init(databasePath: String) {
        let url = URL(fileURLWithPath: databasePath)
        let base = url.pathExtension.isEmpty ? url : url.deletingPathExtension()
        path = base.path + ".key"
    }

    public var location: String { path }

    /// Where a rotation writes the next key before the rotation entry commits.
    var pendingPath: String { path + ".next" }

    /// Reads the key.
    ///
    /// - Throws: `RIPAError.keyFile` if missing, unreadable or malformed.
    public func load() throws(RIPAError) -> NoteSignerKey {
        try Self.read(path).key
    }

    /// Keys already read, by path, with the file's stamp when read: deriving the key pair
    /// and even reading the file cost more than a `stat`, and a writer appends many times.
    /// A file replaced (a rotation renames the new key over it), rewritten or re-permissioned
    /// since has a different stamp and is read again. A rewrite in place to the same length
    /// within one tick of the file-system clock could go unnoticed until the next change; the
    /// key is still checked against the verifier key the log names before it signs anything.
    private static let known = Mutex<[String: (stamp: FileStamp, key: NoteSignerKey, verifierKey: String)]>([:])

    /// The key in the file at `path` and its verifier key's text form.
    static func read(_ path: String) throws(RIPAError) -> (key: NoteSignerKey, verifierKey: String) {
        guard let stamp = FileStamp(path: path) else {
            throw RIPAError(.keyFile, "register key file \(path) is missing; it must sit beside the database (restore it from your key backup)")
        }
        if let cached = known.withLock({ $0[path] }), cached.stamp == stamp { return (cached.key, cached.verifierKey) }
        guard let data = try? InputFile.bytes(path, limit: InputLimits.keyFileBytes, what: "register key file"),
              let text = String(validating: data, as: UTF8.self)
        else {
            throw RIPAError(.keyFile, "cannot read register key file \(path) (it must be a regular file of one line; check its owner and mode 0600)")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            let key = try NoteSignerKey(parsing: trimmed)
            let verifierKey = key.verifierKey.description
            known.withLock { $0[path] = (stamp, key, verifierKey) }
            return (key, verifierKey)
        } catch {
            throw RIPAError(.keyFile, "register key file \(path) is malformed: \(error.message)")
        }
    }

    /// Writes a new key file with mode 0600, refusing to overwrite one.
    public func create(_ key: NoteSignerKey) throws(RIPAError) {
        try Self.write(key, to: path)
    }

    static func write(_ key: NoteSignerKey, to path: String) throws(RIPAError) {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw RIPAError(.keyFile, "cannot create register key file \(path): \(String(cString: strerror(errno)))")
        }
        let bytes = Array((key.description + "\n").utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0 else {
            unlink(path)
            throw RIPAError(.keyFile, "cannot write register key file \(path)")
        }
    }

    /// Stages the next key for a rotation.
    public func stage(_ key: NoteSignerKey) throws(RIPAError) {
        unlink(pendingPath)
        try Self.write(key, to: pendingPath)
    }

    /// Makes the staged key the register key (after the rotation entry committed).
    public func promoteStaged() throws(RIPAError) {
        guard rename(pendingPath, path) == 0 else {
            throw RIPAError(.keyFile, "the rotation was recorded but \(pendingPath) could not replace \(path); rename it by hand")
        }
    }

    /// Loads the key the log says is current, finishing an interrupted rotation if the
    /// staged key is the one the log names.
    ///
    /// - Parameter current: the verifier key the register's log names as current.
    public func load(matching current: String) throws(RIPAError) -> NoteSignerKey {
        let (key, verifierKey) = try Self.read(path)
        if verifierKey == current { return key }
        if FileManager.default.fileExists(atPath: pendingPath),
           let staged = try? Self.read(pendingPath), staged.verifierKey == current {
            try promoteStaged()
            return staged.key
        }
        throw RIPAError(.keyFile, "register key file \(path) does not hold this register's current key (\(current))")
    }

    public func discardStaged() {
        unlink(pendingPath)
    }

    /// Removes the key files (only used to undo a failed `init`).
    public func remove() {
        unlink(path)
        unlink(pendingPath)
        unlink(dataProtectionPath)
    }
}
