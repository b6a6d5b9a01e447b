/// A C2SP signed-note verifier key: a name, a key ID and an Ed25519 public key, written
/// `<name>+<8 hex key id>+<base64(0x01 ‖ public key)>` — the form Go's `note.NewVerifier` reads
/// (DESIGN.md "Checkpoint").
public struct NoteVerifierKey: Sendable, Hashable, CustomStringConvertible {
    /// The key name; for the register key, the log's origin.
    public let name: String
    /// First 4 bytes (big-endian) of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).
    public let keyID: UInt32
    /// The Ed25519 public key.
    public let publicKey: PublicKey

    /// Makes the verifier key for `publicKey` under `name`, computing the key ID.
    /// - Throws: ``LedgerError/Code/malformedKey`` if the name is empty or has whitespace or `+`.
    public init(name: String, publicKey: PublicKey) throws(LedgerError) {
        if let problem = NoteKeyName.problem(with: name) { throw LedgerError(.malformedKey, problem) }
        self.name = name
        self.publicKey = publicKey
        self.keyID = NoteKeyName.keyID(name: name, algorithmAndKey: [NoteKeyName.ed25519] + publicKey.bytes)
    }

    /// Parses the text form, checking that the key ID matches the name and key and that the key is Ed25519.
    /// - Throws: ``LedgerError/Code/malformedKey`` saying which part is wrong.
    public init(parsing text: String) throws(LedgerError) {
        let form = "a verifier key looks like <name>+<8 hex digits>+<base64 key>"
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw LedgerError(.malformedKey, "\"\(text)\" is not a verifier key: \(form)") }
        let name = String(parts[0])
        if let problem = NoteKeyName.problem(with: name) { throw LedgerError(.malformedKey, "verifier key: \(problem)") }
        guard let id = NoteKeyName.parseHex(parts[1]) else {
            throw LedgerError(.malformedKey, "verifier key \"\(name)\": key id \"\(parts[1])\" is not 8 hex digits")
        }
        guard let key = Base64.decode(String(parts[2])), !key.isEmpty else {
            throw LedgerError(.malformedKey, "verifier key \"\(name)\": the key is not valid standard base64")
        }
        guard key[0] == NoteKeyName.ed25519 else {
            throw LedgerError(.malformedKey, "verifier key \"\(name)\": algorithm byte is 0x\(NoteKeyName.hex(UInt32(key[0])).suffix(2)), only 0x01 (Ed25519) is supported")
        }
        guard key.count == 1 + PublicKey.byteCount else {
            throw LedgerError(.malformedKey, "verifier key \"\(name)\": an Ed25519 key is 32 bytes, found \(key.count - 1)")
        }
        let expected = NoteKeyName.keyID(name: name, algorithmAndKey: key)
        guard id == expected else {
            throw LedgerError(.malformedKey, "verifier key \"\(name)\": key id \(parts[1]) does not match the name and key (expected \(NoteKeyName.hex(expected)))")
        }
        self.name = name
        self.keyID = id
        self.publicKey = try PublicKey(bytes: key[1...])
    }

    /// `<name>+<8 lowercase hex key id>+<base64(0x01 ‖ public key)>`.
    public var description: String {
        "\(name)+\(NoteKeyName.hex(keyID))+\(Base64.encode([NoteKeyName.ed25519] + publicKey.bytes))"
    }
}
