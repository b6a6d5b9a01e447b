/// Why the register refused an action or input.
///
/// The code is stable and matchable by scripts and tests; the message is one line that
/// says what was wrong and what to do, citing the rule (statute, Code of Practice) where
/// a rule is the reason.
public struct RIPAError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of refusal.
    public enum Code: String, Sendable {
        /// A flag or field was missing or malformed.
        case badInput
        /// No user with that id, or the user is revoked.
        case unknownUser
        /// The passphrase did not unseal the user's key.
        case wrongPassphrase
        /// The user lacks the role the action needs.
        case notPermitted
        /// The register key file is missing, unreadable or not the register's key.
        case keyFile
        /// No case with that URN.
        case unknownURN
        /// The action does not fit the case's current state (e.g. renewal after expiry).
        case wrongState
        /// Separation of duties (RIPA.md §3) forbids it.
        case separationOfDuties
        /// The policy pack was malformed or missing.
        case policy
        /// The action was refused by a rule and the refusal was recorded.
        case refused
    }

    /// The stable code.
    public let code: Code
    /// One line a person can act on.
    public let message: String

    /// Makes an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
