import Foundation
import Ledger
import Testing

/// C2SP tlog-cosignature (`cosignature/v1`) against the published vectors (Vectors/cosignature.json).
@Suite("Cosignatures")
struct CosignatureTests {
    struct CosignatureVector: Sendable, CustomTestStringConvertible {
        let name: String
        let verifierKey: String
        let body: String
        let line: String
        let valid: Bool
        let seedHex: String?
        let timestamp: Int64?
        let keyIDHex: String?
        var testDescription: String { name }
    }

    static func vectors() throws -> [CosignatureVector] {
        try Vectors.load("cosignature").requiredArray("cases").map {
            CosignatureVector(
                name: try $0.requiredString("name"), verifierKey: try $0.requiredString("verifier_key"),
                body: try $0.requiredString("checkpoint_body"), line: try $0.requiredString("cosignature_line"),
                valid: try $0.requiredBool("valid"), seedHex: $0["seed_hex"]?.stringValue, timestamp: $0["timestamp"]?.integerValue,
                keyIDHex: $0["key_id_hex"]?.stringValue)
        }
    }

    @Test("each vector's line verifies, or not, against its body", arguments: try vectors())
    func verify(_ v: CosignatureVector) throws {
        let key = try CosignatureVerifierKey(parsing: v.verifierKey)
        #expect(key.description == v.verifierKey)
        let cosignature = try Cosignature(line: v.line)
        #expect(cosignature.line == v.line, "re-serialisation is byte-identical")
        #expect(cosignature.isClaimed(by: key))
        #expect(cosignature.verifies(checkpointText: v.body, key: key) == v.valid)
    }

    @Test("the seed reproduces the key id, the verifier key and the line byte for byte")
    func deterministicSigning() throws {
        let v = try #require(try Self.vectors().first { $0.seedHex != nil })
        let signer = try NoteSignerKey(name: "example.org/witness", signingKey: SigningKey(seed: hexBytes(try #require(v.seedHex))))
        let key = CosignatureVerifierKey(signer: signer)
        #expect(key.description == v.verifierKey)
        #expect(key.keyIDHex == v.keyIDHex)
        // The note key id (type 0x01) differs from the cosignature key id (type 0x04).
        #expect(signer.keyID != key.keyID)
        let signed = try Cosignature.sign(checkpointText: v.body, by: signer, at: UInt64(try #require(v.timestamp)))
        #expect(signed.line == v.line)
        #expect(signed.timestamp == 1234)
    }

    @Test("the signed message is the header, the time line and the whole body")
    func message() {
        let body = "example.org/log\n10\nHA5HAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
        #expect(Cosignature.message(checkpointText: body, timestamp: 1234) == Array("cosignature/v1\ntime 1234\n\(body)".utf8))
    }

    @Test("a cosignature fails under another timestamp, another key, a changed extension line")
    func tampered() throws {
        let signer = try NoteSignerKey(name: "w.example/1", signingKey: SigningKey())
        let other = try NoteSignerKey(name: "w.example/1", signingKey: SigningKey())
        let body = "log.example/a\n5\n\(RFC6962.emptyRoot.base64)\next line\n"
        let c = try Cosignature.sign(checkpointText: body, by: signer, at: 1_700_000_000)
        let key = CosignatureVerifierKey(signer: signer)
        #expect(c.verifies(checkpointText: body, key: key))
        #expect(!c.verifies(checkpointText: body.replacingOccurrences(of: "ext line", with: "ext lime"), key: key))
        #expect(!c.verifies(checkpointText: body, key: CosignatureVerifierKey(signer: other)))
        // Re-encode with the timestamp changed by one second.
        var bytes = Array(c.noteSignature.signature)
        bytes[7] ^= 0x01
        let shifted = try Cosignature(NoteSignature(name: c.name, keyID: c.keyID, signature: bytes))
        #expect(shifted.timestamp == 1_700_000_001)
        #expect(!shifted.verifies(checkpointText: body, key: key))
    }

    @Test("a zero timestamp, a short signature and a note key's type byte are refused")
    func refused() throws {
        let signer = try NoteSignerKey(name: "w.example/1", signingKey: SigningKey())
        let body = "log.example/a\n0\n\(RFC6962.emptyRoot.base64)\n"
        #expect(ledgerError { _ = try Cosignature.sign(checkpointText: body, by: signer, at: 0) }?.code == .malformedNote)
        #expect(ledgerError { _ = try Cosignature(NoteSignature(name: "w", keyID: 1, signature: [UInt8](repeating: 0, count: 64))) }?.code == .malformedNote)
        // A note verifier key (type 0x01) is not a witness key.
        #expect(ledgerError { _ = try CosignatureVerifierKey(parsing: signer.verifierKey.description) }?.code == .malformedKey)
        // Nor the reverse.
        #expect(ledgerError { _ = try NoteVerifierKey(parsing: CosignatureVerifierKey(signer: signer).description) }?.code == .malformedKey)
    }
}
