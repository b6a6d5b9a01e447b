import Foundation
import Ledger
import RIPA
import Testing
import Witness

/// The witness's checks and its state, without HTTP: every status code of C2SP tlog-witness's
/// add-checkpoint, and the atomic check-and-save.
@Suite("Witness")
struct WitnessTests {
    /// A log of `n` entries, its signer and helpers to submit checkpoints.
    struct Log {
        let signer: NoteSignerKey
        var leaves: [Hash] = []
        init(origin: String = "council.example/register") {
            signer = try! NoteSignerKey(name: origin, signingKey: SigningKey())
        }
        mutating func grow(to n: Int, tag: String = "") {
            while leaves.count < n { leaves.append(RFC6962.leafHash(Array("entry \(leaves.count)\(tag)".utf8))) }
        }
        var tree: MerkleTree { MerkleTree(leafHashes: leaves) }
        func note(size: Int, signer: NoteSignerKey? = nil, root: Hash? = nil) throws -> SignedNote {
            let root = root ?? tree.root(size: UInt64(size))
            return try SignedNote.sign(text: Checkpoint(origin: self.signer.name, size: UInt64(size), root: root).text, with: [signer ?? self.signer])
        }
        func request(old: Int, size: Int, proof: [Hash]? = nil, note: SignedNote? = nil) throws -> [UInt8] {
            let path = try proof ?? (old == 0 ? [] : tree.consistencyProof(oldSize: UInt64(old), newSize: UInt64(size)).path)
            return Array(AddCheckpointRequest(oldSize: UInt64(old), proof: path, checkpoint: try note ?? self.note(size: size)).description.utf8)
        }
    }

    static func witness(_ log: Log, state path: String? = nil, time: UInt64 = 1_800_000_000) throws -> Witness {
        let path = path ?? NSTemporaryDirectory() + "witness-\(UUID().uuidString).db"
        let key = try NoteSignerKey(name: "witness.example/w1", signingKey: SigningKey(seed: [UInt8](repeating: 3, count: 32)))
        return Witness(key: key, config: WitnessConfig(keys: [log.signer.verifierKey]), state: try WitnessStateStore(path: path), clock: { time })
    }

    @Test("a first checkpoint from 0 is cosigned; the line verifies over the body at the witness's time")
    func firstCosignature() throws {
        var log = Log()
        log.grow(to: 5)
        let witness = try Self.witness(log)
        let answer = witness.addCheckpoint(try log.request(old: 0, size: 5))
        #expect(answer.status == 200)
        let lines = try AddCheckpointRequest.cosignatures(fromResponse: Array(answer.body.utf8))
        #expect(lines.count == 1)
        #expect(lines[0].timestamp == 1_800_000_000)
        #expect(lines[0].verifies(checkpointText: try log.note(size: 5).text, key: witness.verifierKey))
        #expect(try witness.state.witnessed(origin: log.signer.name)?.size == 5)
    }

    @Test("growth with a good proof is cosigned; the same size again is cosigned")
    func growth() throws {
        var log = Log()
        log.grow(to: 5)
        let witness = try Self.witness(log)
        #expect(witness.addCheckpoint(try log.request(old: 0, size: 5)).status == 200)
        log.grow(to: 13)
        #expect(witness.addCheckpoint(try log.request(old: 5, size: 13)).status == 200)
        #expect(witness.addCheckpoint(try log.request(old: 13, size: 13, proof: [])).status == 200)
    }

    @Test("409 names the witness's size, as text/x.tlog.size")
    func conflict() throws {
        var log = Log()
        log.grow(to: 8)
        let witness = try Self.witness(log)
        #expect(witness.addCheckpoint(try log.request(old: 0, size: 4)).status == 200)
        let stale = witness.addCheckpoint(try log.request(old: 0, size: 8))
        #expect(stale.status == 409)
        #expect(stale.body == "4\n")
        #expect(stale.contentType == "text/x.tlog.size")
        #expect(witness.addCheckpoint(try log.request(old: 2, size: 8)).status == 409)
    }

    @Test("400: malformed body, old size above the checkpoint's")
    func badRequest() throws {
        var log = Log()
        log.grow(to: 4)
        let witness = try Self.witness(log)
        #expect(witness.addCheckpoint(Array("hello".utf8)).status == 400)
        #expect(witness.addCheckpoint(Array("old 01\n\n\(try log.note(size: 4))".utf8)).status == 400)
        #expect(witness.addCheckpoint(try log.request(old: 5, size: 4, proof: [])).status == 400)
    }

    @Test("404 for an unknown origin; 403 for an unknown key or a bad signature by the known key")
    func unknown() throws {
        var log = Log()
        log.grow(to: 4)
        let witness = try Self.witness(log)
        var other = Log(origin: "elsewhere.example/log")
        other.grow(to: 4)
        #expect(witness.addCheckpoint(try other.request(old: 0, size: 4)).status == 404)
        // Same origin, a stolen-name key the witness does not trust.
        let impostor = try NoteSignerKey(name: log.signer.name, signingKey: SigningKey())
        #expect(witness.addCheckpoint(try log.request(old: 0, size: 4, note: try log.note(size: 4, signer: impostor))).status == 403)
        // The trusted key's line over other text.
        let good = try log.note(size: 4)
        let forged = good.description.replacingOccurrences(of: "\n4\n", with: "\n3\n")
        #expect(witness.addCheckpoint(Array("old 0\n\n\(forged)".utf8)).status == 403)
    }

    @Test("422: a non-empty size-0 root, a proof from 0, a bad proof, a fork at the same size")
    func unprocessable() throws {
        var log = Log()
        log.grow(to: 6)
        let witness = try Self.witness(log)
        #expect(witness.addCheckpoint(try log.request(old: 0, size: 0, note: try log.note(size: 0, root: log.tree.root(size: 3)))).status == 422)
        #expect(witness.addCheckpoint(try log.request(old: 0, size: 6, proof: [RFC6962.emptyRoot])).status == 422)
        #expect(witness.addCheckpoint(try log.request(old: 0, size: 3)).status == 200)
        // A rewritten tail: the same first size, another history after it.
        var fork = Log()
        fork = Log(signerOf: log)
        fork.grow(to: 6, tag: "-rewritten")
        #expect(witness.addCheckpoint(try fork.request(old: 3, size: 6)).status == 422)
        #expect(witness.addCheckpoint(try fork.request(old: 3, size: 3, proof: [])).status == 422)
        #expect(try witness.state.witnessed(origin: log.signer.name)?.size == 3, "nothing refused was saved")
        #expect(try witness.state.refusedCount(origin: log.signer.name) == 4, "every 422 with a good signature kept as evidence")
    }

    @Test("a rollback is refused: after 10, a checkpoint of 6 from 10 is 400, from 6 is 409")
    func rollback() throws {
        var log = Log()
        log.grow(to: 10)
        let witness = try Self.witness(log)
        #expect(witness.addCheckpoint(try log.request(old: 0, size: 10)).status == 200)
        #expect(witness.addCheckpoint(try log.request(old: 10, size: 6, proof: [])).status == 400)
        #expect(witness.addCheckpoint(try log.request(old: 6, size: 6, proof: [])).status == 409)
    }

    @Test("two witness processes' stores on one file: concurrent submissions from one old size cosign once")
    func atomic() async throws {
        var log = Log()
        log.grow(to: 40)
        let path = NSTemporaryDirectory() + "witness-\(UUID().uuidString).db"
        let a = try Self.witness(log, state: path)
        let b = try Self.witness(log, state: path)
        #expect(a.addCheckpoint(try log.request(old: 0, size: 10)).status == 200)
        // Twenty rivals, each claiming old size 10 with a different new size.
        let requests = try (11...30).map { try log.request(old: 10, size: $0) }
        let statuses = await withTaskGroup(of: Int.self) { group in
            for (i, request) in requests.enumerated() {
                let w = i % 2 == 0 ? a : b
                group.addTask { w.addCheckpoint(request).status }
            }
            var out: [Int] = []
            for await status in group { out.append(status) }
            return out
        }
        #expect(statuses.count { $0 == 200 } == 1)
        #expect(statuses.count { $0 == 409 } == 19)
    }

    @Test("the config reads log lines and refuses anything else")
    func config() throws {
        let log = Log()
        let config = try WitnessConfig(parsing: "# a council\n\nlog \(log.signer.verifierKey)\n")
        #expect(config.keys[log.signer.name] == [log.signer.verifierKey])
        #expect(throws: RIPAError.self) { try WitnessConfig(parsing: "witness x y\n") }
        #expect(throws: RIPAError.self) { try WitnessConfig(parsing: "log nonsense\n") }
        #expect(throws: RIPAError.self) { try WitnessConfig(parsing: "# nothing\n") }
    }

    @Test("the monitoring read returns the cosigned note, or 404")
    func monitoring() throws {
        var log = Log()
        log.grow(to: 2)
        let witness = try Self.witness(log)
        let hash = Hash.sha256(Array(log.signer.name.utf8)).hex
        #expect(witness.latestCheckpoint(originHash: hash).status == 404)
        #expect(witness.addCheckpoint(try log.request(old: 0, size: 2)).status == 200)
        let answer = witness.latestCheckpoint(originHash: hash)
        #expect(answer.status == 200)
        let note = try SignedNote(parsing: answer.body)
        #expect(note.signatures.count == 2)
        #expect(try note.verify(with: [log.signer.verifierKey]) == [log.signer.verifierKey])
    }
}

extension WitnessTests.Log {
    /// Another history under the same log key: what someone holding the stolen key would sign.
    init(signerOf other: WitnessTests.Log) {
        self.signer = other.signer
        self.leaves = []
    }
}
