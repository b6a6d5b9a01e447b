import Foundation
import Ledger

/// What `VerificationService.verify` found: either the register verified (the report), or
/// the first broken check (the failure, naming the entry and the check).
///
/// As JSON: `{"ok": true, "test_register", "size", "root", "verifier_keys", "active_users",
/// "kept_checkpoint_size", "replayed_decisions", "since_size" (with `--since`), "summary"}`, or `{"ok": false,
/// "test_register", "index", "check", "message"}`.
public struct VerificationResult: Sendable, Equatable, Codable {
    /// Whether every check passed.
    public var ok: Bool { failure == nil }
    /// Whether the register is a test register.
    public var testRegister: Bool
    /// What was proved, when every check passed.
    public var report: VerificationReport?
    /// The first broken check, when one failed.
    public var failure: VerificationFailure?
    /// The witness checks (policy, cosignatures, quorum), when every check passed.
    public var witnessing: WitnessingReport?

    init(testRegister: Bool, report: VerificationReport) {
        self.testRegister = testRegister
        self.report = report
    }

    init(testRegister: Bool, failure: VerificationFailure) {
        self.testRegister = testRegister
        self.failure = failure
    }

    enum CodingKeys: String, CodingKey {
        case ok, testRegister = "test_register", size, root, verifierKeys = "verifier_keys", activeUsers = "active_users",
            keptCheckpointSize = "kept_checkpoint_size", replayedDecisions = "replayed_decisions", sinceSize = "since_size", summary,
            index, check, message, witnessing
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ok, forKey: .ok)
        try container.encode(testRegister, forKey: .testRegister)
        if let failure {
            try container.encode(failure.index, forKey: .index)
            try container.encode(failure.check, forKey: .check)
            try container.encode(failure.message, forKey: .message)
        } else if let report {
            try container.encode(report.size, forKey: .size)
            try container.encode(report.root.base64, forKey: .root)
            try container.encode(report.verifierKeys, forKey: .verifierKeys)
            try container.encode(report.activeUsers, forKey: .activeUsers)
            try container.encode(report.keptCheckpointSize, forKey: .keptCheckpointSize)
            try container.encode(report.replayedDecisions, forKey: .replayedDecisions)
            try container.encodeIfPresent(report.sinceSize, forKey: .sinceSize)
            try container.encode(report.summary, forKey: .summary)
            try container.encodeIfPresent(witnessing, forKey: .witnessing)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        testRegister = try container.decode(Bool.self, forKey: .testRegister)
        if try container.decode(Bool.self, forKey: .ok) {
            let root = try container.decode(String.self, forKey: .root)
            guard let hash = Hash(base64: root) else {
                throw DecodingError.dataCorruptedError(forKey: .root, in: container, debugDescription: "not a base64 SHA-256")
            }
            report = VerificationReport(
                size: try container.decode(UInt64.self, forKey: .size), root: hash,
                verifierKeys: try container.decode([String].self, forKey: .verifierKeys),
                activeUsers: try container.decode(Int.self, forKey: .activeUsers), kinds: [:],
                keptCheckpointSize: try container.decodeIfPresent(UInt64.self, forKey: .keptCheckpointSize),
                replayedDecisions: try container.decodeIfPresent(Int.self, forKey: .replayedDecisions),
                sinceSize: try container.decodeIfPresent(UInt64.self, forKey: .sinceSize))
            witnessing = try container.decodeIfPresent(WitnessingReport.self, forKey: .witnessing)
        } else {
            failure = VerificationFailure(
                index: try container.decodeIfPresent(UInt64.self, forKey: .index),
                check: try container.decode(VerificationFailure.Check.self, forKey: .check),
                try container.decode(String.self, forKey: .message))
        }
    }
}

/// What `VerificationService.rebuild` did: `{"ok": true, "entries", "exceptions"}`.
public struct RebuildResult: Sendable, Hashable, Codable {
    /// Entries projected.
    public var entries: UInt64
    /// Entries whose decisions do not follow the rules in force, in log order, and how each
    /// was projected.
    public var exceptions: [RuleException]

    enum CodingKeys: String, CodingKey { case ok, entries, exceptions }

    init(entries: UInt64, exceptions: [RuleException]) {
        self.entries = entries
        self.exceptions = exceptions
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(true, forKey: .ok)
        try container.encode(entries, forKey: .entries)
        try container.encode(exceptions, forKey: .exceptions)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        entries = try container.decode(UInt64.self, forKey: .entries)
        exceptions = try container.decode([RuleException].self, forKey: .exceptions)
    }
}

/// One entry of the log (`VerificationService.log`).
public struct LogLine: Sendable, Hashable, Codable {
    /// Its index.
    public var seq: UInt64
    /// Its leaf data: the entry's canonical JSON, exactly the signed bytes.
    public var leaf: String
    /// Its time (when described).
    public var time: EntryTime?
    /// Its kind (when described).
    public var kind: String?
    /// Who signed it: a user id, `register`, or the key in base64 when no one holds it (when described).
    public var signer: String?
    /// For an entry with sealed personal fields (when described): its body with them opened,
    /// as canonical JSON, or with placeholders where they were destroyed or cannot be opened here.
    public var openedBody: String?
    /// For an entry with sealed personal fields (when described): whether they could be read.
    public var personalData: SealState?

    init(seq: UInt64, leaf: String) {
        self.seq = seq
        self.leaf = leaf
    }
}

/// The register's origin, size, root and verifier key (`ripa info`).
public struct RegisterInfo: Sendable, Hashable, Codable {
    /// The checkpoint origin.
    public var origin: String
    /// Entries.
    public var size: UInt64
    /// The RFC 6962 root over them, base64.
    public var root: String
    /// The current verifier key (`<origin>+<key id>+<base64>`).
    public var verifierKey: String
    /// Whether it is a test register.
    public var testRegister: Bool

    enum CodingKeys: String, CodingKey {
        case origin, size, root, verifierKey = "verifier_key", testRegister = "test_register"
    }
}

/// An RFC 6962 inclusion proof, hashes in base64: `{index, size, leaf_hash, root, proof}`.
public struct InclusionProofResult: Sendable, Hashable, Codable {
    /// The entry's index.
    public var index: UInt64
    /// The tree size.
    public var size: UInt64
    /// The entry's leaf hash.
    public var leafHash: String
    /// The tree's root.
    public var root: String
    /// The audit path.
    public var proof: [String]

    enum CodingKeys: String, CodingKey { case index, size, leafHash = "leaf_hash", root, proof }
}

/// An RFC 6962 consistency proof, hashes in base64: `{old, new, old_root, new_root, proof}`.
public struct ConsistencyProofResult: Sendable, Hashable, Codable {
    /// The older tree size.
    public var old: UInt64
    /// The newer tree size.
    public var new: UInt64
    /// The older tree's root.
    public var oldRoot: String
    /// The newer tree's root.
    public var newRoot: String
    /// The proof's hashes.
    public var proof: [String]

    enum CodingKeys: String, CodingKey { case old, new, oldRoot = "old_root", newRoot = "new_root", proof }
}

/// A document the register keeps, checked against its SHA-256 (content in base64 as JSON).
public struct KeptDocument: Sendable, Hashable, Codable {
    /// Lower-case hex SHA-256.
    public var sha256: String
    /// The bytes.
    public var content: [UInt8]

    init(sha256: String, content: [UInt8]) {
        self.sha256 = sha256
        self.content = content
    }

    enum CodingKeys: String, CodingKey { case sha256, content }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(Data(content).base64EncodedString(), forKey: .content)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sha256 = try container.decode(String.self, forKey: .sha256)
        let text = try container.decode(String.self, forKey: .content)
        guard let bytes = Data(base64Encoded: text).map(Array.init) else {
            throw DecodingError.dataCorruptedError(forKey: .content, in: container, debugDescription: "not base64")
        }
        content = bytes
    }
}
