import Foundation
import Ledger
import Testing

@Suite("Sealed keys")
struct SealedKeyTests {
    let key = SigningKey()
    let passphrase = "correct horse battery staple ✓"
    let sealed: SealedKey

    /// Each test gets its own key, sealed afresh (Argon2id at the interactive limits, ~0.1 s).
    init() throws {
        sealed = try SealedKey.seal(key, passphrase: passphrase, cost: .interactive)
    }

    @Test("seal then unseal gives back the key")
    func roundTrip() throws {
        let opened = try sealed.unseal(passphrase: passphrase)
        #expect(opened.seed == key.seed)
        #expect(opened.publicKey == key.publicKey)
        #expect(sealed.publicKey == key.publicKey)
    }

    @Test("a wrong passphrase is a clear error, not a crash")
    func wrongPassphrase() {
        for attempt in ["", "correct horse battery staple", passphrase + " "] {
            let error = ledgerError { _ = try sealed.unseal(passphrase: attempt) }
            #expect(error?.code == .wrongPassphrase)
            #expect(error?.message == "wrong passphrase")
        }
    }

    @Test("the text form round-trips and still opens")
    func serialized() throws {
        let text = sealed.serialized
        #expect(text.hasPrefix("ripa-sealed-key/v1$argon2id$ops="))
        #expect(!text.contains("\n"))
        let parsed = try SealedKey(serialized: text + "\n")
        #expect(parsed == sealed)
        #expect(parsed.serialized == text)
        #expect(try parsed.unseal(passphrase: passphrase).seed == key.seed)
        // Fresh salt and nonce every time.
        #expect(try SealedKey.seal(key, passphrase: passphrase, cost: .interactive).serialized != text)
    }

    @Test("damaged text is refused when read")
    func corruptedText() {
        let fields = sealed.serialized.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        func with(_ index: Int, _ value: String) -> String {
            var f = fields
            f[index] = value
            return f.joined(separator: "$")
        }
        let damaged = [
            "",
            "hello",
            with(0, "ripa-sealed-key/v2"),
            with(1, "scrypt"),
            with(2, "ops=x"),
            with(2, "ops=0"),
            with(2, "ops=100000"),
            with(3, "mem=1"),
            with(3, "mem=99999999999999"),
            with(4, "AAAA"),
            with(5, "not base64"),
            with(6, "AAAA"),
            with(7, String(fields[7].dropFirst(4))),
            fields.dropLast().joined(separator: "$"),
            sealed.serialized + "$extra",
        ]
        for text in damaged {
            #expect(ledgerError { _ = try SealedKey(serialized: text) }?.code == .malformedSealedKey, "\(text)")
        }
    }

    @Test("altered ciphertext or a swapped public key does not open")
    func tampering() throws {
        let fields = sealed.serialized.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        var ciphertext = try #require(Data(base64Encoded: fields[7]))
        ciphertext[0] ^= 1
        var f = fields
        f[7] = ciphertext.base64EncodedString()
        let alteredCiphertext = try SealedKey(serialized: f.joined(separator: "$"))
        #expect(ledgerError { _ = try alteredCiphertext.unseal(passphrase: passphrase) }?.code == .wrongPassphrase)

        f = fields
        f[6] = SigningKey().publicKey.base64
        let swappedKey = try SealedKey(serialized: f.joined(separator: "$"))
        #expect(ledgerError { _ = try swappedKey.unseal(passphrase: passphrase) }?.code == .wrongPassphrase)
    }
}

@Suite struct SealedKeyCostTests {
    @Test("each cost seals at libsodium's named limits, and meets only what it is at least", arguments: [
        (SealedKey.Cost.interactive, UInt64(2), UInt64(64 << 20)), (.moderate, 3, 256 << 20),
    ])
    func costs(cost: SealedKey.Cost, ops: UInt64, mem: UInt64) throws {
        let key = SigningKey()
        let sealed = try SealedKey.seal(key, passphrase: "a passphrase long enough", cost: cost)
        #expect(sealed.opsLimit == ops && sealed.memLimit == mem)
        #expect(sealed.serialized.contains("$ops=\(ops)$mem=\(mem)$"))
        #expect(try sealed.unseal(passphrase: "a passphrase long enough").seed == key.seed)
        for other in SealedKey.Cost.allCases {
            #expect(sealed.meets(other) == (other <= cost), "\(cost) meets \(other)?")
        }
    }
}
