import Foundation
import Ledger
import Testing

/// `ripa verify --save-state FILE` and `--since FILE` (issue 12 §5), driven through the binary:
/// the auditor's second visit checks only what is new, and an insider who rewrote the old
/// part, edited the state file, or handed over another register's is caught.
@Suite struct IncrementalVerifyCLITests {
    /// The 16-entry register of `TamperTests`, verified and its state saved.
    func register() throws -> (CLI, state: String) {
        var cli = try CLI.withRegister()
        for i in 0..<6 { try cli.enrol("user\(i)", roles: i % 2 == 0 ? "investigator" : "auditor") }
        let state = cli.directory.appendingPathComponent("verify-state.json").path
        let out = try cli.ok(["verify", "--save-state", state])
        #expect(out.contains("OK: 16 entries verified"))
        #expect(out.contains("State saved to \(state)"))
        return (cli, state)
    }

    @Test func anHonestRegisterIsVerifiedFromTheSavedStateAndTheStateMovesOn() throws {
        var (cli, state) = try register()
        defer { cli.cleanUp() }
        // Only its owner may read it: it names the register's users.
        let mode = try FileManager.default.attributesOfItem(atPath: state)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try cli.enrol("user6", roles: "investigator")

        let json = try JSONValue(parsing: try cli.ok(["verify", "--since", state, "--save-state", state, "--json"]))
        #expect(json["ok"] == true)
        #expect(json["size"] == 18)
        #expect(json["since_size"] == 16)
        #expect(json["summary"]?.stringValue?.contains("2 new entries verified (16 to 17)") == true, "\(json)")

        // The state moved on to 18: the next visit starts there.
        try cli.enrol("user7", roles: "auditor")
        #expect(try cli.ok(["verify", "--since", state]).contains("2 new entries verified (18 to 19)"))
        // Saved without --replay: it holds no replay to go on from.
        let replay = try cli.run(["verify", "--since", state, "--replay"])
        #expect(replay.status != 0 && replay.stderr.contains("saved without a replay"), "\(replay.stderr)")

        // Saved with --replay, the next visit re-runs only the new decisions, from the saved replay.
        let replayState = cli.directory.appendingPathComponent("replay-state.json").path
        #expect(try cli.ok(["verify", "--replay", "--save-state", replayState]).contains("20 entries verified"))
        try cli.enrol("user8", roles: "investigator")
        let again = try JSONValue(parsing: try cli.ok(["verify", "--since", replayState, "--replay", "--json"]))
        #expect(again["ok"] == true && again["since_size"] == 20 && again["size"] == 22, "\(again)")
        #expect(again["replayed_decisions"]?.integerValue != nil)
    }

    /// The insider holds the register key: they rewrite history from entry 6 (inside the
    /// audited part), re-chain, re-hash the tree and re-sign a checkpoint. The register is
    /// self-consistent, so a full verify passes; the saved state's root does not fit it.
    @Test func anOldEntryRewrittenWithTheRegisterKeyFailsTheConsistencyProof() throws {
        let (cli, state) = try register()
        defer { cli.cleanUp() }
        let log = try cli.ok(["log", "--json"]).split(separator: "\n").map { try Entry(leafData: Array($0.utf8)) }
        var stolen = try NoteSignerKey(parsing: try String(contentsOfFile: cli.keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        var entries = Array(log.prefix(6))
        for seq in 6..<17 {
            let next = try NoteSignerKey(name: stolen.name, signingKey: SigningKey())
            let body: JSONValue = [
                "verifier_key": .string(next.verifierKey.description),
                "previous_verifier_key": .string(stolen.verifierKey.description),
                "requested_by": "admin", "reason": "forged",
            ]
            entries.append(Entry.sign(seq: UInt64(seq), time: entries.last!.time, kind: "register.key-rotated", prev: entries.last!.leafHash, body: body, with: stolen.signingKey))
            stolen = next
        }
        let tree = MerkleTree(leafHashes: entries.map(\.leafHash))
        var sql = TamperTests.dropTriggers + "DROP TRIGGER tree_nodes_no_update; DELETE FROM entries WHERE seq >= 6; DELETE FROM tree_nodes WHERE ((idx + 1) << level) > 6; DELETE FROM checkpoints WHERE size > 6;"
        for entry in entries.dropFirst(6) {
            let hex = entry.leafData.map { String(format: "%02x", $0) }.joined()
            sql += "INSERT INTO entries (seq, kind, leaf) VALUES (\(entry.seq), '\(entry.kind)', x'\(hex)');"
        }
        for level in 1..<5 {
            for index in 0..<(17 >> level) where ((index + 1) << level) > 6 {
                sql += "INSERT OR REPLACE INTO tree_nodes (level, idx, hash) VALUES (\(level), \(index), x'\(tree.nodeHash(NodeID(level: level, index: UInt64(index))).hex)');"
            }
        }
        let note = try SignedNote.sign(text: Checkpoint(origin: stolen.name, size: 17, root: tree.root(size: 17)).text, with: [stolen])
        sql += "INSERT INTO checkpoints (size, note) VALUES (17, '\(note.description)');"
        try cli.sql(sql)

        #expect(try cli.run(["verify"]).status == 0)
        let result = try cli.run(["verify", "--since", state, "--json"])
        #expect(result.status == 1)
        let json = try JSONValue(parsing: result.stdout)
        #expect(json["check"] == "consistency")
        #expect(json["index"] == 15)
        #expect(result.stderr.contains("the consistency proof from the saved state's checkpoint (size 16) to the latest (size 17) fails"), "\(result.stderr)")
        #expect(result.stderr.contains("history was rewritten"))
    }

    @Test func aRegisterRolledBackBehindTheStateIsCaught() throws {
        let (cli, state) = try register()
        defer { cli.cleanUp() }
        let leaves = try cli.ok(["log", "--json"]).split(separator: "\n").map { RFC6962.leafHash(Array($0.utf8)) }
        let stolen = try NoteSignerKey(parsing: try String(contentsOfFile: cli.keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        let note = try SignedNote.sign(text: Checkpoint(origin: stolen.name, size: 6, root: MerkleTree(leafHashes: Array(leaves.prefix(6))).root(size: 6)).text, with: [stolen])
        try cli.sql(TamperTests.dropTriggers + """
            DELETE FROM entries WHERE seq >= 6; DELETE FROM tree_nodes WHERE ((idx + 1) << level) > 6;
            DELETE FROM checkpoints WHERE size > 6; INSERT OR REPLACE INTO checkpoints (size, note) VALUES (6, '\(note.description)');
            """)
        let result = try cli.run(["verify", "--since", state])
        #expect(result.status == 1)
        #expect(result.stderr.contains("rollback: the saved state covers 16 entries"), "\(result.stderr)")
    }

    /// Someone edits the auditor's state file: a user's key swapped for their own, or the
    /// size in the checkpoint moved back. The digest no longer matches; and where they also
    /// rewrote the digest, the register's signature on the checkpoint no longer does.
    @Test func anEditedStateFileIsRefused() throws {
        let (cli, state) = try register()
        defer { cli.cleanUp() }
        let original = try String(contentsOfFile: state, encoding: .utf8)
        let file = try JSONValue(parsing: original)
        let accounts = try #require(file["state"]?["walk"]?["accounts"]?["accounts"]?.arrayValue)
        let key = try #require(accounts.first { $0["user_id"] == "user0" }?["public_key"]?.stringValue)
        let forgedKey = SigningKey().publicKey.base64

        try original.replacingOccurrences(of: key, with: forgedKey).write(toFile: state, atomically: true, encoding: .utf8)
        var result = try cli.run(["verify", "--since", state])
        #expect(result.status != 0)
        #expect(result.stderr.contains("its digest does not match its contents: the file was changed after ripa wrote it"), "\(result.stderr)")

        // The size line of the checkpoint moved back, and the digest recomputed.
        guard case .object(var members) = file, case .object(var inner)? = members["state"] else { Issue.record("not an object"); return }
        let checkpoint = try #require(inner["checkpoint"]?.stringValue)
        inner["checkpoint"] = .string(checkpoint.replacingOccurrences(of: "\n16\n", with: "\n12\n"))
        members["state"] = .object(inner)
        members["digest"] = .string(Hash.sha256(JSONValue.object(inner).canonicalBytes).hex)
        try JSONValue.object(members).canonicalString.write(toFile: state, atomically: true, encoding: .utf8)
        result = try cli.run(["verify", "--since", state])
        #expect(result.status != 0)
        #expect(result.stderr.contains("not signed by the register key"), "\(result.stderr)")

        try "not a state".write(toFile: state, atomically: true, encoding: .utf8)
        result = try cli.run(["verify", "--since", state])
        #expect(result.status != 0 && result.stderr.contains("not JSON"), "\(result.stderr)")
    }

    /// A state saved from another register: one with another origin, and one with the same
    /// origin (two councils' test registers look alike) whose first entry differs.
    @Test func aStateFromAnotherRegisterIsRefused() throws {
        let (cli, state) = try register()
        defer { cli.cleanUp() }
        let same = try CLI.withRegister()
        defer { same.cleanUp() }
        var result = try same.run(["verify", "--since", state])
        #expect(result.status != 0)
        #expect(result.stderr.contains("saved from another register with the same origin"), "\(result.stderr)")

        let other = try CLI.withRegister(origin: "ripa.other-council.gov.uk/register")
        defer { other.cleanUp() }
        result = try other.run(["verify", "--since", state])
        #expect(result.status != 0)
        #expect(result.stderr.contains("is for the register 'ripa.test-council.gov.uk/register', not this one ('ripa.other-council.gov.uk/register')"), "\(result.stderr)")
        // A failed verify saves nothing.
        let kept = other.directory.appendingPathComponent("never.json").path
        #expect(try other.run(["verify", "--since", state, "--save-state", kept]).status != 0)
        #expect(!FileManager.default.fileExists(atPath: kept))
    }
}
