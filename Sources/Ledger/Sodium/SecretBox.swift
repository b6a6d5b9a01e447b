import CSodium

/// Authenticated encryption under a 32-byte secret key: libsodium's XChaCha20-Poly1305 (IETF),
/// with a fresh random 24-byte nonce per message and associated data that binds the ciphertext
/// to where it belongs (an entry kind and a case), so a box moved elsewhere does not open.
///
/// The register seals subjects' personal data with it under per-case data keys, and the data
/// keys under the data-protection key (docs/personal-data.md).
public struct SecretBox: Sendable, Hashable {
    /// The key length (`crypto_aead_xchacha20poly1305_ietf_KEYBYTES`, 32).
    public static let keyByteCount = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    /// The nonce length (24).
    public static let nonceByteCount = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    /// The authentication tag's length (16).
    public static let tagByteCount = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)

    /// The random nonce.
    public let nonce: [UInt8]
    /// The ciphertext with its tag.
    public let ciphertext: [UInt8]

    /// A box from its parts (read from storage); opening checks them.
    public init(nonce: [UInt8], ciphertext: [UInt8]) {
        self.nonce = nonce
        self.ciphertext = ciphertext
    }

    /// Seals `plaintext` under `key`, bound to `additionalData`.
    public static func seal(_ plaintext: [UInt8], key: [UInt8], additionalData: [UInt8]) -> SecretBox {
        precondition(key.count == keyByteCount, "SecretBox: the key is 32 bytes")
        Sodium.ensureInitialised()
        let nonce = Random.bytes(nonceByteCount)
        var out = [UInt8](repeating: 0, count: plaintext.count + tagByteCount)
        var length: UInt64 = 0
        let rc = crypto_aead_xchacha20poly1305_ietf_encrypt(
            &out, &length, plaintext, UInt64(plaintext.count), additionalData, UInt64(additionalData.count), nil, nonce, key)
        precondition(rc == 0 && length == UInt64(out.count), "SecretBox: libsodium failed to encrypt")
        return SecretBox(nonce: nonce, ciphertext: out)
    }

    /// The plaintext, or nil if the key or the associated data is not the one sealed with, or
    /// the box was altered (authentication cannot tell these apart).
    public func open(key: [UInt8], additionalData: [UInt8]) -> [UInt8]? {
        guard key.count == Self.keyByteCount, nonce.count == Self.nonceByteCount, ciphertext.count >= Self.tagByteCount else { return nil }
        Sodium.ensureInitialised()
        var out = [UInt8](repeating: 0, count: ciphertext.count - Self.tagByteCount)
        var length: UInt64 = 0
        let rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
            &out, &length, nil, ciphertext, UInt64(ciphertext.count), additionalData, UInt64(additionalData.count), nonce, key)
        guard rc == 0, length == UInt64(out.count) else { return nil }
        return out
    }

    /// The box as text: base64(nonce ‖ ciphertext).
    public var base64: String { Base64.encode(nonce + ciphertext) }

    /// Reads the text form; nil unless it is canonical base64 of at least a nonce and a tag.
    public init?(base64: String) {
        guard let bytes = Base64.decode(base64), bytes.count >= Self.nonceByteCount + Self.tagByteCount else { return nil }
        self.init(nonce: Array(bytes.prefix(Self.nonceByteCount)), ciphertext: Array(bytes.dropFirst(Self.nonceByteCount)))
    }
}
