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
    /// With `--since`: the entries the saved state covered, proved unchanged by a consistency
    /// proof rather than walked again; nil for a full verify.
    public var sinceSize: UInt64? = nil
    /// With `--replay`: entries whose decisions could not be re-run in full because their
    /// personal data was destroyed, or is sealed and the data-protection key is not here (their
    /// signatures, order, signers' roles and times were checked all the same).
    public var notRechecked: Int? = nil
    /// With `--save-state`: the state file of what this verify learnt, for the next `--since`
    /// (`VerificationState.fileText()`).
    public var stateFile: String? = nil

    /// One line for people.
    public var summary: String {
        var parts: [String]
        switch sinceSize {
        case nil: parts = ["\(size) entries verified"]
        case size?: parts = ["no new entries since the saved state at size \(size), whose root the latest checkpoint keeps"]
        case let old? where size == old + 1: parts = ["1 new entry verified (\(old)); the first \(old) proved unchanged since the saved state"]
        case let old?: parts = ["\(size - old) new entries verified (\(old) to \(size - 1)); the first \(old) proved unchanged since the saved state"]
        }
        parts += ["\(activeUsers) active users", "\(verifierKeys.count) register key\(verifierKeys.count == 1 ? "" : "s")"]
        if let keptCheckpointSize { parts.append("extends the kept checkpoint at size \(keptCheckpointSize)") }
        if let replayedDecisions { parts.append("\(replayedDecisions) decisions replayed") }
        if let notRechecked, notRechecked > 0 {
            parts.append("\(notRechecked) decision\(notRechecked == 1 ? "" : "s") not re-checked in full: personal data destroyed or sealed without the data-protection key")
        }
        return "OK: " + parts.joined(separator: "; ")
    }
}
