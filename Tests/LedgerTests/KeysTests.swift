import Foundation
import Ledger
import Testing

@Suite("Hashes, keys and signatures")
struct KeysTests {
    @Test("SHA-256 of a known input; Hash forms")
    func hash() throws {
        let abc = Hash.sha256(Array("abc".utf8))
        #expect(abc.hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(abc.bytes.count == 32)
        #expect(Hash(bytes: abc.bytes) == abc)
        #expect(Hash(base64: abc.base64) == abc)
        #expect(abc.base64 == Data(abc.bytes).base64EncodedString())
        #expect(abc.description == abc.base64)
        #expect(Hash(bytes: [UInt8](repeating: 0, count: 31)) == nil)
        #expect(Hash(bytes: [UInt8](repeating: 0, count: 33)) == nil)
        #expect(Hash.zero.bytes == [UInt8](repeating: 0, count: 32))
        #expect(Hash.zero.base64 == "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        // Same bytes from a non-contiguous collection.
        #expect(Hash.sha256(Array("abc".utf8).lazy.map { $0 }) == abc)
        #expect(Set([abc, abc, Hash.zero]).count == 2)
    }

    @Test("base64 decoding is strict: one text per value")
    func strictBase64() {
        let valid = Hash.zero.base64
        #expect(Hash(base64: valid) != nil)
        #expect(Hash(base64: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=") == nil, "non-zero padding bits")
        #expect(Hash(base64: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") == nil, "missing padding")
        #expect(Hash(base64: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==") == nil, "extra padding")
        #expect(Hash(base64: " AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=") == nil, "space")
        #expect(Hash(base64: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-=") == nil, "URL alphabet")
        #expect(Hash(base64: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=A=") == nil, "padding in the middle")
        #expect(throws: LedgerError.self) { try PublicKey(base64: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=") }
    }

    @Test("RFC 8032 §7.1 test 1: key derivation and signature")
    func rfc8032() throws {
        let key = try SigningKey(seed: hexBytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        #expect(key.publicKey.bytes == (try hexBytes("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")))
        let signature = key.signature(for: [UInt8]())
        #expect(signature == (try hexBytes("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")))
        #expect(key.publicKey.isValidSignature(signature, for: [UInt8]()))
    }

    @Test("signatures verify only for the right key and message")
    func signatures() throws {
        let key = SigningKey()
        let other = SigningKey()
        let message = Array("register entry".utf8)
        let signature = key.signature(for: message)
        #expect(signature.count == 64)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(key.publicKey.isValidSignature(signature, for: message[...]))
        #expect(!key.publicKey.isValidSignature(signature, for: Array("register entrY".utf8)))
        #expect(!other.publicKey.isValidSignature(signature, for: message))
        var bad = signature
        bad[10] ^= 1
        #expect(!key.publicKey.isValidSignature(bad, for: message))
        #expect(!key.publicKey.isValidSignature(Array(signature.dropLast()), for: message))
        #expect(key.publicKey != other.publicKey)
    }

    @Test("keys rebuild from their seed and refuse wrong lengths")
    func seeds() throws {
        let key = SigningKey()
        #expect(key.seed.count == 32)
        #expect(try SigningKey(seed: key.seed).publicKey == key.publicKey)
        #expect(ledgerError { _ = try SigningKey(seed: [UInt8](repeating: 1, count: 31)) }?.code == .malformedKey)
        #expect(ledgerError { _ = try PublicKey(bytes: [UInt8](repeating: 1, count: 31)) }?.code == .malformedKey)
        #expect(try PublicKey(base64: key.publicKey.base64) == key.publicKey)
        #expect(key.publicKey.description == key.publicKey.base64)
        #expect(!key.description.contains(Data(key.seed).base64EncodedString()))
    }

    @Test("random bytes have the requested length and differ")
    func random() {
        #expect(Random.bytes(0).isEmpty)
        let a = Random.bytes(32), b = Random.bytes(32)
        #expect(a.count == 32)
        #expect(a != b)
    }
}
