import CSodium

/// An Ed25519 public key (libsodium `crypto_sign`): an entry's `signer`, a note verifier's key
/// (DESIGN.md "Keys").
public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
    /// The 32 key bytes.
    public let bytes: [UInt8]

    /// The size of an Ed25519 public key in bytes.
    public static let byteCount = 32

    /// Wraps 32 raw key bytes.
    /// - Throws: ``LedgerError/Code/malformedKey`` for any other length.
    public init(bytes: some Collection<UInt8>) throws(LedgerError) {
        guard bytes.count == Self.byteCount else {
            throw LedgerError(.malformedKey, "an Ed25519 public key is 32 bytes, not \(bytes.count)")
        }
        self.bytes = Array(bytes)
    }

    /// Parses standard padded base64 of 32 bytes (the form of an entry's `signer`).
    /// - Throws: ``LedgerError/Code/malformedKey`` if the text is not base64 of 32 bytes.
    public init(base64: String) throws(LedgerError) {
        guard let decoded = Base64.decode(base64) else {
            throw LedgerError(.malformedKey, "public key \"\(base64)\" is not valid base64")
        }
        try self.init(bytes: decoded)
    }

    /// Standard padded base64 of the 32 bytes.
    public var base64: String { Base64.encode(bytes) }

    /// The base64 form.
    public var description: String { base64 }

    /// Whether `signature` is a valid Ed25519 signature by this key over `message`
    /// (`crypto_sign_verify_detached`, which also refuses small-order keys and non-canonical signatures).
    public func isValidSignature(_ signature: [UInt8], for message: some Collection<UInt8>) -> Bool {
        guard signature.count == Int(crypto_sign_BYTES) else { return false }
        Sodium.ensureInitialised()
        let verify = { (m: UnsafeBufferPointer<UInt8>) -> Bool in
            signature.withUnsafeBufferPointer { sig in
                bytes.withUnsafeBufferPointer { pk in
                    crypto_sign_verify_detached(sig.baseAddress!, m.baseAddress, UInt64(m.count), pk.baseAddress!) == 0
                }
            }
        }
        return message.withContiguousStorageIfAvailable(verify) ?? Array(message).withUnsafeBufferPointer(verify)
    }
}
