import CSodium

/// An Ed25519 private key (libsodium `crypto_sign`): a user's entry-signing key or the register key
/// that signs checkpoints (DESIGN.md "Keys").
///
/// Keep it sealed at rest (``SealedKey``); its `description` never shows the secret.
public struct SigningKey: Sendable, CustomStringConvertible {
    /// libsodium's 64-byte secret key: the 32-byte seed followed by the public key.
    private let secretKey: [UInt8]

    /// The matching public key.
    public let publicKey: PublicKey

    /// The size of an Ed25519 seed in bytes.
    public static let seedByteCount = 32

    /// Generates a new random key.
    public init() {
        // Random.bytes(32) is exactly a seed; crypto_sign_keypair would do the same internally.
        try! self.init(seed: Random.bytes(Self.seedByteCount))
    }

    /// Derives the key from its 32-byte seed (`crypto_sign_seed_keypair`); the same seed always gives
    /// the same key, which is how sealed keys and Go `PRIVATE+KEY` strings store it.
    /// - Throws: ``LedgerError/Code/malformedKey`` unless the seed is 32 bytes.
    public init(seed: [UInt8]) throws(LedgerError) {
        guard seed.count == Self.seedByteCount else {
            throw LedgerError(.malformedKey, "an Ed25519 seed is 32 bytes, not \(seed.count)")
        }
        Sodium.ensureInitialised()
        var pk = [UInt8](repeating: 0, count: Int(crypto_sign_PUBLICKEYBYTES))
        var sk = [UInt8](repeating: 0, count: Int(crypto_sign_SECRETKEYBYTES))
        let rc = crypto_sign_seed_keypair(&pk, &sk, seed)
        guard rc == 0 else { throw LedgerError(.cryptoFailure, "libsodium could not derive a key pair from the seed") }
        self.secretKey = sk
        self.publicKey = try PublicKey(bytes: pk)
    }

    /// The 32-byte seed, from which the whole key can be rebuilt; treat it as secret.
    public var seed: [UInt8] { Array(secretKey[0..<Self.seedByteCount]) }

    /// The 64-byte Ed25519 signature of `message` (`crypto_sign_detached`; deterministic).
    public func signature(for message: some Collection<UInt8>) -> [UInt8] {
        Sodium.ensureInitialised()
        var signature = [UInt8](repeating: 0, count: Int(crypto_sign_BYTES))
        let sign = { (m: UnsafeBufferPointer<UInt8>) -> Void in
            _ = crypto_sign_detached(&signature, nil, m.baseAddress, UInt64(m.count), secretKey)
        }
        if message.withContiguousStorageIfAvailable(sign) == nil { Array(message).withUnsafeBufferPointer(sign) }
        return signature
    }

    /// Names the public key only, so a key never leaks into a log by accident.
    public var description: String { "SigningKey(public: \(publicKey.base64))" }
}
