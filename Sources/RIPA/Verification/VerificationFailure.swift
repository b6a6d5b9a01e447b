/// A check `ripa verify` found broken: which entry (when one is to blame), which check,
/// and what is wrong. The verifier stops at the first.
public struct VerificationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The checks, as DESIGN.md "Verification" lists them.
    public enum Check: String, Sendable, Codable {
        /// Entries are stored at consecutive indices from 0.
        case sequence
        /// The stored bytes are a well-formed, canonical entry.
        case format
        /// `prev` is the leaf hash of the previous entry.
        case prevLink = "prev-link"
        /// The Ed25519 signature verifies.
        case signature
        /// The signer was enrolled, not revoked, and held a role allowed to write the kind.
        case authority
        /// Entry times never go backwards.
        case timeOrder = "time-order"
        /// No entry is dated after the verifier's own clock (beyond a small skew).
        case futureTime = "future-time"
        /// The tree root matches the latest signed checkpoint, which the register key signed.
        case checkpoint
        /// The register extends the checkpoint the auditor kept (no rollback, no fork).
        case consistency
        /// The stored tree nodes agree with the entries.
        case treeNodes = "tree-nodes"
        /// A decision re-run against the policy in force does not give the recorded outcome.
        case replay
        /// A document an entry cites (a JP's order) is missing from the store or altered.
        case document
        /// A witness policy entry is malformed, or a kept cosignature is for a size beyond the
        /// log or for another tree at its size (a rollback or a fork the witnesses saw).
        case witness
        /// An entry is dated after a witness cosigned a checkpoint that includes it.
        case cosignedTime = "cosigned-time"
        /// An export bundle's file is missing, extra, altered against its manifest, or not what
        /// the entries it carries make (docs/bundles.md).
        case bundle
    }

    /// The first bad entry's index, when one entry is to blame.
    public let index: UInt64?
    /// The check that failed.
    public let check: Check
    /// What is wrong, in one line.
    public let message: String

    /// Makes a failure.
    public init(index: UInt64?, check: Check, _ message: String) {
        self.index = index
        self.check = check
        self.message = message
    }

    public var description: String {
        if let index { return "entry \(index): \(check.rawValue): \(message)" }
        return "\(check.rawValue): \(message)"
    }
}
