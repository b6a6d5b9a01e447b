/// Why the register's storage refused or failed an operation, as data.
///
/// As ``RIPAError``: a stable ``code``, a more specific ``reason`` where one helps
/// (`projection.tampered`), the ``values`` that explain it (the table, the path), and a
/// one-line ``message`` naming no command or flag, so each front end adds its own hint.
public struct StoreError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The kinds of storage failure.
    public enum Code: String, Sendable, Hashable, Codable {
        /// No database file at the path given.
        case missingDatabase
        /// A file exists but is not a ripa register (or is a newer format).
        case foreignDatabase
        /// `create` was asked to overwrite an existing file.
        case alreadyExists
        /// A proof or entry was asked for beyond the tree.
        case outOfRange
        /// The stored register contradicts itself (a node or entry is missing or wrong).
        case corrupt
        /// SQLite reported an error.
        case database
        /// A projection row's tag does not match: it was edited outside the register, and no
        /// decision is taken from it until the projections are rebuilt from the log.
        case projectionTampered
        /// A document is larger than the register keeps.
        case tooLarge
    }

    /// Which check failed, more specific than the code and as stable: `area.what`.
    public struct Reason: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
        /// The stable name.
        public let rawValue: String
        /// A reason by its stable name.
        public init(rawValue: String) { self.rawValue = rawValue }
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
    /// The check that failed, where one is more specific than the code.
    public let reason: Reason?
    /// The facts that explain it, by name (`path`, `row`, `urn`).
    public let values: [String: String]
    /// One line of plain English: what was wrong, naming no command or flag.
    public let message: String

    /// Makes an error.
    public init(_ code: Code, _ message: String, reason: Reason? = nil, values: [String: String] = [:]) {
        self.code = code
        self.reason = reason
        self.values = values
        self.message = message
    }

    public var description: String { message }
}

extension StoreError.Reason {
    /// A projection row's tag does not match its contents (`values`: `row`).
    public static let projectionTampered: Self = "projection.tampered"
    /// The next URN is already a stored case: the cases were changed outside the register (`values`: `urn`).
    public static let urnAlreadyIssued: Self = "projection.urnAlreadyIssued"
    /// No register at the path (`values`: `path`).
    public static let noDatabase: Self = "store.noDatabase"
    /// The file is not a register database (`values`: `path`, `what`).
    public static let notARegister: Self = "store.notARegister"
}
