import Ledger
import RegisterStorage

/// `manifest.json` of an export bundle: what register it is from, which entries it holds,
/// and the SHA-256 and length of every other file in it (docs/bundles.md,
/// Schemas/bundle-manifest.schema.json).
///
/// The manifest is not signed: what it claims is checked against what the entries make. The
/// entries are signed one by one, the checkpoints by the register key and its witnesses, and
/// every other file is computed again from the entries by the verifier and compared.
public struct BundleManifest: Sendable, Hashable, Codable {
    /// The format's name and version.
    public static let formatName = "ripa-register/bundle/v1"

    /// One file of the bundle.
    public struct File: Sendable, Hashable, Codable {
        /// Its path in the archive.
        public var path: String
        /// Lower-case hex SHA-256 of its bytes.
        public var sha256: String
        /// Its length.
        public var bytes: Int
    }

    /// `ripa-register/bundle/v1`.
    public var format: String
    /// The register's checkpoint origin.
    public var origin: String
    /// Whether the register is a test register.
    public var testRegister: Bool
    /// The first entry the bundle holds: 0, or the size of the checkpoint an incremental
    /// bundle continues from.
    public var from: UInt64
    /// The register's size when the bundle was made: the entries run `from` to `size - 1`.
    public var size: UInt64
    /// The RFC 6962 root of the first `size` entries (base64), as the latest checkpoint signs it.
    public var root: String
    /// When the bundle was made; the central record and the statistics are as at this moment.
    public var madeAt: EntryTime
    /// The inspector key the data keys are sealed to, or nil when the bundle hands over none.
    public var recipient: String?
    /// The cases whose data keys are sealed to the inspector (empty without a recipient).
    public var cases: [String]
    /// Every other file, in archive order.
    public var files: [File]

    /// The entries held, in words: `entries 0 to 23`, `entry 24`, `no entries after 24`.
    public var entriesDescription: String {
        switch size - from {
        case 0: "no entries after \(from)"
        case 1: "entry \(from)"
        default: "entries \(from) to \(size - 1)"
        }
    }

    /// The data keys handed to the recipient, in words, or nil for none: the cases, and the
    /// profile-tag and case-index keys (`tags:…`) apart.
    public var handedOverDescription: String? {
        guard let recipient else { return nil }
        let tags = cases.filter { $0.hasPrefix("tags:") }.count
        let count = cases.count - tags
        return "data keys of \(count) case\(count == 1 ? "" : "s")\(tags == 0 ? "" : " and \(tags) profile-tag key\(tags == 1 ? "" : "s")") sealed to \(recipient)"
    }

    enum CodingKeys: String, CodingKey {
        case format, origin, testRegister = "test_register", from, size, root, madeAt = "made_at", recipient, cases, files
    }
}

/// The files of a bundle, by name (docs/bundles.md "Files").
enum BundleFile {
    static let manifest = "manifest.json"
    static let readme = "README.txt"
    static let entries = "entries.jsonl"
    static let checkpoints = "checkpoints.jsonl"
    static let checkpoint = "checkpoint.txt"
    static let continues = "continues.txt"
    static let verifierKeys = "verifier-keys.txt"
    static let witnessPolicy = "witness-policy.txt"
    static let policies = "policies.json"
    static let centralRecord = "central-record.csv"
    static let statistics = "statistics.json"
    static let dataKeys = "data-keys.json"
    static let inspectorKeys = "inspector-keys.sealed"
    static let documentsFolder = "documents/"

    /// The files the verifier computes again from the entries and compares, byte for byte.
    static let derived = [verifierKeys, witnessPolicy, policies, centralRecord, statistics]
}

/// One line of `checkpoints.jsonl`: a checkpoint as the register key signed it, and the
/// witnesses' cosignatures of it.
struct BundleCheckpoint: Sendable, Hashable, Codable {
    var size: UInt64
    var note: String
    var cosignatures: [StoredCosignature]
}

/// One line of `data-keys.json`'s list: a case's data key by name, kept or destroyed (by which
/// entry). No key material: that is only ever in `inspector-keys.sealed`.
struct BundleDataKey: Sendable, Hashable, Codable {
    var name: String
    var destroyedSeq: UInt64?

    enum CodingKeys: String, CodingKey { case name, destroyedSeq = "destroyed_seq" }
}
