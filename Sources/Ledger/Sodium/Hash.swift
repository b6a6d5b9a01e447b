/// A SHA-256 digest: leaf and node hashes, entry `prev` links and checkpoint roots (DESIGN.md "Formats").
///
/// Stored inline as four machine words rather than an array so that hashes cost no allocation and
/// compare in four instructions; the verifier handles millions of them.
public struct Hash: Sendable, Hashable, CustomStringConvertible {
    /// The 32 bytes in memory order (byte 0 of the digest first).
    @usableFromInline
    var words: (UInt64, UInt64, UInt64, UInt64)

    @usableFromInline
    init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// The 32 digest bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// Creates a hash from exactly 32 bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { raw in
            var i = 0
            for b in bytes { raw[i] = b; i += 1 }
        }
        self.words = words
    }

    /// Parses standard padded base64 of exactly 32 bytes (the form used in entries and checkpoints).
    public init?(base64: String) {
        guard let decoded = Base64.decode(base64), let hash = Hash(bytes: decoded) else { return nil }
        self = hash
    }

    /// Standard padded base64 of the 32 bytes (DESIGN.md "Entry": `prev`; C2SP tlog-checkpoint root line).
    public var base64: String { withUnsafeBytes { Base64.encode($0) } }

    /// Lowercase hex of the 32 bytes, as RFC 6962 test vectors write hashes.
    public var hex: String { withUnsafeBytes { Hex.encode($0) } }

    /// The base64 form.
    public var description: String { base64 }

    /// 32 zero bytes: entry 0's `prev` (DESIGN.md "Entry").
    public static let zero = Hash(words: (0, 0, 0, 0))

    /// SHA-256 of `data`.
    public static func sha256(_ data: some Collection<UInt8>) -> Hash {
        var hasher = SHA256()
        hasher.update(data)
        return hasher.finalize()
    }

    /// Calls `body` with the 32 bytes, without allocating.
    @inlinable
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var words = self.words
        return try Swift.withUnsafeBytes(of: &words) { raw throws(E) in try body(raw) }
    }

    /// Compares byte for byte.
    public static func == (lhs: Hash, rhs: Hash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1
            && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    /// Feeds the four words; the digest is already uniformly distributed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
