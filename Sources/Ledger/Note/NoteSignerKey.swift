/// A C2SP signed-note signer: a name and an Ed25519 private key, written like Go's `note.NewSigner`
/// input `PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 ‖ 32-byte seed)>`.
public struct NoteSignerKey: Sendable, CustomStringConvertible {
    /// The key name; for the register key, the log's origin.
    public let name: String
    /// The key ID of the matching verifier key.
    public let keyID: UInt32
    /// The private key.
    public let signingKey: SigningKey

    /// Names `signingKey` for note signing.
    /// - Throws: ``LedgerError/Code/malformedKey`` if the name is empty or has whitespace or `+`.
    public init(name: String, signingKey: SigningKey) throws(LedgerError) {
        let verifier = try NoteVerifierKey(name: name, publicKey: signingKey.publicKey)
        self.name = name
        self.keyID = verifier.keyID
        self.signingKey = signingKey
    }

    /// Parses Go's private-key text, checking the key ID against the derived public key.
    /// - Throws: ``LedgerError/Code/malformedKey`` saying which part is wrong.
    public init(parsing text: String) throws(LedgerError) {
        let form = "a signer key looks like PRIVATE+KEY+<name>+<8 hex digits>+<base64 seed>"
        let parts = text.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY" else {
            throw LedgerError(.malformedKey, "not a signer key: \(form)")
        }
        let name = String(parts[2])
        if let problem = NoteKeyName.problem(with: name) { throw LedgerError(.malformedKey, "signer key: \(problem)") }
        guard let id = NoteKeyName.parseHex(parts[3]) else {
            throw LedgerError(.malformedKey, "signer key \"\(name)\": key id \"\(parts[3])\" is not 8 hex digits")
        }
        guard let key = Base64.decode(String(parts[4])), !key.isEmpty else {
            throw LedgerError(.malformedKey, "signer key \"\(name)\": the key is not valid standard base64")
        }
        guard key[0] == NoteKeyName.ed25519 else {
            throw LedgerError(.malformedKey, "signer key \"\(name)\": only algorithm 0x01 (Ed25519) is supported")
        }
        guard key.count == 1 + SigningKey.seedByteCount else {
            throw LedgerError(.malformedKey, "signer key \"\(name)\": an Ed25519 seed is 32 bytes, found \(key.count - 1)")
        }
        let signingKey = try SigningKey(seed: Array(key[1...]))
        try self.init(name: name, signingKey: signingKey)
        guard id == keyID else {
            throw LedgerError(.malformedKey, "signer key \"\(name)\": key id \(parts[3]) does not match the key (expected \(NoteKeyName.hex(keyID)))")
        }
    }

    /// `PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 ‖ seed)>`; secret, like the key itself.
    public var description: String {
        "PRIVATE+KEY+\(name)+\(NoteKeyName.hex(keyID))+\(Base64.encode([NoteKeyName.ed25519] + signingKey.seed))"
    }

    /// The verifier key that checks this signer's signatures.
    public var verifierKey: NoteVerifierKey {
        // The name was validated at init, so this cannot fail.
        try! NoteVerifierKey(name: name, publicKey: signingKey.publicKey)
    }
}
