import Foundation
import Ledger
import Testing

/// An attacker holding the database file: drops the triggers and rewrites history.
/// `ripa verify` must catch each attempt and name the entry.
@Suite struct TamperTests {
    /// A register of 16 entries: genesis, the policy pack, admin's invitation and acceptance,
    /// six users' invitations (4, 6, … 14) and acceptances (5, 7, … 15).
    func register() throws -> CLI {
        var cli = try CLI.withRegister()
        for i in 0..<6 { try cli.enrol("user\(i)", roles: i % 2 == 0 ? "investigator" : "auditor") }
        #expect(try cli.ok(["verify"]).contains("OK: 16 entries verified"))
        return cli
    }

    static let dropTriggers = """
        DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete; DROP TRIGGER entries_in_order;
        DROP TRIGGER tree_nodes_no_delete; DROP TRIGGER checkpoints_no_delete;
        """

    func expectCaught(_ cli: CLI, index: UInt64, check: String, arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try cli.run(["verify", "--json"] + arguments)
        #expect(result.status == 1, "verify passed a tampered register", sourceLocation: sourceLocation)
        let json = try JSONValue(parsing: result.stdout)
        #expect(json["ok"] == false, sourceLocation: sourceLocation)
        #expect(json["index"] == .integer(Int64(index)), "\(result.stdout)", sourceLocation: sourceLocation)
        #expect(json["check"]?.stringValue == check, "\(result.stdout)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("entry \(index)"), sourceLocation: sourceLocation)
    }

    @Test func triggersRefuseUpdateAndDelete() throws {
        let cli = try register()
        defer { cli.cleanUp() }
        #expect(throws: CLI.CLIError.self) { try cli.sql("UPDATE entries SET kind = 'x' WHERE seq = 3") }
        #expect(throws: CLI.CLIError.self) { try cli.sql("DELETE FROM entries WHERE seq = 7") }
        #expect(throws: CLI.CLIError.self) { try cli.sql("DELETE FROM checkpoints") }
        #expect(throws: CLI.CLIError.self) { try cli.sql("INSERT INTO entries (seq, kind, leaf) VALUES (20, 'x', x'00')") }
    }

    @Test func changedByteIsCaught() throws {
        let cli = try register()
        defer { cli.cleanUp() }
        // Change one byte of entry 8's stored bytes (a letter of a user's name in their invitation).
        try cli.sql(Self.dropTriggers + "UPDATE entries SET leaf = CAST(replace(CAST(leaf AS TEXT), '\"User2\"', '\"User3\"') AS BLOB) WHERE seq = 8;")
        try expectCaught(cli, index: 8, check: "signature")
    }

    @Test func deletedLastEntryIsCaught() throws {
        let cli = try register()
        defer { cli.cleanUp() }
        try cli.sql(Self.dropTriggers + "DELETE FROM entries WHERE seq = 15;")
        try expectCaught(cli, index: 15, check: "checkpoint")
    }

    @Test func deletedMiddleEntryIsCaught() throws {
        let cli = try register()
        defer { cli.cleanUp() }
        try cli.sql(Self.dropTriggers + "DELETE FROM entries WHERE seq = 3;")
        try expectCaught(cli, index: 3, check: "sequence")
    }

    @Test func swappedEntriesAreCaught() throws {
        let cli = try register()
        defer { cli.cleanUp() }
        try cli.sql(Self.dropTriggers + """
            CREATE TEMP TABLE t AS SELECT seq, leaf FROM entries WHERE seq IN (3, 5);
            UPDATE entries SET leaf = (SELECT leaf FROM t WHERE seq = 5) WHERE seq = 3;
            UPDATE entries SET leaf = (SELECT leaf FROM t WHERE seq = 3) WHERE seq = 5;
            """)
        try expectCaught(cli, index: 3, check: "sequence")
    }

    @Test func entryReSignedByUnenrolledKeyIsCaught() throws {
        let cli = try register()
        defer { cli.cleanUp() }
        let log = try cli.ok(["log", "--json"]).split(separator: "\n").map { try Entry(leafData: Array($0.utf8)) }
        let victim = log[5]
        let forged = Entry.sign(seq: victim.seq, time: victim.time, kind: victim.kind, prev: victim.prev, body: victim.body, with: SigningKey())
        let hex = forged.leafData.map { String(format: "%02x", $0) }.joined()
        try cli.sql(Self.dropTriggers + "UPDATE entries SET leaf = x'\(hex)' WHERE seq = 5;")
        try expectCaught(cli, index: 5, check: "authority")
    }

    @Test func rollbackWithStolenRegisterKeyIsCaughtOnlyWithKeptCheckpoint() throws {
        let cli = try register()
        defer { cli.cleanUp() }
        let kept = cli.directory.appendingPathComponent("kept-checkpoint.txt")
        try cli.ok(["checkpoint"]).write(to: kept, atomically: true, encoding: .utf8)

        // The attacker truncates to 6 entries and re-signs the tree with the stolen key.
        let leaves = try cli.ok(["log", "--json"]).split(separator: "\n").map { RFC6962.leafHash(Array($0.utf8)) }
        let keyText = try String(contentsOfFile: cli.keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let stolen = try NoteSignerKey(parsing: keyText)
        let root = MerkleTree(leafHashes: Array(leaves.prefix(6))).root(size: 6)
        let note = try SignedNote.sign(text: Checkpoint(origin: stolen.name, size: 6, root: root).text, with: [stolen])
        try cli.sql(Self.dropTriggers + """
            DELETE FROM entries WHERE seq >= 6;
            DELETE FROM tree_nodes WHERE ((idx + 1) << level) > 6;
            DELETE FROM checkpoints WHERE size > 6;
            INSERT OR REPLACE INTO checkpoints (size, note) VALUES (6, '\(note.description)');
            """)

        // Without the kept checkpoint the truncated register is self-consistent…
        let alone = try cli.run(["verify"])
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(alone.stdout.contains("6 entries verified"))
        // …with it, the rollback is caught.
        let result = try cli.run(["verify", "--checkpoint", kept.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("rollback"))
        #expect(result.stderr.contains("entry 6"))
    }

    @Test func forkWithStolenRegisterKeyIsCaughtOnlyWithKeptCheckpoint() throws {
        let cli = try register()
        defer { cli.cleanUp() }
        let kept = cli.directory.appendingPathComponent("kept.txt")
        try cli.ok(["checkpoint"]).write(to: kept, atomically: true, encoding: .utf8)

        // The attacker keeps entries 0-5, then writes a different history past the kept
        // size 16: eleven key rotations, each signed with the previous (stolen) key.
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
        var sql = Self.dropTriggers + "DROP TRIGGER tree_nodes_no_update; DELETE FROM entries WHERE seq >= 6; DELETE FROM tree_nodes WHERE ((idx + 1) << level) > 6; DELETE FROM checkpoints WHERE size > 6;"
        for entry in entries.dropFirst(6) {
            let hex = entry.leafData.map { String(format: "%02x", $0) }.joined()
            sql += "INSERT INTO entries (seq, kind, leaf) VALUES (\(entry.seq), '\(entry.kind)', x'\(hex)');"
        }
        for level in 1..<5 {  // leaf hashes (level 0) come from the entries themselves
            for index in 0..<(17 >> level) where ((index + 1) << level) > 6 {
                let hex = tree.nodeHash(NodeID(level: level, index: UInt64(index))).hex
                sql += "INSERT OR REPLACE INTO tree_nodes (level, idx, hash) VALUES (\(level), \(index), x'\(hex)');"
            }
        }
        let note = try SignedNote.sign(text: Checkpoint(origin: stolen.name, size: 17, root: tree.root(size: 17)).text, with: [stolen])
        sql += "INSERT INTO checkpoints (size, note) VALUES (17, '\(note.description)');"
        try cli.sql(sql)

        let alone = try cli.run(["verify"])
        #expect(alone.status == 0, "\(alone.stderr)")
        let result = try cli.run(["verify", "--checkpoint", kept.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("fork"), "\(result.stderr)")
    }
}

/// The projections are caches: `verify --replay` catches one that disagrees with the log,
/// and `ripa rebuild` restores it from the log.
@Suite struct ProjectionTamperTests {
    @Test func tamperedProjectionIsCaughtByReplayAndRebuilt() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        try cli.enrol("ivan", roles: "investigator")
        // Someone with the file quietly gives ivan the authorising officer's role.
        try cli.sql("UPDATE users SET roles = 'investigator,monitoring-officer' WHERE user_id = 'ivan';")
        #expect(try cli.run(["verify"]).status == 0)
        let replay = try cli.run(["verify", "--replay"])
        #expect(replay.status == 1)
        #expect(replay.stderr.contains("user ivan"), "\(replay.stderr)")
        let refused = try cli.run(["rebuild"], as: "ivan")
        #expect(refused.status != 0 && refused.stderr.contains("administrator"))
        try cli.ok(["rebuild"], as: "admin")
        #expect(try cli.ok(["verify", "--replay"]).contains("OK"))
        #expect(try cli.ok(["user", "show", "ivan", "--json"]).contains("\"roles\":[\"investigator\"]"))
    }
}
