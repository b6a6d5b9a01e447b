import Ledger

/// Body of the genesis entry, `register.created`.
public struct RegisterCreation: Sendable, Hashable, Codable {
    /// The storage and entry format.
    public var format: String
    /// The checkpoint origin, fixed for the register's life.
    public var origin: String
    /// The register's verifier key, `<origin>+<hex id>+<base64>` (C2SP signed-note).
    public var verifierKey: String
    /// `true` for a test register, whose entry times may come from a fixed clock (demos,
    /// tests of expiry). Absent on a real register: there, times are the system clock's only.
    /// Fixed at creation and signed, so no one can turn a real register into a test one.
    public var testRegister: Bool?
    /// The founding administrators, invited by the register key in `init`'s transaction: at
    /// least two on a real register (no one person founds it), one allowed on a test register.
    /// Nothing but their acceptances may be written until every one has accepted.
    public var administrators: [String]?
    enum CodingKeys: String, CodingKey {
        case format, origin, verifierKey = "verifier_key", testRegister = "test_register", administrators
    }
    /// Makes a body.
    public init(format: String, origin: String, verifierKey: String, testRegister: Bool = false, administrators: [String] = []) {
        self.format = format
        self.origin = origin
        self.verifierKey = verifierKey
        self.testRegister = testRegister ? true : nil
        self.administrators = administrators.isEmpty ? nil : administrators
    }
}

/// Body of `register.key-rotated`, signed by the old register key.
public struct RegisterKeyRotation: Sendable, Hashable, Codable {
    /// The new verifier key; checkpoints from this entry on carry its signature.
    public var verifierKey: String
    /// The key being replaced.
    public var previousVerifierKey: String
    /// The administrator who asked for the rotation.
    public var requestedBy: String
    /// Why (e.g. scheduled rotation, suspected compromise).
    public var reason: String
    /// When the administrator who asked last gave their passphrase (`SignerAuthentication`);
    /// absent in rotations written before the member existed.
    public var authenticatedAt: EntryTime?
    enum CodingKeys: String, CodingKey {
        case verifierKey = "verifier_key", previousVerifierKey = "previous_verifier_key",
            requestedBy = "requested_by", reason, authenticatedAt = "authenticated_at"
    }
    /// Makes a body.
    public init(verifierKey: String, previousVerifierKey: String, requestedBy: String, reason: String, authenticatedAt: EntryTime? = nil) {
        self.verifierKey = verifierKey
        self.previousVerifierKey = previousVerifierKey
        self.requestedBy = requestedBy
        self.reason = reason
        self.authenticatedAt = authenticatedAt
    }
}
