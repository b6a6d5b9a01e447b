import Ledger
import Testing

@Suite("Checkpoints")
struct CheckpointTests {
    static let root = "mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk="

    @Test("text form and parsing agree, with and without extensions")
    func roundTrip() throws {
        let root = try #require(Hash(base64: Self.root))
        for extensions in [[], ["ext one", "— 2"]] {
            let checkpoint = Checkpoint(origin: "ripa.example-council.gov.uk/register", size: 42, root: root, extensions: extensions)
            let parsed = try Checkpoint(parsing: checkpoint.text)
            #expect(parsed == checkpoint)
        }
        #expect(Checkpoint(origin: "o", size: 0, root: RFC6962.emptyRoot).text == "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
        #expect(try Checkpoint(parsing: "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n").size == 0)
        #expect(try Checkpoint(parsing: "o\n18446744073709551615\n\(Self.root)\n").size == .max)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let text: String
        let label: String
        var testDescription: String { label }
    }

    static let bad: [Bad] = [
        Bad(text: "o\n01\n\(root)\n", label: "size 01"),
        Bad(text: "o\n00\n\(root)\n", label: "size 00"),
        Bad(text: "o\n-1\n\(root)\n", label: "negative size"),
        Bad(text: "o\n+1\n\(root)\n", label: "size with plus"),
        Bad(text: "o\n\n\(root)\n", label: "empty size"),
        Bad(text: "o\n1 \n\(root)\n", label: "size with space"),
        Bad(text: "o\n0x10\n\(root)\n", label: "hex size"),
        Bad(text: "o\n18446744073709551616\n\(root)\n", label: "size beyond 64 bits"),
        Bad(text: "\n1\n\(root)\n", label: "empty origin"),
        Bad(text: "o\n1\n\(root.dropLast())\n", label: "root base64 truncated"),
        Bad(text: "o\n1\nAAAA\n", label: "root too short"),
        Bad(text: "o\n1\n\(root)", label: "no final newline"),
        Bad(text: "o\n1\n", label: "no root line"),
        Bad(text: "", label: "empty"),
        Bad(text: "o\n1\n\(root)\n\n", label: "empty extension line"),
        Bad(text: "o\r\n1\n\(root)\n", label: "carriage return"),
    ]

    @Test("malformed checkpoints are refused", arguments: bad)
    func malformed(_ b: Bad) {
        let error = ledgerError { _ = try Checkpoint(parsing: b.text) }
        #expect(error?.code == .malformedCheckpoint, "\(b.label): \(String(describing: error))")
        #expect(error?.message.hasPrefix("malformed checkpoint: ") == true)
    }

    @Test("a signed checkpoint verifies with the register's verifier key, named after the origin")
    func signedCheckpoint() throws {
        let origin = "ripa.example-council.gov.uk/register"
        let signer = try NoteSignerKey(name: origin, signingKey: SigningKey())
        let tree = MerkleTree(leafHashes: (0..<5).map { RFC6962.leafHash([UInt8($0)]) })
        let checkpoint = Checkpoint(origin: origin, size: 5, root: tree.root(size: 5))
        let note = try SignedNote.sign(text: checkpoint.text, with: [signer])
        #expect(note.description.hasPrefix("\(origin)\n5\n\(tree.root(size: 5).base64)\n\n\u{2014} \(origin) "))
        let received = try SignedNote(parsing: note.description)
        #expect(try received.verify(with: [signer.verifierKey]) == [signer.verifierKey])
        #expect(try Checkpoint(parsing: received.text) == checkpoint)
    }
}
