import CSodium

/// Cryptographically secure random bytes from libsodium (`randombytes_buf`).
///
/// Used for key generation, salts and nonces (DESIGN.md "Keys").
public enum Random {
    /// Returns `count` random bytes from the operating system's CSPRNG.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "Random.bytes: count must not be negative")
        Sodium.ensureInitialised()
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { randombytes_buf(base, buffer.count) }
        }
        return out
    }
}
