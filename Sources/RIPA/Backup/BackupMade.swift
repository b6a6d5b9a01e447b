import Foundation
import Ledger

/// A backup just written and verified (`ripa backup --to FILE`), as `--json` prints it.
///
/// The copy is the whole database as of one commit: every entry, tree node and checkpoint,
/// the projections, the documents, every user's sealed key and every case's sealed data key.
/// It holds no key file: `notIncluded` names them, to be backed up separately.
public struct BackupMade: Sendable, Hashable, Codable {
    /// Whether the register is a test register.
    public var testRegister: Bool
    /// The register copied.
    public var db: String
    /// The backup file written (mode 0600).
    public var path: String
    /// Its size on disk, in bytes.
    public var bytes: UInt64
    /// The entries it holds (the size of its latest checkpoint).
    public var size: UInt64
    /// The root of those entries' tree, base64.
    public var root: String
    /// Its latest signed checkpoint, as signed: keep it with the backup, and `restore
    /// --checkpoint` can later check the backup against it.
    public var checkpoint: String
    /// What the verification of the copy found (the summary `verify` prints).
    public var verified: String
    /// The key files the backup does not hold, each to be backed up on its own.
    public var notIncluded: [KeyFileNotIncluded]

    /// Describes a backup.
    public init(
        testRegister: Bool, db: String, path: String, bytes: UInt64, size: UInt64, root: String, checkpoint: String,
        verified: String, notIncluded: [KeyFileNotIncluded]
    ) {
        self.testRegister = testRegister
        self.db = db
        self.path = path
        self.bytes = bytes
        self.size = size
        self.root = root
        self.checkpoint = checkpoint
        self.verified = verified
        self.notIncluded = notIncluded
    }

    enum CodingKeys: String, CodingKey {
        case testRegister = "test_register", db, path, bytes, size, root, checkpoint, verified, notIncluded = "not_included"
    }
}

/// A key file kept beside the database and never inside it, so never in a backup of it.
public struct KeyFileNotIncluded: Sendable, Hashable, Codable {
    /// What the key is: `register key` (signs checkpoints) or `data-protection key` (seals
    /// every case's data key).
    public var what: String
    /// Where it is.
    public var path: String
    /// Whether it is there now.
    public var present: Bool

    /// Names a key file.
    public init(what: String, path: String, present: Bool) {
        self.what = what
        self.path = path
        self.present = present
    }
}
