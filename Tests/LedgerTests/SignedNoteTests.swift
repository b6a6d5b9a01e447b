import Ledger
import Testing

/// C2SP signed-note vectors (Vectors/signed-note.json) and malformed inputs.
@Suite("Signed notes")
struct SignedNoteTests {
    struct NoteVector: Sendable, CustomTestStringConvertible {
        let name: String
        let verifierKey: String
        let signerKey: String?
        let note: String
        let valid: Bool
        var testDescription: String { name }
    }

    static func vectors() throws -> [NoteVector] {
        try Vectors.load("signed-note").requiredArray("notes").map {
            NoteVector(name: try $0.requiredString("name"), verifierKey: try $0.requiredString("verifier_key"),
                       signerKey: $0["signer_key"]?.stringValue, note: try $0.requiredString("note"),
                       valid: try $0.requiredBool("valid"))
        }
    }

    static func vector(named prefix: String) throws -> NoteVector {
        try #require(try vectors().first { $0.name.hasPrefix(prefix) })
    }

    @Test("valid notes verify with their key; invalid ones do not", arguments: try vectors())
    func verify(_ v: NoteVector) throws {
        let key = try NoteVerifierKey(parsing: v.verifierKey)
        let note = try SignedNote(parsing: v.note)
        #expect(note.description == v.note, "re-serialisation is byte-identical")
        #expect(note.text.hasSuffix("\n"))
        if v.valid {
            #expect(try note.verify(with: [key]) == [key])
        } else {
            let error = ledgerError { _ = try note.verify(with: [key]) }
            #expect(error?.code == .badSignature || error?.code == .unknownKey, "\(String(describing: error))")
        }
    }

    @Test("a tampered text is a bad signature; a note signed only by others is an unknown key")
    func invalidKinds() throws {
        let tampered = try Self.vector(named: "tampered")
        let unknown = try Self.vector(named: "signed by an unknown")
        #expect(ledgerError { _ = try SignedNote(parsing: tampered.note).verify(with: [NoteVerifierKey(parsing: tampered.verifierKey)]) }?.code == .badSignature)
        let error = ledgerError { _ = try SignedNote(parsing: unknown.note).verify(with: [NoteVerifierKey(parsing: unknown.verifierKey)]) }
        #expect(error?.code == .unknownKey)
        #expect(error?.message.contains("EnochRoot") == true)
    }

    @Test("verifier key text round-trips", arguments: try vectors())
    func verifierKeyRoundTrip(_ v: NoteVector) throws {
        let key = try NoteVerifierKey(parsing: v.verifierKey)
        #expect(key.description == v.verifierKey)
        #expect(try NoteVerifierKey(name: key.name, publicKey: key.publicKey) == key)
    }

    @Test("the PeterNeumann signer key reproduces the published note byte for byte")
    func deterministicSigning() throws {
        let v = try Self.vector(named: "go-note PeterNeumann")
        let signer = try NoteSignerKey(parsing: try #require(v.signerKey))
        #expect(signer.description == v.signerKey)
        #expect(signer.verifierKey.description == v.verifierKey)
        #expect(signer.keyID == 0xc74f20a3)
        let text = try SignedNote(parsing: v.note).text
        let signed = try SignedNote.sign(text: text, with: [signer])
        #expect(signed.description == v.note)
    }

    @Test("a note signed by two keys verifies with either and with both")
    func twoSigners() throws {
        let a = try NoteSignerKey(name: "a.example/log", signingKey: SigningKey())
        let b = try NoteSignerKey(name: "witness", signingKey: SigningKey())
        let note = try SignedNote.sign(text: "hello\nworld\n", with: [a, b])
        let reparsed = try SignedNote(parsing: note.description)
        #expect(reparsed == note)
        #expect(try reparsed.verify(with: [b.verifierKey]) == [b.verifierKey])
        #expect(try reparsed.verify(with: [a.verifierKey, b.verifierKey]) == [a.verifierKey, b.verifierKey])
        // Same name, different key: the key id differs, so it is unknown, not bad.
        let impostor = try NoteSignerKey(name: "a.example/log", signingKey: SigningKey())
        #expect(ledgerError { _ = try reparsed.verify(with: [impostor.verifierKey]) }?.code == .unknownKey)
    }

    struct BadNote: Sendable, CustomTestStringConvertible {
        let note: String
        let label: String
        var testDescription: String { label }
    }

    static let sig = "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
    static let badNotes: [BadNote] = [
        BadNote(note: "text\n— PeterNeumann \(sig)\n", label: "missing blank line"),
        BadNote(note: "text\n\n", label: "no signatures"),
        BadNote(note: "text\n", label: "text only"),
        BadNote(note: "", label: "empty"),
        BadNote(note: "text\n\n— PeterNeumann \(sig)", label: "no final newline"),
        BadNote(note: "text\n\n- PeterNeumann \(sig)\n", label: "hyphen instead of em dash"),
        BadNote(note: "text\n\n—PeterNeumann \(sig)\n", label: "no space after em dash"),
        BadNote(note: "text\n\n— PeterNeumann\n", label: "no signature after name"),
        BadNote(note: "text\n\n— PeterNeumann \n", label: "empty signature"),
        BadNote(note: "text\n\n— PeterNeumann not-base64!\n", label: "bad base64"),
        BadNote(note: "text\n\n— PeterNeumann AAAA\n", label: "signature shorter than 5 bytes"),
        BadNote(note: "text\n\n—  \(sig)\n", label: "empty name"),
        BadNote(note: "text\n\n— PeterNeumann \(sig)\nextra\n", label: "trailing non-signature line"),
        BadNote(note: "text\n\n— PeterNeumann \(sig)\n\n", label: "blank line after signatures"),
        BadNote(note: "te\rxt\n\n— PeterNeumann \(sig)\n", label: "control character in text"),
        BadNote(note: "text\n\n— PeterNeumann \(sig) \n", label: "trailing space after signature"),
        BadNote(note: "text\n\n— PeterNeumann \(sig.dropLast())\n", label: "truncated base64"),
        BadNote(note: "text\n\n" + String(repeating: "— PeterNeumann \(sig)\n", count: 101), label: "more than 100 signatures"),
    ]

    @Test("malformed notes are refused with a clear error", arguments: badNotes)
    func malformed(_ b: BadNote) {
        let error = ledgerError { _ = try SignedNote(parsing: b.note) }
        #expect(error?.code == .malformedNote, "\(b.label): \(String(describing: error))")
        #expect(error?.message.hasPrefix("malformed signed note: ") == true)
    }

    @Test("signing refuses text that could not be parsed back")
    func signRefusals() throws {
        let signer = try NoteSignerKey(name: "k", signingKey: SigningKey())
        #expect(ledgerError { _ = try SignedNote.sign(text: "no newline", with: [signer]) }?.code == .malformedNote)
        #expect(ledgerError { _ = try SignedNote.sign(text: "", with: [signer]) }?.code == .malformedNote)
        #expect(ledgerError { _ = try SignedNote.sign(text: "tab\there\n", with: [signer]) }?.code == .malformedNote)
        #expect(ledgerError { _ = try SignedNote.sign(text: "ok\n", with: []) }?.code == .malformedNote)
        // Blank lines inside the text are allowed: the split is at the last blank line.
        let note = try SignedNote.sign(text: "a\n\nb\n", with: [signer])
        #expect(try SignedNote(parsing: note.description).text == "a\n\nb\n")
        #expect(try SignedNote(parsing: note.description).verify(with: [signer.verifierKey]).count == 1)
    }

    @Test("the sum.golang.org note is a checkpoint")
    func sumdbCheckpoint() throws {
        let v = try Self.vector(named: "sum.golang.org")
        let note = try SignedNote(parsing: v.note)
        #expect(try note.verify(with: [NoteVerifierKey(parsing: v.verifierKey)]).first?.name == "sum.golang.org")
        let checkpoint = try Checkpoint(parsing: note.text)
        #expect(checkpoint.origin == "go.sum database tree")
        #expect(checkpoint.size == 6_476_701)
        #expect(checkpoint.root.base64 == "mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=")
        #expect(checkpoint.extensions.isEmpty)
        #expect(checkpoint.text == note.text)
    }
}
