/// Why the register refused an action or input, as data.
///
/// Every front end renders the same error: the ``code`` is broad and stable (scripts and
/// exit statuses match on it), the ``reason`` says exactly which rule or check it was
/// (`gate.initialAllowanceUsed`, `user.notAccepted`), the ``values`` are the facts that
/// explain it (the user id, the URN, the entry, the role needed), and the ``message`` is one
/// line of plain English, citing the rule (statute, Code of Practice) where a rule is the
/// reason. The message names no command, flag or page: what to do next in a given front end
/// is that front end's hint, worked out from the code, the reason and the values (the CLI
/// names a command, the web links a page). `Codable`, so `--json` and a web page show the
/// same members: `code`, `reason`, `values`, `message`.
public struct RIPAError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The kinds of refusal.
    public enum Code: String, Sendable, Hashable, Codable {
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

    /// Which rule or check refused, more specific than the code and as stable: `area.what`
    /// (`gate.noAuthorisation`, `user.notAccepted`). Front ends key their hints on it.
    public struct Reason: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
        /// The stable name.
        public let rawValue: String
        /// A reason by its stable name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// A reason by its stable name.
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
        public var description: String { rawValue }
    }

    /// The stable code.
    public let code: Code
    /// The rule or check that refused, where one is more specific than the code.
    public let reason: Reason?
    /// The facts that explain it, by name (`user_id`, `urn`, `seq`, `role`, `field`).
    public let values: [String: String]
    /// One line of plain English: what was wrong, naming no command, flag or page.
    public let message: String

    /// Makes an error.
    ///
    /// - Parameters:
    ///   - code: the broad, stable code.
    ///   - message: one line, with no front end's wording in it.
    ///   - reason: the specific rule or check, if there is one.
    ///   - values: the facts a front end needs for its hint, and a script to act on.
    public init(_ code: Code, _ message: String, reason: Reason? = nil, values: [String: String] = [:]) {
        self.code = code
        self.reason = reason
        self.values = values
        self.message = message
    }

    public var description: String { message }
}
