import Ledger

/// What a successful `ripa verify` proved.
public struct VerificationReport: Sendable, Equatable {
    /// Entries verified.
    public let size: UInt64
    /// The RFC 6962 root over them, equal to the latest checkpoint's.
    public let root: Hash
    /// The register's verifier keys in order (the first from genesis, then each rotation).
    public let verifierKeys: [String]
    /// Active users at the end.
    public let activeUsers: Int
    /// Entries per kind.
    public let kinds: [String: Int]
    /// The size of the auditor's kept checkpoint, when one was given.
    public let keptCheckpointSize: UInt64?
    /// Decisions re-run (with `--replay`), or nil.
    public let replayedDecisions: Int?

    /// One line for people.
    public var summary: String {
        var parts = ["\(size) entries verified", "\(activeUsers) active users", "\(verifierKeys.count) register key\(verifierKeys.count == 1 ? "" : "s")"]
        if let keptCheckpointSize { parts.append("extends the kept checkpoint at size \(keptCheckpointSize)") }
        if let replayedDecisions { parts.append("\(replayedDecisions) decisions replayed") }
        return "OK: " + parts.joined(separator: "; ")
    }
}
