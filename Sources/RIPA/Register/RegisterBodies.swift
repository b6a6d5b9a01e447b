/// Body of the genesis entry, `register.created`.
public struct RegisterCreation: Sendable, Hashable, Codable {
    /// The storage and entry format.
    public var format: String
    /// The checkpoint origin, fixed for the register's life.
    public var origin: String
    /// The register's verifier key, `<origin>+<hex id>+<base64>` (C2SP signed-note).
    public var verifierKey: String
    enum CodingKeys: String, CodingKey { case format, origin, verifierKey = "verifier_key" }
    /// Makes a body.
    public init(format: String, origin: String, verifierKey: String) {
        self.format = format
        self.origin = origin
        self.verifierKey = verifierKey
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
    enum CodingKeys: String, CodingKey {
        case verifierKey = "verifier_key", previousVerifierKey = "previous_verifier_key",
            requestedBy = "requested_by", reason
    }
    /// Makes a body.
    public init(verifierKey: String, previousVerifierKey: String, requestedBy: String, reason: String) {
        self.verifierKey = verifierKey
        self.previousVerifierKey = previousVerifierKey
        self.requestedBy = requestedBy
        self.reason = reason
    }
}
