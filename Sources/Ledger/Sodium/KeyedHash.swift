import CSodium

/// A keyed BLAKE2b hash (libsodium `crypto_generichash` with a key): a MAC for data the
/// register keeps outside the signed log, such as its projection rows.
///
/// The key never leaves the process; its `description` does not show it.
public struct KeyedHash: Sendable, CustomStringConvertible {
    /// The key length used throughout (`crypto_generichash_KEYBYTES`, 32).
    public static let keyByteCount = 32
    /// The shortest tag libsodium produces (`crypto_generichash_BYTES_MIN`, 16 bytes = 128 bits).
    public static let shortTagByteCount = 16

    private let key: [UInt8]

    /// A MAC under `key` (32 bytes).
    public init(key: [UInt8]) {
        precondition(key.count == Self.keyByteCount, "KeyedHash: the key is 32 bytes")
        self.key = key
    }

    /// Derives a 32-byte key from a secret and a fixed context string:
    /// BLAKE2b-256 keyed with the secret over the context. The same secret and context always
    /// give the same key; different contexts give unrelated keys.
    public init(deriving secret: [UInt8], context: String) {
        precondition(secret.count >= 16 && secret.count <= 64, "KeyedHash: the secret must be 16 to 64 bytes")
        self.init(key: Self.hash(Array(context.utf8), key: secret, count: Self.keyByteCount))
    }

    /// The tag of `message`, `count` bytes long (16 to 64).
    public func tag(_ message: [UInt8], count: Int = shortTagByteCount) -> [UInt8] {
        Self.hash(message, key: key, count: count)
    }

    private static func hash(_ message: [UInt8], key: [UInt8], count: Int) -> [UInt8] {
        Sodium.ensureInitialised()
        var out = [UInt8](repeating: 0, count: count)
        _ = message.withUnsafeBufferPointer { m in
            key.withUnsafeBufferPointer { k in
                crypto_generichash(&out, count, m.baseAddress, UInt64(m.count), k.baseAddress, k.count)
            }
        }
        return out
    }

    /// Never shows the key.
    public var description: String { "KeyedHash(BLAKE2b)" }
}

extension KeyedHash {
    /// Whether `tag` is the tag of `message`, compared in constant time (`sodium_memcmp`).
    public func isValid(_ tag: [UInt8], for message: [UInt8]) -> Bool {
        let expected = self.tag(message, count: tag.count >= 16 && tag.count <= 64 ? tag.count : Self.shortTagByteCount)
        guard expected.count == tag.count else { return false }
        return expected.withUnsafeBytes { a in tag.withUnsafeBytes { b in sodium_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 } }
    }
}
