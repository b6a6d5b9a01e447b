/// Why the register's storage refused or failed an operation.
///
/// The code is stable and matchable; the message says what was wrong and what to do,
/// in one line, ready for the command line to print.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of storage failure.
    public enum Code: String, Sendable {
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
        /// decision is taken from it until `ripa rebuild` restores it from the log.
        case projectionTampered
        /// A document is larger than the register keeps.
        case tooLarge
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
