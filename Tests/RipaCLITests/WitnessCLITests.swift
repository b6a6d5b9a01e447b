import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Ledger
import Testing

/// Witness cosigning end to end: real `ripa witness serve` processes on loopback, a register
/// syncing its checkpoints to them, `verify` checking the cosignatures, and proof files.
@Suite("Witness cosigning (CLI)", .serialized)
struct WitnessCLITests {
    /// A `ripa witness serve` process on a loopback port.
    final class RunningWitness {
        let name: String
        let key: String
        let state: String
        let config: String
        let port: Int
        let vkey: String
        var process: Process?

        init(_ cli: CLI, name: String) throws {
            self.name = name
            key = cli.directory.appendingPathComponent("\(name).key").path
            state = cli.directory.appendingPathComponent("\(name)-state.db").path
            config = cli.directory.appendingPathComponent("\(name).conf").path
            port = try WitnessCLITests.freePort()
            let made = try cli.run(["witness", "init", "--key", key, "--name", "\(name).example/witness"], withDB: false)
            #expect(made.ok, "\(made.stderr)")
            vkey = try #require(made.stdout.split(separator: "\n").last.map(String.init))
            let registerKey = try #require(try JSONValue(parsing: try cli.ok(["info", "--json"]))["verifier_key"]?.stringValue)
            try "# the register this witness witnesses\nlog \(registerKey)\n".write(toFile: config, atomically: true, encoding: .utf8)
        }

        var url: String { "http://127.0.0.1:\(port)" }

        func start() throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["witness", "serve", "--key", key, "--config", config, "--state", state, "--listen", "127.0.0.1:\(port)"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            self.process = process
            try WitnessCLITests.waitForPort(port)
        }

        func stop() {
            guard let process, process.isRunning else { return }
            process.terminate()
            process.waitUntilExit()
            self.process = nil
        }

        deinit { stop() }
    }

    static func freePort() throws -> Int {
        let out = try python("import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
        return try #require(Int(out.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    static func waitForPort(_ port: Int) throws {
        _ = try python("""
            import socket, time
            for _ in range(200):
                try:
                    socket.create_connection(('127.0.0.1', \(port)), 0.2).close(); break
                except OSError: time.sleep(0.05)
            else: raise SystemExit('witness did not start')
            """)
    }

    /// A Python bytes literal of `text`'s UTF-8.
    static func pythonBytes(_ text: String) -> String {
        "bytes([" + text.utf8.map(String.init).joined(separator: ",") + "])"
    }

    @discardableResult
    static func python(_ code: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", code]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CLI.CLIError(message: "python failed") }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes and adopts a policy naming the register's key and `witnesses`, with `quorum`.
    static func adopt(_ cli: CLI, _ witnesses: [RunningWitness], quorum: String) throws -> String {
        let registerKey = try #require(try JSONValue(parsing: try cli.ok(["info", "--json"]))["verifier_key"]?.stringValue)
        var text = "log \(registerKey)\n"
        for w in witnesses { text += "witness \(w.name) \(w.vkey) \(w.url)\n" }
        text += quorum + "\n"
        let path = cli.directory.appendingPathComponent("witnesses.policy").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try cli.ok(["witness", "policy", "--file", path], as: "admin")
        return path
    }

    static func verify(_ cli: CLI, _ extra: [String] = []) throws -> (CLI.Result, JSONValue?) {
        let result = try cli.run(["verify", "--json"] + extra)
        return (result, try? JSONValue(parsing: result.stdout))
    }

    @Test("one witness, quorum of one: sync cosigns, checkpoint prints the line, verify counts it; growth is re-synced; a lost row is recovered through 409")
    func quorumOfOne() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        // A register made before witnessing: no cosignatures table. It must still open and verify.
        try cli.sql("DROP TABLE cosignatures;")
        #expect(try cli.run(["verify"]).ok)
        let w1 = try RunningWitness(cli, name: "w1")
        try w1.start()
        defer { w1.stop() }
        _ = try Self.adopt(cli, [w1], quorum: "quorum w1")
        let (before, _) = try Self.verify(cli)
        #expect(before.ok)
        #expect(before.stdout.contains("\"quorum_met\":false"))
        #expect(try cli.run(["verify", "--require-quorum"]).status == 1)

        let synced = try cli.run(["witness", "sync"])
        #expect(synced.ok, "\(synced.stdout)\(synced.stderr)")
        #expect(synced.stdout.contains("cosigned: w1 cosigned size"))
        let note = try cli.ok(["checkpoint"])
        let signed = try SignedNote(parsing: note)
        #expect(signed.signatures.count == 2, "the register's line and w1's")
        let key = try CosignatureVerifierKey(parsing: w1.vkey)
        #expect(try Cosignature(signed.signatures[1]).verifies(checkpointText: signed.text, key: key))
        let (after, json) = try Self.verify(cli, ["--require-quorum"])
        #expect(after.ok, "\(after.stderr)")
        #expect(json?["witnessing"]?["latest_cosigners"]?.arrayValue?.count == 1)
        #expect(try cli.ok(["verify"]).contains("witnessed: the latest checkpoint"))

        // The register grows: the latest is short until the next sync, which goes from the cosigned size.
        try cli.enrol("ivan", roles: "investigator")
        #expect(try cli.ok(["verify"]).contains("WARNING: the latest checkpoint"))
        #expect(try cli.run(["witness", "sync"]).ok)
        #expect(try cli.run(["verify", "--require-quorum"]).ok)

        // The register loses its rows (a restore from an old backup): it asks from 0, the
        // witness answers 409 with its size, and the register resends with a proof from there.
        try cli.sql("DELETE FROM cosignatures;")
        try cli.enrol("mo", roles: "investigator")
        let recovered = try cli.run(["witness", "sync", "--json"])
        #expect(recovered.ok, "\(recovered.stdout)\(recovered.stderr)")
        #expect(try cli.run(["verify", "--require-quorum"]).ok)
    }

    @Test("two witnesses, quorum of two: one down leaves the quorum short (sync exits 1, verify reports it); once it is up, met")
    func quorumOfTwo() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let w1 = try RunningWitness(cli, name: "w1")
        let w2 = try RunningWitness(cli, name: "w2")
        try w1.start()
        defer { w1.stop(); w2.stop() }
        _ = try Self.adopt(cli, [w1, w2], quorum: "group both all w1 w2\nquorum both")
        let down = try cli.run(["witness", "sync", "--timeout", "2"])
        #expect(down.status == 1)
        #expect(down.stdout.contains("cosigned: w1"))
        #expect(down.stdout.contains("unreachable: w2 at \(w2.url)"))
        #expect(down.stdout.contains("NOT witnessed"))
        let (report, json) = try Self.verify(cli)
        #expect(report.ok)
        #expect(json?["witnessing"]?["quorum_met"]?.boolValue == false)
        #expect(try cli.run(["verify", "--require-quorum"]).status == 1)
        try w2.start()
        let up = try cli.run(["witness", "sync"])
        #expect(up.ok, "\(up.stdout)")
        #expect(up.stdout.contains("already-cosigned: w1"))
        #expect(up.stdout.contains("cosigned: w2"))
        #expect(try cli.run(["verify", "--require-quorum"]).ok)
        #expect(try SignedNote(parsing: try cli.ok(["checkpoint"])).signatures.count == 3)
    }

    @Test("a slow witness (accepts, never answers) is reported within the timeout; the others are still asked")
    func slowWitness() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let w1 = try RunningWitness(cli, name: "w1")
        try w1.start()
        defer { w1.stop() }
        // A listener that never answers.
        let slowPort = try Self.freePort()
        let silent = Process()
        silent.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // It ends by itself after 20 s, and writes nowhere: `python3` may be a shim whose child
        // outlives `terminate()`, and must not hold the test runner's output open.
        silent.arguments = ["python3", "-c", "import socket,time\ns=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1',\(slowPort))); s.listen(8); s.settimeout(20)\ntry:\n c=[s.accept() for _ in range(2)]; time.sleep(15)\nexcept Exception: pass"]
        silent.standardOutput = FileHandle.nullDevice
        silent.standardError = FileHandle.nullDevice
        silent.standardInput = FileHandle.nullDevice
        try silent.run()
        defer { silent.terminate() }
        try Self.waitForPort(slowPort)
        let slow = try RunningWitness(cli, name: "slow")
        let slowVKey = slow.vkey
        let registerKey = try #require(try JSONValue(parsing: try cli.ok(["info", "--json"]))["verifier_key"]?.stringValue)
        let path = cli.directory.appendingPathComponent("p.policy").path
        try "log \(registerKey)\nwitness w1 \(w1.vkey) \(w1.url)\nwitness slow \(slowVKey) http://127.0.0.1:\(slowPort)\ngroup any1 any w1 slow\nquorum any1\n".write(toFile: path, atomically: true, encoding: .utf8)
        try cli.ok(["witness", "policy", "--file", path], as: "admin")
        let started = Date()
        let result = try cli.run(["witness", "sync", "--timeout", "1"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.ok, "the quorum is any one: \(result.stdout)")
        #expect(result.stdout.contains("unreachable: slow at http://127.0.0.1:\(slowPort) did not answer within 1 s"))
        #expect(elapsed < 8, "took \(elapsed) s")
    }

    @Test("the witness's HTTP answers: 400 for garbage, 404 for another log, 409 with text/x.tlog.size")
    func httpStatuses() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let w1 = try RunningWitness(cli, name: "w1")
        try w1.start()
        defer { w1.stop() }
        func post(_ body: String) throws -> (Int, String, String?) {
            let out = try Self.python("""
                import json, sys, urllib.request, urllib.error
                r = urllib.request.Request('\(w1.url)/add-checkpoint', data=sys.stdin.buffer.read() if False else \(Self.pythonBytes(body)), method='POST')
                try:
                    a = urllib.request.urlopen(r, timeout=10); s, t, b = a.status, a.headers.get('Content-Type'), a.read()
                except urllib.error.HTTPError as e:
                    s, t, b = e.code, e.headers.get('Content-Type'), e.read()
                print(json.dumps({'s': s, 't': t, 'b': b.decode()}))
                """)
            let json = try JSONValue(parsing: Array(out.trimmingCharacters(in: .whitespacesAndNewlines).utf8))
            return (Int(try #require(json["s"]?.integerValue)), try #require(json["b"]?.stringValue), json["t"]?.stringValue)
        }
        #expect(try post("nonsense").0 == 400)
        let other = try NoteSignerKey(name: "other.example/log", signingKey: SigningKey())
        let foreign = try SignedNote.sign(text: Checkpoint(origin: other.name, size: 0, root: RFC6962.emptyRoot).text, with: [other])
        #expect(try post("old 0\n\n\(foreign)").0 == 404)
        let note = try cli.ok(["checkpoint"])
        #expect(try post("old 0\n\n\(note)").0 == 200)
        let (status, body, type) = try post("old 0\n\n\(note)")
        #expect(status == 409)
        let size = try Checkpoint(parsing: SignedNote(parsing: note).text).size
        #expect(body == "\(size)\n")
        #expect(type == "text/x.tlog.size")
        // Same size, same root, old size right: 200 again (the proof between equal sizes is empty).
        #expect(try post("old \(size)\n\n\(note)").0 == 200)
    }

    @Test("rollback and fork with the stolen register key: the witness refuses, verify catches the kept cosignatures")
    func rollbackAndFork() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let w1 = try RunningWitness(cli, name: "w1")
        try w1.start()
        defer { w1.stop() }
        _ = try Self.adopt(cli, [w1], quorum: "quorum w1")
        try cli.enrol("ivan", roles: "investigator")
        let small = try #require(try JSONValue(parsing: try cli.ok(["info", "--json"]))["size"]?.integerValue)
        try cli.enrol("mo", roles: "investigator")
        try cli.enrol("nia", roles: "investigator")
        #expect(try cli.run(["witness", "sync"]).ok)
        let cosigned = try #require(try JSONValue(parsing: try cli.ok(["info", "--json"]))["size"]?.integerValue)

        // The attacker holds the database and the register key: cut the tail back to `small`.
        try cli.sql("""
            DROP TRIGGER entries_no_delete; DROP TRIGGER checkpoints_no_delete; DROP TRIGGER tree_nodes_no_delete;
            DELETE FROM entries WHERE seq >= \(small); DELETE FROM checkpoints WHERE size > \(small);
            DELETE FROM tree_nodes WHERE (idx + 1) * (1 << level) > \(small);
            """)
        let (rolledBack, _) = try Self.verify(cli)
        #expect(!rolledBack.ok)
        #expect(rolledBack.stderr.contains("rollback: witness w1 cosigned a checkpoint of \(cosigned) entries, but the register holds only \(small)"), "\(rolledBack.stderr)")
        // Projections still name the cut users: rebuild them as the attacker would, then write a new tail.
        try cli.ok(["rebuild"], as: "admin")
        for id in ["zed", "yan", "xia", "wes"] { try cli.enrol(id, roles: "investigator") }
        let forkSize = try #require(try JSONValue(parsing: try cli.ok(["info", "--json"]))["size"]?.integerValue)
        #expect(forkSize > cosigned)
        // The register still holds w1's cosignature of the old tree at `cosigned`: a fork.
        let (forked, _) = try Self.verify(cli)
        #expect(!forked.ok)
        #expect(forked.stderr.contains("fork: the cosignature of size \(cosigned) by witness w1"), "\(forked.stderr)")
        // And the witness refuses the new tail: from its size (named by 409), the proof fails (422).
        try cli.sql("DELETE FROM cosignatures;")
        let refused = try cli.run(["witness", "sync"])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("refused: w1 refused size \(forkSize) from \(cosigned) with HTTP 422"), "\(refused.stdout)")
        // With the rows gone too, verify still reports that nothing is witnessed.
        #expect(try cli.ok(["verify"]).contains("WARNING"))
        #expect(try cli.run(["verify", "--require-quorum"]).status == 1)
    }

    @Test("an entry dated after the cosignature of a checkpoint that includes it is reported")
    func cosignedTimeBound() throws {
        // The register's clock runs a year ahead of the witness's (the real clock).
        var cli = try CLI.withRegister(clock: "2027-12-01T10:00:00Z")
        defer { cli.cleanUp() }
        let w1 = try RunningWitness(cli, name: "w1")
        try w1.start()
        defer { w1.stop() }
        _ = try Self.adopt(cli, [w1], quorum: "quorum w1")
        #expect(try cli.run(["witness", "sync"]).ok)
        let (result, _) = try Self.verify(cli)
        #expect(!result.ok)
        #expect(result.stderr.contains("cosigned-time"), "\(result.stderr)")
        #expect(result.stderr.contains("after witness w1 cosigned at"))
    }

    @Test("a proof file verifies offline against the entry; a change to any one of its lines is caught")
    func proofFile() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let w1 = try RunningWitness(cli, name: "w1")
        try w1.start()
        defer { w1.stop() }
        let policy = try Self.adopt(cli, [w1], quorum: "quorum w1")
        try cli.enrol("ivan", roles: "investigator")
        #expect(try cli.run(["witness", "sync"]).ok)
        let registerKey = try #require(try JSONValue(parsing: try cli.ok(["info", "--json"]))["verifier_key"]?.stringValue)
        let proofPath = cli.directory.appendingPathComponent("entry3.tlog-proof").path
        let written = try cli.run(["proof", "entry", "3", "--out", proofPath])
        #expect(written.ok && written.stdout.contains("cosigned by w1"), "\(written.stdout)\(written.stderr)")
        #expect(try cli.run(["proof", "entry", "3", "--out", proofPath]).status == 1, "never overwrites")
        let entryPath = cli.directory.appendingPathComponent("entry3.json").path
        let entryLine = try #require(try cli.ok(["log", "--json", "--from", "3"]).split(separator: "\n").first)
        try (entryLine + "\n").write(toFile: entryPath, atomically: true, encoding: .utf8)
        let otherPath = cli.directory.appendingPathComponent("entry4.json").path
        try String(try cli.ok(["log", "--json", "--from", "4"]).split(separator: "\n")[0]).write(toFile: otherPath, atomically: true, encoding: .utf8)

        // Offline: the database is not needed.
        let offline = ["verify-proof", proofPath, "--key", registerKey, "--policy", policy, "--entry", entryPath]
        let good = try cli.run(offline, withDB: false)
        #expect(good.ok, "\(good.stderr)")
        #expect(good.stdout.contains("PROVED: entry 3"))
        #expect(good.stdout.contains("WITNESSED: cosigned by w1"))
        let noEntry = try cli.run(["verify-proof", proofPath, "--key", registerKey], withDB: false)
        #expect(noEntry.ok)
        #expect(noEntry.stdout.contains("NOT PROVED: which entry"))
        #expect(noEntry.stdout.contains("NOT CHECKED"))
        #expect(try cli.run(["verify-proof", proofPath, "--key", registerKey, "--policy", policy, "--entry", otherPath], withDB: false).status == 1)

        // Each line changed in turn.
        let original = try String(contentsOfFile: proofPath, encoding: .utf8)
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count >= 9)
        for (i, line) in lines.enumerated() where i < lines.count - 1 {
            var changed = lines
            changed[i] = Self.tamper(line)
            let path = cli.directory.appendingPathComponent("tampered-\(i).tlog-proof").path
            try changed.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let result = try cli.run(["verify-proof", path, "--key", registerKey, "--policy", policy, "--entry", entryPath], withDB: false)
            #expect(result.status == 1, "line \(i) (\(line)) changed to \(changed[i]) was not caught: \(result.stdout)")
            #expect(result.stderr.hasPrefix("Error: "))
        }
    }

    /// One small change to a line that keeps it plausible: a digit bumped, a base64 character
    /// swapped, a blank line filled.
    static func tamper(_ line: String) -> String {
        if line.isEmpty { return "x" }
        var chars = Array(line)
        // Change a character near the end (before base64 padding), so signatures and hashes change.
        var i = chars.count - 1
        while i > 0 && (chars[i] == "=" ) { i -= 1 }
        if chars[i] == "4" { chars[i] = "5" } else if chars[i].isNumber { chars[i] = chars[i] == "9" ? "8" : "9" } else { chars[i] = chars[i] == "A" ? "B" : "A" }
        return String(chars)
    }
}
