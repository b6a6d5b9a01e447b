/// The one error type of the Ledger library: a stable, matchable code and a message a person can act on.
///
/// Follows CONVENTIONS.md "Errors": callers switch on ``code``; ``message`` is one line that says what
/// was wrong and, where it helps, what to do about it.
public struct LedgerError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// What kind of failure this is; stable across releases so callers and tests can match on it.
    public enum Code: String, Sendable, Hashable, Codable {
        /// Bytes are not JSON as RFC 8259 defines it (syntax, encoding, nesting depth, trailing bytes).
        case malformedJSON
        /// A JSON number has a fraction or exponent; DESIGN.md "Canonical JSON" allows integers only.
        case floatNotAllowed
        /// A JSON object names the same member twice (RFC 8785 §3.1 needs unique names).
        case duplicateKey
        /// A JSON integer lies outside the I-JSON safe range ±(2^53 − 1) (RFC 7493 §2.2).
        case integerOutOfRange
        /// Bytes parse but are not exactly the RFC 8785 canonical form (DESIGN.md "Entry").
        case notCanonical
        /// A register entry is missing a field, has an extra one, or a field has the wrong type or value.
        case malformedEntry
        /// A C2SP signed note is not in the form the spec requires.
        case malformedNote
        /// A C2SP tlog-checkpoint body is not in the form the spec requires.
        case malformedCheckpoint
        /// A key (raw, verifier-key text or signer-key text) is not in the expected form.
        case malformedKey
        /// No signature was made by a key the caller trusts.
        case unknownKey
        /// A signature by a trusted key does not verify.
        case badSignature
        /// A Merkle proof is structurally wrong (sizes, indices, path length).
        case malformedProof
        /// A Merkle proof does not prove what it claims.
        case invalidProof
        /// The passphrase does not open the sealed key.
        case wrongPassphrase
        /// The text form of a sealed key is damaged or of an unknown version.
        case malformedSealedKey
        /// libsodium reported a failure it should not (out of memory, for instance).
        case cryptoFailure
        /// A C2SP tlog-policy text (witnesses and quorum) is not in the form the spec requires.
        case malformedPolicy
        /// A C2SP tlog-witness request or response body, or a tlog-proof file, is not in the
        /// form the spec requires.
        case malformedWitnessMessage
        /// An archive (a tar file of an export bundle) is not in the form that is written.
        case malformedArchive
    }

    /// The matchable failure kind.
    public var code: Code
    /// One line a person can act on.
    public var message: String

    /// Creates an error with a code and a one-line message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message alone, so `print(error)` shows the line a person should read.
    public var description: String { message }
}
