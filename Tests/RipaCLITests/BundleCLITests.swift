import Foundation
import Ledger
import Testing

/// Export bundles end to end (issue 12 §2, §6): the inspector takes the evidence away and
/// checks it with no database; every way of altering it is caught, and the place named.
@Suite("Export bundles (CLI)")
struct BundleCLITests {
    /// A populated register (a subject named, granted, approved, two looks) and a folder
    /// outside it for the bundles, as the inspector's machine.
    static func exported(_ extra: [String] = []) throws -> (gate: GateRegister, away: URL, bundle: String) {
        let gate = try PersonalDataAtRestTests.populated()
        let away = try Self.awayFolder()
        let bundle = away.appendingPathComponent("evidence.tar").path
        try gate.cli.ok(["export", "bundle", "--out", bundle] + extra)
        return (gate, away, bundle)
    }

    /// A folder outside the register, as the inspector's machine.
    static func awayFolder() throws -> URL {
        let away = FileManager.default.temporaryDirectory.appendingPathComponent("ripa-bundle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: away, withIntermediateDirectories: true)
        return away
    }

    /// `ripa ARGS` with no database at all (the inspector's machine).
    static func offline(_ cli: CLI, _ arguments: [String]) throws -> CLI.Result {
        try cli.run(arguments, withDB: false)
    }

    /// Deletes the register: its database, WAL and SHM, and the key files beside it.
    static func deleteRegister(_ cli: CLI) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: cli.directory.path) where name.hasPrefix("register.") {
            try FileManager.default.removeItem(at: cli.directory.appendingPathComponent(name))
        }
        #expect(try cli.run(["status"]).status != 0, "the register is gone")
    }

    /// The bundle's files, by name.
    static func files(_ path: String) throws -> [(name: String, content: [UInt8])] {
        try TarArchive.read(Array(try Data(contentsOf: URL(fileURLWithPath: path))), memberLimit: 1 << 30).map { ($0.name, $0.content) }
    }

    /// Rewrites a bundle: `change` edits its files (not the manifest); with `fixManifest`, the
    /// manifest's hashes are recomputed, as a forger would, so only the entries can tell.
    static func rewrite(_ path: String, to out: String, fixManifest: Bool, _ change: (inout [(name: String, content: [UInt8])]) throws -> Void) throws {
        var files = try Self.files(path)
        let manifestIndex = try #require(files.firstIndex { $0.name == "manifest.json" })
        var manifest = files.remove(at: manifestIndex)
        try change(&files)
        if fixManifest {
            var json = try JSONValue(parsing: manifest.content)
            let listed: [JSONValue] = files.map { file in
                .object(["path": .string(file.name), "sha256": .string(Hash.sha256(file.content).hex), "bytes": .integer(Int64(file.content.count))])
            }
            json = Self.replacing(json, "files", with: .array(listed))
            manifest.content = json.canonicalBytes
        }
        let archive = try TarArchive.write([TarArchive.Member(name: manifest.name, content: manifest.content)] + files.map { TarArchive.Member(name: $0.name, content: $0.content) }, modified: 0)
        try Data(archive).write(to: URL(fileURLWithPath: out))
    }

    /// `object` with its member `key` replaced.
    static func replacing(_ object: JSONValue, _ key: String, with value: JSONValue) -> JSONValue {
        guard case .object(var members) = object else { return object }
        members[key] = value
        return .object(members)
    }

    /// A file of the bundle.
    static func file(_ path: String, _ name: String) throws -> [UInt8] {
        guard let found = try files(path).first(where: { $0.name == name }) else {
            Issue.record("\(name) is not in \(path)")
            return []
        }
        return found.content
    }

    static func lines(_ content: [UInt8]) -> [[UInt8]] {
        content.split(separator: UInt8(ascii: "\n")).map(Array.init)
    }

    static func joined(_ lines: [[UInt8]]) -> [UInt8] {
        lines.flatMap { $0 + [UInt8(ascii: "\n")] }
    }

    @Test("a bundle verifies offline with --replay after the database, its keys and its WAL are deleted; it holds no personal data in the clear; Python's tarfile reads it and its manifest's hashes hold")
    func verifiesOfflineAfterTheDatabaseIsGone() throws {
        let (gate, away, bundle) = try Self.exported()
        defer { gate.cleanUp(); try? FileManager.default.removeItem(at: away) }
        try Self.deleteRegister(gate.cli)
        let verified = try Self.offline(gate.cli, ["verify", "--bundle", bundle, "--replay"])
        #expect(verified.ok, "\(verified.stderr)")
        #expect(verified.stdout.contains("decisions replayed"), "\(verified.stdout)")
        #expect(verified.stdout.contains("TEST REGISTER"), "a test register's bundle says so")

        let bytes = try Data(contentsOf: URL(fileURLWithPath: bundle))
        for secret in [PersonalDataAtRestTests.name, PersonalDataAtRestTests.homeAddress, "zebedee.quartermain", "1981-04-02"] {
            #expect(!PersonalDataAtRestTests.contains(bytes, secret), "\(secret) is readable in the bundle")
        }
        // A tool nobody here wrote: Python's tarfile lists it, and the manifest's hashes are the files'.
        let check = """
            import hashlib, json, sys, tarfile
            t = tarfile.open(sys.argv[1])
            m = json.load(t.extractfile("manifest.json"))
            names = [i.name for i in t.getmembers() if i.name != "manifest.json"]
            assert names == [f["path"] for f in m["files"]], names
            for f in m["files"]:
                data = t.extractfile(f["path"]).read()
                assert hashlib.sha256(data).hexdigest() == f["sha256"] and len(data) == f["bytes"], f["path"]
            print(m["format"], m["size"], len(names))
            """
        let script = away.appendingPathComponent("check.py")
        try check.write(to: script, atomically: true, encoding: .utf8)
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", script.path, bundle]
        let out = Pipe()
        python.standardOutput = out
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).hasPrefix("ripa-register/bundle/v1"))

        // The central record it carries reads on the inspector's machine, personal fields sealed.
        let record = try Self.offline(gate.cli, ["record", "central", "--bundle", bundle, "--format", "csv"])
        #expect(record.ok, "\(record.stderr)")
        #expect(record.stdout.contains("DS-2026-0001") && record.stdout.contains("[personal data sealed]"), "\(record.stdout)")
    }

    @Test("one byte changed in an entry, one entry dropped, one checkpoint swapped, a derived file edited, a file added: each caught, the place named")
    func tamperingIsNamed() throws {
        let (gate, away, bundle) = try Self.exported()
        defer { gate.cleanUp(); try? FileManager.default.removeItem(at: away) }
        let bad = away.appendingPathComponent("bad.tar").path
        func failure(_ arguments: [String] = []) throws -> String {
            let result = try Self.offline(gate.cli, ["verify", "--bundle", bad] + arguments)
            #expect(result.status == 1)
            return result.stderr
        }

        // One byte of entry 5 (the manifest recomputed by the forger): the entry is named.
        try Self.rewrite(bundle, to: bad, fixManifest: true) { files in
            let i = files.firstIndex { $0.name == "entries.jsonl" }!
            var lines = Self.lines(files[i].content)
            let at = lines[5].firstIndex(of: UInt8(ascii: "k"))!
            lines[5][at] = UInt8(ascii: "K")
            files[i].content = Self.joined(lines)
        }
        #expect(try failure().contains("entry 5:"))
        // The same byte with the manifest left alone: the entry is still what is named first.
        try Self.rewrite(bundle, to: bad, fixManifest: false) { files in
            let i = files.firstIndex { $0.name == "entries.jsonl" }!
            var lines = Self.lines(files[i].content)
            lines[5][lines[5].firstIndex(of: UInt8(ascii: "k"))!] = UInt8(ascii: "K")
            files[i].content = Self.joined(lines)
        }
        #expect(try failure().contains("entry 5:"))

        // Entry 7 dropped (and the manifest's count left as made): named as missing at 7.
        try Self.rewrite(bundle, to: bad, fixManifest: true) { files in
            let i = files.firstIndex { $0.name == "entries.jsonl" }!
            var lines = Self.lines(files[i].content)
            lines.remove(at: 7)
            files[i].content = Self.joined(lines)
        }
        let dropped = try failure()
        #expect(dropped.contains("entry 7:"), "\(dropped)")

        // Two checkpoints' notes swapped between their lines: the size is named.
        try Self.rewrite(bundle, to: bad, fixManifest: true) { files in
            let i = files.firstIndex { $0.name == "checkpoints.jsonl" }!
            var records = try Self.lines(files[i].content).map { try JSONValue(parsing: $0) }
            let (a, b) = (records.count - 3, records.count - 2)
            let (noteA, noteB) = (records[a]["note"]!, records[b]["note"]!)
            records[a] = Self.replacing(records[a], "note", with: noteB)
            records[b] = Self.replacing(records[b], "note", with: noteA)
            files[i].content = Self.joined(records.map(\.canonicalBytes))
        }
        let swapped = try failure()
        #expect(swapped.contains("the checkpoint of size") && swapped.contains("swapped"), "\(swapped)")

        // The central record edited (a cancellation date moved), manifest recomputed: it is not what the entries make.
        try Self.rewrite(bundle, to: bad, fixManifest: true) { files in
            let i = files.firstIndex { $0.name == "central-record.csv" }!
            files[i].content = Array(String(decoding: files[i].content, as: UTF8.self).replacingOccurrences(of: "Operation Heron", with: "Operation Egret").utf8)
        }
        let edited = try failure()
        #expect(edited.contains("central-record.csv is not what the entries make"), "\(edited)")

        // README altered, manifest left alone: the file is named against its hash.
        try Self.rewrite(bundle, to: bad, fixManifest: false) { files in
            let i = files.firstIndex { $0.name == "README.txt" }!
            files[i].content += Array("Nothing to see here.\n".utf8)
        }
        #expect(try failure().contains("README.txt does not match its SHA-256 in the manifest"))

        // A file slipped in that the manifest does not list.
        try Self.rewrite(bundle, to: bad, fixManifest: false) { files in
            files.append(("documents/extra", Array("planted".utf8)))
        }
        #expect(try failure().contains("documents/extra is in the bundle but not in its manifest"))

        // The manifest says a test register is a real one (its hashes untouched): the genesis entry decides.
        var files = try Self.files(bundle)
        let m = files.firstIndex { $0.name == "manifest.json" }!
        files[m].content = Self.replacing(try JSONValue(parsing: files[m].content), "test_register", with: .bool(false)).canonicalBytes
        try Data(try TarArchive.write(files.map { TarArchive.Member(name: $0.name, content: $0.content) }, modified: 0)).write(to: URL(fileURLWithPath: bad))
        #expect(try failure().contains("but its genesis entry says otherwise"))

        // Not a tar file at all: one clear line.
        try Data("not a bundle".utf8).write(to: URL(fileURLWithPath: bad))
        #expect(try failure().contains("bad.tar is not a readable bundle"))

        // A trusted key the register never used.
        let stranger = try NoteSignerKey(name: "ripa.test-council.gov.uk/register", signingKey: SigningKey()).verifierKey.description
        let untrusted = try Self.offline(gate.cli, ["verify", "--bundle", bundle, "--key", stranger])
        #expect(untrusted.status == 1 && untrusted.stderr.contains("never signed by the trusted key"), "\(untrusted.stderr)")
    }

    @Test("--for seals the data keys to the inspector: with their key they read the subject and replay every decision; without it, or with another inspector's, nobody does")
    func theInspectorReadsWhatTheRegisterHolds() throws {
        let gate = try PersonalDataAtRestTests.populated()
        let away = try Self.awayFolder()
        defer { gate.cleanUp(); try? FileManager.default.removeItem(at: away) }
        let keyFile = away.appendingPathComponent("inspector.key").path
        let made = try Self.offline(gate.cli, ["inspector-key", "new", "--out", keyFile])
        #expect(made.ok, "\(made.stderr)")
        let publicKey = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(publicKey.hasPrefix("ripa-inspector-v1+"))
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try Self.offline(gate.cli, ["inspector-key", "new", "--out", keyFile]).status == 1, "a key file is never replaced")

        let bundle = away.appendingPathComponent("for-inspector.tar").path
        // Without an administrator to record the disclosure, refused; an investigator may not.
        let unrecorded = try gate.cli.run(["export", "bundle", "--out", bundle, "--for", publicKey])
        #expect(unrecorded.status == 1 && unrecorded.stderr.contains("give --as ADMIN and --purpose"), "\(unrecorded.stderr)")
        let byInvestigator = try gate.cli.run(["export", "bundle", "--out", bundle, "--for", publicKey, "--purpose", "curiosity"], as: "ivan")
        #expect(byInvestigator.status != 0 && byInvestigator.stderr.contains("administrator"), "\(byInvestigator.stderr)")
        #expect(!FileManager.default.fileExists(atPath: bundle))
        let exported = try gate.cli.run(["export", "bundle", "--out", bundle, "--for", publicKey, "--purpose", "IPCO inspection, March 2027"], as: "admin")
        #expect(exported.ok && exported.stdout.contains("sealed to \(publicKey)"), "\(exported.stdout)\(exported.stderr)")
        // The disclosure is an entry, and the bundle holds it.
        let disclosure = try #require(Self.lines(try Self.file(bundle, "entries.jsonl")).map { try Entry(leafData: $0) }.last)
        #expect(disclosure.kind == "data-keys.disclosed")
        #expect(disclosure.body["recipient"]?.stringValue == publicKey)
        #expect(disclosure.body["purpose"]?.stringValue == "IPCO inspection, March 2027")
        #expect(disclosure.body["cases"]?.arrayValue?.contains(.string("DS-2026-0001")) == true)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: bundle))
        #expect(!PersonalDataAtRestTests.contains(bytes, PersonalDataAtRestTests.name), "the bundle itself stays sealed")
        // The manifest has exactly the members its published schema names, and every required one.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let schema = try JSONValue(parsing: Array(try Data(contentsOf: root.appendingPathComponent("Schemas/bundle-manifest.schema.json"))))
        let manifest = try JSONValue(parsing: try Self.file(bundle, "manifest.json"))
        let members = Set(manifest.objectValue?.keys.map { $0 } ?? [])
        #expect(members == Set(schema["properties"]?.objectValue?.keys.map { $0 } ?? []))
        let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        #expect(required.isSubset(of: members) && !required.isEmpty)
        #expect(manifest["recipient"]?.stringValue == publicKey)
        try Self.deleteRegister(gate.cli)

        let opened = try Self.offline(gate.cli, ["log", "--bundle", bundle, "--inspector-key", keyFile, "--json", "--opened"])
        #expect(opened.ok, "\(opened.stderr)")
        #expect(opened.stdout.contains(PersonalDataAtRestTests.name) && opened.stdout.contains("zebedee.quartermain"))
        let withKey = try Self.offline(gate.cli, ["verify", "--bundle", bundle, "--inspector-key", keyFile, "--replay", "--json"])
        let withoutKey = try Self.offline(gate.cli, ["verify", "--bundle", bundle, "--replay", "--json"])
        #expect(withKey.ok && withoutKey.ok, "\(withKey.stderr)\(withoutKey.stderr)")
        let replayedWith = try JSONValue(parsing: Array(withKey.stdout.utf8))["replayed_decisions"]?.integerValue ?? 0
        let replayedWithout = try JSONValue(parsing: Array(withoutKey.stdout.utf8))["replayed_decisions"]?.integerValue ?? 0
        #expect(replayedWith > replayedWithout, "the keys let the inspector re-run the decisions that need the subjects (\(replayedWith) vs \(replayedWithout))")
        let record = try Self.offline(gate.cli, ["record", "central", "--bundle", bundle, "--inspector-key", keyFile])
        #expect(record.stdout.contains(PersonalDataAtRestTests.name), "\(record.stdout)\(record.stderr)")
        let sealedRecord = try Self.offline(gate.cli, ["record", "central", "--bundle", bundle])
        #expect(!sealedRecord.stdout.contains(PersonalDataAtRestTests.name))

        // Another inspector's key opens nothing.
        let otherKey = away.appendingPathComponent("other.key").path
        #expect(try Self.offline(gate.cli, ["inspector-key", "new", "--out", otherKey]).ok)
        let other = try Self.offline(gate.cli, ["log", "--bundle", bundle, "--inspector-key", otherKey, "--json", "--opened"])
        #expect(other.status == 1 && other.stderr.contains("made for another inspector"), "\(other.stderr)")
    }

    @Test("--case hands over only the cases chosen; a case the register does not hold is refused")
    func chosenCases() throws {
        let gate = try PersonalDataAtRestTests.populated()
        let away = try Self.awayFolder()
        defer { gate.cleanUp(); try? FileManager.default.removeItem(at: away) }
        let keyFile = away.appendingPathComponent("inspector.key").path
        let publicKey = try Self.offline(gate.cli, ["inspector-key", "new", "--out", keyFile]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let bundle = away.appendingPathComponent("one-case.tar").path
        let json = try JSONValue(parsing: try gate.cli.ok(["export", "bundle", "--out", bundle, "--for", publicKey, "--case", "DS-2026-0001", "--purpose", "IPCO inspection", "--json"], as: "admin"))
        #expect(json["cases"] == .array([.string("DS-2026-0001")]))
        let opened = try Self.offline(gate.cli, ["record", "central", "--bundle", bundle, "--inspector-key", keyFile])
        #expect(opened.stdout.contains(PersonalDataAtRestTests.name), "\(opened.stdout)\(opened.stderr)")

        let before = try gate.cli.ok(["log"]).split(separator: "\n").count
        let unknown = try gate.cli.run(["export", "bundle", "--out", bundle + ".2", "--for", publicKey, "--case", "DS-2026-0099", "--purpose", "IPCO inspection"], as: "admin")
        #expect(unknown.status == 1 && unknown.stderr.contains("holds no personal data under DS-2026-0099"), "\(unknown.stderr)")
        #expect(!FileManager.default.fileExists(atPath: bundle + ".2"), "nothing half-written")
        #expect(try gate.cli.ok(["log"]).split(separator: "\n").count == before, "no disclosure recorded for a refused export")
        let noRecipient = try gate.cli.run(["export", "bundle", "--out", bundle + ".3", "--case", "DS-2026-0001"])
        #expect(noRecipient.status == 1 && noRecipient.stderr.contains("give --for KEY too"))
        let badKey = try gate.cli.run(["export", "bundle", "--out", bundle + ".4", "--for", "ripa-inspector-v1+short", "--purpose", "x"], as: "admin")
        #expect(badKey.status == 1 && badKey.stderr.contains("an inspector key is one line"))
    }

    @Test("an incremental bundle holds only the new entries and verifies after the one it continues; alone, out of order, or from a fork it is refused")
    func incremental() throws {
        let (gate, away, first) = try Self.exported()
        defer { gate.cleanUp(); try? FileManager.default.removeItem(at: away) }
        let ended = away.appendingPathComponent("ended-at.txt")
        try Data(try Self.file(first, "checkpoint.txt")).write(to: ended)
        #expect(try gate.view("https://www.instagram.com/zebedee.quartermain", urn: "DS-2026-0001").ok)
        try gate.cancel("DS-2026-0001")
        let next = away.appendingPathComponent("next.tar").path
        try gate.cli.ok(["export", "bundle", "--out", next, "--since", ended.path])
        let firstSize = try #require(try JSONValue(parsing: try Self.file(first, "manifest.json"))["size"]?.integerValue)
        let manifest = try JSONValue(parsing: try Self.file(next, "manifest.json"))
        #expect(manifest["from"]?.integerValue == firstSize)
        #expect(Self.lines(try Self.file(next, "entries.jsonl")).count == 2)

        let both = try Self.offline(gate.cli, ["verify", "--bundle", first, "--bundle", next, "--replay"])
        #expect(both.ok, "\(both.stderr)")
        #expect(both.stdout.contains("\(firstSize + 2) entries verified"), "\(both.stdout)")
        let alone = try Self.offline(gate.cli, ["verify", "--bundle", next])
        #expect(alone.status == 1 && alone.stderr.contains("give the bundle(s) before it first"), "\(alone.stderr)")
        let reversed = try Self.offline(gate.cli, ["verify", "--bundle", next, "--bundle", first])
        #expect(reversed.status == 1)

        // A checkpoint of another register with the same origin cannot be continued from.
        var other = try CLI.withRegister(clock: GateRegister.start)
        defer { other.cleanUp() }
        try other.enrol("ivan", roles: "investigator")
        let foreign = away.appendingPathComponent("foreign.txt")
        try other.ok(["checkpoint"]).write(to: foreign, atomically: true, encoding: .utf8)
        let fork = try gate.cli.run(["export", "bundle", "--out", next + ".2", "--since", foreign.path])
        #expect(fork.status == 1 && fork.stderr.contains("history was rewritten"), "\(fork.stderr)")
    }

    @Test("after destruction the bundle verifies, its central record says so, and a tombstone hidden from data-keys.json is caught")
    func destroyedCases() throws {
        let (gate, _, urn) = try DestructionTests.destroyed()
        let away = try Self.awayFolder()
        defer { gate.cleanUp(); try? FileManager.default.removeItem(at: away) }
        let bundle = away.appendingPathComponent("after.tar").path
        try gate.cli.ok(["export", "bundle", "--out", bundle])
        let verified = try gate.cli.run(["verify", "--bundle", bundle, "--replay"], withDB: false)
        #expect(verified.ok, "\(verified.stderr)")
        let csv = String(decoding: try Self.file(bundle, "central-record.csv"), as: UTF8.self)
        #expect(csv.contains(urn) && csv.contains("personal data destroyed on"), "\(csv)")

        let bad = away.appendingPathComponent("bad.tar").path
        try Self.rewrite(bundle, to: bad, fixManifest: true) { files in
            let i = files.firstIndex { $0.name == "data-keys.json" }!
            let keys = try JSONValue(parsing: files[i].content).arrayValue!.filter { $0["destroyed_seq"] == nil || $0["destroyed_seq"] == .null }
            files[i].content = JSONValue.array(keys).canonicalBytes
        }
        let hidden = try gate.cli.run(["verify", "--bundle", bad], withDB: false)
        #expect(hidden.status == 1 && hidden.stderr.contains("central-record.csv is not what the entries make") || hidden.stderr.contains("data-keys.json"), "\(hidden.stderr)")
    }

    @Test("a witnessed register's bundle carries the cosignatures: the quorum is checked offline, and a forged cosignature does not count")
    func witnessed() throws {
        var cli = try CLI.withRegister()
        let away = try Self.awayFolder()
        defer { cli.cleanUp(); try? FileManager.default.removeItem(at: away) }
        let w1 = try WitnessCLITests.RunningWitness(cli, name: "w1")
        try w1.start()
        defer { w1.stop() }
        _ = try WitnessCLITests.adopt(cli, [w1], quorum: "quorum w1")
        try cli.enrol("ivan", roles: "investigator")
        #expect(try cli.run(["witness", "sync"]).ok)
        let bundle = away.appendingPathComponent("witnessed.tar").path
        try cli.ok(["export", "bundle", "--out", bundle])
        w1.stop()
        let checked = try cli.run(["verify", "--bundle", bundle, "--require-quorum"], withDB: false)
        #expect(checked.ok, "\(checked.stdout)\(checked.stderr)")
        #expect(checked.stdout.contains("witnessed: the latest checkpoint"), "\(checked.stdout)")
        let note = try SignedNote(parsing: String(decoding: try Self.file(bundle, "checkpoint.txt"), as: UTF8.self))
        #expect(note.signatures.count == 2, "the register's line and w1's")
        #expect(!String(decoding: try Self.file(bundle, "witness-policy.txt"), as: UTF8.self).isEmpty)

        // The latest cosignature's signature bytes changed (manifest recomputed): it no longer counts.
        let forged = away.appendingPathComponent("forged.tar").path
        try Self.rewrite(bundle, to: forged, fixManifest: true) { files in
            let i = files.firstIndex { $0.name == "checkpoints.jsonl" }!
            var records = try Self.lines(files[i].content).map { try JSONValue(parsing: $0) }
            let last = records.count - 1
            var cosignatures = try #require(records[last]["cosignatures"]?.arrayValue)
            let line = try #require(cosignatures.first?["line"]?.stringValue)
            cosignatures[0] = Self.replacing(cosignatures[0], "line", with: .string(WitnessCLITests.tamper(line)))
            records[last] = Self.replacing(records[last], "cosignatures", with: .array(cosignatures))
            files[i].content = Self.joined(records.map(\.canonicalBytes))
        }
        let short = try cli.run(["verify", "--bundle", forged, "--require-quorum"], withDB: false)
        #expect(short.status == 1, "\(short.stdout)\(short.stderr)")
    }
}
