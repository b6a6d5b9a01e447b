import Foundation
import Ledger
import Testing

@Suite("Note verifier and signer keys")
struct NoteKeyTests {
    static let peter = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let peterKey = "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"

    /// A verifier key text with algorithm byte `alg` and a key id that matches it, so only the algorithm is wrong.
    static func keyText(name: String, alg: UInt8, key: [UInt8]) -> String {
        let digest = Hash.sha256(Array(name.utf8) + [0x0A, alg] + key).bytes
        let id = digest[0..<4].map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        let b64 = Base64Helper.encode([alg] + key)
        return "\(name)+\(id)+\(b64)"
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let text: String
        let fragment: String
        var testDescription: String { text }
    }

    static let badVerifierKeys: [Bad] = [
        Bad(text: "PeterNeumann+c74f20a4+\(peterKey)", fragment: "does not match"),
        Bad(text: "PeterNeumann+c74f20a+\(peterKey)", fragment: "8 hex digits"),
        Bad(text: "PeterNeumann+c74f20ag+\(peterKey)", fragment: "8 hex digits"),
        Bad(text: "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", fragment: "base64"),
        Bad(text: "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW=", fragment: "base64"),
        Bad(text: "PeterNeumann+c74f20a3", fragment: "verifier key looks like"),
        Bad(text: "PeterNeumann", fragment: "verifier key looks like"),
        Bad(text: "+c74f20a3+\(peterKey)", fragment: "empty"),
        Bad(text: "Peter Neumann+c74f20a3+\(peterKey)", fragment: "whitespace"),
        Bad(text: "PeterNeumann+c74f20a3+", fragment: "base64"),
        Bad(text: keyText(name: "x", alg: 0x02, key: [UInt8](repeating: 7, count: 32)), fragment: "algorithm"),
        Bad(text: keyText(name: "x", alg: 0x01, key: [UInt8](repeating: 7, count: 31)), fragment: "32 bytes"),
    ]

    @Test("malformed verifier keys are refused with a clear message", arguments: badVerifierKeys)
    func badVerifierKey(_ b: Bad) {
        let error = ledgerError { _ = try NoteVerifierKey(parsing: b.text) }
        #expect(error?.code == .malformedKey)
        #expect(error?.message.contains(b.fragment) == true, "\(String(describing: error))")
    }

    @Test("a well-formed text with a valid id parses, and the id is the documented hash")
    func keyID() throws {
        let key = try NoteVerifierKey(parsing: Self.peter)
        #expect(key.name == "PeterNeumann")
        #expect(key.keyID == 0xc74f20a3)
        let digest = Hash.sha256(Array("PeterNeumann\n".utf8) + [0x01] + key.publicKey.bytes).bytes
        #expect(key.keyID == UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3]))
        #expect(try NoteVerifierKey(parsing: Self.keyText(name: "y", alg: 0x01, key: [UInt8](repeating: 9, count: 32))).name == "y")
    }

    @Test("names with whitespace or '+' or nothing are refused")
    func badNames() throws {
        let pk = SigningKey().publicKey
        for name in ["", "a b", "a+b", "tab\tname", "nbsp\u{00A0}x", "line\nbreak"] {
            #expect(ledgerError { _ = try NoteVerifierKey(name: name, publicKey: pk) }?.code == .malformedKey, "\(name)")
        }
        #expect(try NoteVerifierKey(name: "ripa.example-council.gov.uk/register", publicKey: pk).name == "ripa.example-council.gov.uk/register")
    }

    @Test("signer keys round-trip and refuse damage")
    func signerKeys() throws {
        let signer = try NoteSignerKey(name: "log.example/x", signingKey: SigningKey())
        let reparsed = try NoteSignerKey(parsing: signer.description)
        #expect(reparsed.description == signer.description)
        #expect(reparsed.verifierKey == signer.verifierKey)
        #expect(reparsed.signingKey.seed == signer.signingKey.seed)

        let go = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
        for bad in [
            "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
            "PRIVATE+KEYS+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
            "PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AoEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDF",
        ] {
            #expect(ledgerError { _ = try NoteSignerKey(parsing: bad) }?.code == .malformedKey, "\(bad)")
        }
        #expect(try NoteSignerKey(parsing: go).verifierKey.description == Self.peter)
        #expect(!signer.signingKey.description.contains(Base64Helper.encode(signer.signingKey.seed)), "secret never printed")
    }
}

/// Test-side base64 (Foundation), independent of the library's encoder.
enum Base64Helper {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
