/// A C2SP tlog-cosignature verifier key for `cosignature/v1` (Ed25519): a witness's name, key ID
/// and public key, written `<name>+<8 hex key id>+<base64(0x04 ‖ public key)>` (a C2SP vkey of
/// signature type 0x04, https://c2sp.org/tlog-cosignature "Format").
///
/// The key ID differs from a signed-note key's for the same key and name: it hashes the type
/// byte 0x04, not 0x01, so a cosignature line can never pass as a log's own signature.
public struct CosignatureVerifierKey: Sendable, Hashable, CustomStringConvertible {
    /// The witness's key name, a schema-less URL by convention (`witness.example.org/w1`).
    public let name: String
    /// First 4 bytes (big-endian) of SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key).
    public let keyID: UInt32
    /// The Ed25519 public key.
    public let publicKey: PublicKey

    /// The signature type byte of an Ed25519 `cosignature/v1` key.
    public static let signatureType: UInt8 = 0x04

    /// The cosigner key for `publicKey` under `name`.
    /// - Throws: ``LedgerError/Code/malformedKey`` if the name is empty or has whitespace or `+`.
    public init(name: String, publicKey: PublicKey) throws(LedgerError) {
        if let problem = NoteKeyName.problem(with: name) { throw LedgerError(.malformedKey, problem) }
        self.name = name
        self.publicKey = publicKey
        self.keyID = NoteKeyName.keyID(name: name, algorithmAndKey: [Self.signatureType] + publicKey.bytes)
    }

    /// The cosigner key of a witness's signing key (its note key file, `PRIVATE+KEY+…`).
    public init(signer: NoteSignerKey) {
        // The signer's name was validated when it was made.
        try! self.init(name: signer.name, publicKey: signer.signingKey.publicKey)
    }

    /// Parses `<name>+<8 hex>+<base64(0x04 ‖ key)>`, checking the type byte and the key ID.
    /// - Throws: ``LedgerError/Code/malformedKey`` saying which part is wrong.
    public init(parsing text: String) throws(LedgerError) {
        let form = "a witness key looks like <name>+<8 hex digits>+<base64 of 0x04 and the key>"
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw LedgerError(.malformedKey, "\"\(text)\" is not a witness key: \(form)") }
        let name = String(parts[0])
        if let problem = NoteKeyName.problem(with: name) { throw LedgerError(.malformedKey, "witness key: \(problem)") }
        guard let id = NoteKeyName.parseHex(parts[1]) else {
            throw LedgerError(.malformedKey, "witness key \"\(name)\": key id \"\(parts[1])\" is not 8 hex digits")
        }
        guard let key = Base64.decode(String(parts[2])), !key.isEmpty else {
            throw LedgerError(.malformedKey, "witness key \"\(name)\": the key is not valid standard base64")
        }
        guard key[0] == Self.signatureType else {
            throw LedgerError(.malformedKey, "witness key \"\(name)\": signature type is 0x\(NoteKeyName.hex(UInt32(key[0])).suffix(2)), but a cosignature/v1 (Ed25519) key has type 0x04")
        }
        guard key.count == 1 + PublicKey.byteCount else {
            throw LedgerError(.malformedKey, "witness key \"\(name)\": an Ed25519 key is 32 bytes, found \(key.count - 1)")
        }
        let expected = NoteKeyName.keyID(name: name, algorithmAndKey: key)
        guard id == expected else {
            throw LedgerError(.malformedKey, "witness key \"\(name)\": key id \(parts[1]) does not match the name and key (expected \(NoteKeyName.hex(expected)))")
        }
        self.name = name
        self.keyID = id
        self.publicKey = try PublicKey(bytes: key[1...])
    }

    /// `<name>+<8 lowercase hex key id>+<base64(0x04 ‖ public key)>`.
    public var description: String {
        "\(name)+\(NoteKeyName.hex(keyID))+\(Base64.encode([Self.signatureType] + publicKey.bytes))"
    }

    /// The key ID as eight lowercase hex digits.
    public var keyIDHex: String { NoteKeyName.hex(keyID) }
}
