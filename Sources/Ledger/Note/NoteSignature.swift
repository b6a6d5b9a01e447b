/// One signature line of a C2SP signed note: `— <name> <base64(key id ‖ signature)>`.
public struct NoteSignature: Sendable, Hashable {
    /// The signer's key name.
    public let name: String
    /// The signer's key ID.
    public let keyID: UInt32
    /// The signature bytes (64 for Ed25519; other algorithms may differ, and are kept but not checked).
    public let signature: [UInt8]

    /// Wraps the parts of a signature line.
    public init(name: String, keyID: UInt32, signature: [UInt8]) {
        self.name = name
        self.keyID = keyID
        self.signature = signature
    }

    /// The line, without its final newline.
    var line: String {
        let id = [UInt8(keyID >> 24 & 0xFF), UInt8(keyID >> 16 & 0xFF), UInt8(keyID >> 8 & 0xFF), UInt8(keyID & 0xFF)]
        return "\u{2014} \(name) \(Base64.encode(id + signature))"
    }
}
