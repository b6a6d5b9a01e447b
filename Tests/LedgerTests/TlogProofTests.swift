import Foundation
import Ledger
import Testing

/// C2SP tlog-proof files and tlog-witness add-checkpoint bodies: round trips and strict parsing.
@Suite("tlog-proof and add-checkpoint")
struct TlogProofTests {
    static let signer = try! NoteSignerKey(name: "council.example/register", signingKey: SigningKey(seed: [UInt8](repeating: 9, count: 32)))

    static func tree(_ n: Int) -> MerkleTree {
        MerkleTree(leafHashes: (0..<n).map { RFC6962.leafHash(Array("entry \($0)".utf8)) })
    }

    static func note(size: UInt64, root: Hash) throws -> SignedNote {
        try SignedNote.sign(text: Checkpoint(origin: signer.name, size: size, root: root).text, with: [signer])
    }

    @Test("a proof file round-trips byte for byte, with and without extra data")
    func roundTrip() throws {
        let tree = Self.tree(11)
        let proof = try tree.inclusionProof(index: 6, size: 11)
        for extra in [nil, Array("context".utf8)] {
            let file = TlogProof(extra: extra, index: 6, path: proof.path, checkpoint: try Self.note(size: 11, root: tree.root(size: 11)))
            let text = file.description
            #expect(text.hasPrefix("c2sp.org/tlog-proof@v1\n" + (extra == nil ? "index 6\n" : "extra Y29udGV4dA==\nindex 6\n")))
            let parsed = try TlogProof(parsing: text)
            #expect(parsed == file)
            #expect(parsed.description == text)
        }
    }

    @Test("an index 0 proof in a one-entry tree has no path lines")
    func emptyPath() throws {
        let tree = Self.tree(1)
        let file = TlogProof(index: 0, path: [], checkpoint: try Self.note(size: 1, root: tree.root(size: 1)))
        #expect(file.description.hasPrefix("c2sp.org/tlog-proof@v1\nindex 0\n\n"))
        #expect(try TlogProof(parsing: file.description) == file)
    }

    @Test("malformed proof files are refused", arguments: [
        ("c2sp.org/tlog-proof@v2\nindex 1\n\nNOTE", "first line"),
        ("c2sp.org/tlog-proof@v1\nindex 01\n\nNOTE", "leading zeros"),
        ("c2sp.org/tlog-proof@v1\nindex -1\n\nNOTE", "not a decimal"),
        ("c2sp.org/tlog-proof@v1\nextra ***\nindex 1\n\nNOTE", "base64"),
        ("c2sp.org/tlog-proof@v1\nindex 1\nAAAA\n\nNOTE", "SHA-256"),
        ("c2sp.org/tlog-proof@v1\nindex 1\nNOTE", "not a base64 SHA-256 hash"),
        ("c2sp.org/tlog-proof@v1\nindex 1", "blank line"),
        ("c2sp.org/tlog-proof@v1\n\nNOTE", "index"),
    ])
    func malformed(_ text: String, _ expected: String) throws {
        let note = try Self.note(size: 2, root: Self.tree(2).root(size: 2)).description
        let error = ledgerError { _ = try TlogProof(parsing: text.replacingOccurrences(of: "NOTE", with: note)) }
        #expect(error?.code == .malformedWitnessMessage)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error?.message))")
    }

    @Test("an add-checkpoint body round-trips; a 409 body and a 200 body are read")
    func request() throws {
        let tree = Self.tree(9)
        let proof = try tree.consistencyProof(oldSize: 5, newSize: 9)
        let request = AddCheckpointRequest(oldSize: 5, proof: proof.path, checkpoint: try Self.note(size: 9, root: tree.root(size: 9)))
        let parsed = try AddCheckpointRequest(parsing: Array(request.description.utf8))
        #expect(parsed == request)
        #expect(try AddCheckpointRequest.size(fromConflictBody: Array("42\n".utf8)) == 42)
        #expect(ledgerError { _ = try AddCheckpointRequest.size(fromConflictBody: Array("042\n".utf8)) }?.code == .malformedWitnessMessage)
        #expect(ledgerError { _ = try AddCheckpointRequest.size(fromConflictBody: Array("42".utf8)) }?.code == .malformedWitnessMessage)
        #expect(ledgerError { _ = try AddCheckpointRequest(parsing: Array("old 1\n".utf8)) }?.code == .malformedWitnessMessage)
        #expect(ledgerError { _ = try AddCheckpointRequest(parsing: Array("old x\n\n\(request.checkpoint)".utf8)) }?.code == .malformedWitnessMessage)
        let tooLong = "old 1\n" + String(repeating: "\(RFC6962.emptyRoot.base64)\n", count: 64) + "\n\(request.checkpoint)"
        #expect(ledgerError { _ = try AddCheckpointRequest(parsing: Array(tooLong.utf8)) }?.code == .malformedWitnessMessage)
    }
}
