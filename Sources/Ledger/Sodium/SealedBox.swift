import CSodium

/// Encryption to a recipient's public key alone: libsodium's sealed box (`crypto_box_seal`,
/// X25519 with an ephemeral sender key, XSalsa20-Poly1305). Only the holder of the
/// recipient's secret key can open it; the sender cannot, once it is sealed.
///
/// An export bundle seals the data keys of the cases it hands to an IPCO inspector this way
/// (docs/bundles.md), so that whoever else gets the bundle reads no personal data.
public enum SealedBox {
    /// The length of an X25519 public or secret key (32).
    public static let keyByteCount = Int(crypto_box_publickeybytes())
    /// What sealing adds to the plaintext: the ephemeral public key and the tag (48).
    public static let overheadByteCount = Int(crypto_box_sealbytes())

    /// A new recipient key pair: (public key, secret key).
    public static func keyPair() -> (publicKey: [UInt8], secretKey: [UInt8]) {
        Sodium.ensureInitialised()
        var publicKey = [UInt8](repeating: 0, count: keyByteCount)
        var secretKey = [UInt8](repeating: 0, count: Int(crypto_box_secretkeybytes()))
        precondition(crypto_box_keypair(&publicKey, &secretKey) == 0, "SealedBox: libsodium failed to make a key pair")
        return (publicKey, secretKey)
    }

    /// The public key of a secret key, or nil for one of the wrong length.
    public static func publicKey(of secretKey: [UInt8]) -> [UInt8]? {
        guard secretKey.count == Int(crypto_box_secretkeybytes()) else { return nil }
        Sodium.ensureInitialised()
        var publicKey = [UInt8](repeating: 0, count: keyByteCount)
        guard crypto_scalarmult_base(&publicKey, secretKey) == 0 else { return nil }
        return publicKey
    }

    /// Seals `plaintext` to `publicKey`.
    public static func seal(_ plaintext: [UInt8], to publicKey: [UInt8]) -> [UInt8] {
        precondition(publicKey.count == keyByteCount, "SealedBox: the public key is 32 bytes")
        Sodium.ensureInitialised()
        var out = [UInt8](repeating: 0, count: plaintext.count + overheadByteCount)
        precondition(crypto_box_seal(&out, plaintext, UInt64(plaintext.count), publicKey) == 0, "SealedBox: libsodium failed to seal")
        return out
    }

    /// The plaintext, or nil if the box was not sealed to this key pair or was altered.
    public static func open(_ box: [UInt8], publicKey: [UInt8], secretKey: [UInt8]) -> [UInt8]? {
        guard box.count >= overheadByteCount, publicKey.count == keyByteCount, secretKey.count == Int(crypto_box_secretkeybytes()) else { return nil }
        Sodium.ensureInitialised()
        var out = [UInt8](repeating: 0, count: box.count - overheadByteCount)
        guard crypto_box_seal_open(&out, box, UInt64(box.count), publicKey, secretKey) == 0 else { return nil }
        return out
    }
}
