import CSHA256
import CSodium
import Testing
@testable import Ledger

/// SHA-256 is the hash of every leaf and node: both of its paths (the x86 SHA extensions and
/// the portable one) must agree with FIPS 180-4 and with libsodium on every length and split.
@Suite(.serialized) struct SHA256Tests {
    /// FIPS 180-4 examples (NIST CSRC "Example Values") and the empty string.
    static let vectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ]

    static func libsodium(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        _ = crypto_hash_sha256(&digest, bytes, UInt64(bytes.count))
        return digest
    }

    static func bothPaths(_ body: () throws -> Void) rethrows {
        for portable in [true, false] {
            ripa_sha256_force_portable(portable ? 1 : 0)
            defer { ripa_sha256_force_portable(0) }
            try body()
        }
    }

    @Test func fipsVectors() {
        Self.bothPaths {
            for (message, hex) in Self.vectors {
                #expect(Hash.sha256(Array(message.utf8)).hex == hex, "\(message)")
            }
            // One million "a" (FIPS 180-4 example), fed in uneven pieces.
            var hasher = SHA256()
            let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 999)
            for _ in 0..<1001 { hasher.update(piece) }
            hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000 - 999 * 1001))
            #expect(hasher.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        }
    }

    @Test func agreesWithLibsodiumOnEveryLengthAndSplit() {
        var generator = SystemRandomNumberGenerator()
        Self.bothPaths {
            for length in 0...300 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let expected = Self.libsodium(bytes)
                #expect(Hash.sha256(bytes).bytes == expected, "length \(length)")
                let split = length == 0 ? 0 : Int.random(in: 0...length, using: &generator)
                var hasher = SHA256()
                hasher.update(bytes[..<split])
                hasher.update(bytes[split...])
                #expect(hasher.finalize().bytes == expected, "length \(length) split at \(split)")
            }
        }
    }
}
