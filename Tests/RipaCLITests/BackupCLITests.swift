import Foundation
import Ledger
import Testing

/// Issue 11 §6: `ripa backup` and `ripa restore`, driven through the real binary, with the
/// attacks an insider holding the files (and the register key) could try.
@Suite struct BackupCLITests {
    /// A register of 10 entries (genesis, pack, admin's invitation and acceptance, three
    /// users invited and accepted) with `ivan`, an investigator, among them.
    static func register() throws -> CLI {
        var cli = try CLI.withRegister()
        try cli.enrol("ivan", roles: "investigator")
        try cli.enrol("amy", roles: "auditor")
        try cli.enrol("abe", roles: "auditor")
        return cli
    }

    static func path(_ cli: CLI, _ name: String) -> String { cli.directory.appendingPathComponent(name).path }

    /// Writes `ripa checkpoint` of the register now to a file, as an operator keeps it.
    static func keep(_ cli: CLI, _ name: String) throws -> String {
        let kept = path(cli, name)
        try cli.ok(["checkpoint"]).write(toFile: kept, atomically: true, encoding: .utf8)
        return kept
    }

    static func size(_ cli: CLI, db: String? = nil) throws -> Int64 {
        let out = try db.map { try at(cli, $0, ["info", "--json"]).stdout } ?? cli.ok(["info", "--json"])
        return try #require(try JSONValue(parsing: out)["size"]?.integerValue)
    }

    static func backup(_ cli: CLI, to name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        let result = try cli.run(["backup", "--to", path(cli, name), "--json"])
        #expect(result.status == 0, "backup failed: \(result.stderr)", sourceLocation: sourceLocation)
        return try JSONValue(parsing: result.stdout)
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        stat(path, &info)
        return info.st_mode & 0o777
    }

    static func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    /// Runs `ripa ARGS` with `--db` given in the arguments (not the CLI's own register).
    static func at(_ cli: CLI, _ db: String, _ arguments: [String]) throws -> CLI.Result {
        try cli.run(arguments + ["--db", db], withDB: false)
    }

    // MARK: Backup

    /// The copy is the register: it verifies, holds the same entries, carries the checkpoint it
    /// reports, is mode 0600 with nothing beside it, and says the key files are not in it.
    @Test func backupIsAVerifiedCopyWithoutTheKeys() throws {
        let cli = try Self.register()
        defer { cli.cleanUp() }
        let json = try Self.backup(cli, to: "copy.db")
        let copy = Self.path(cli, "copy.db")
        #expect(json["size"]?.integerValue == 10)
        #expect(json["bytes"]?.integerValue == Int64(Self.bytes(copy).count))
        #expect(json["path"]?.stringValue == copy)
        #expect(Self.mode(copy) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: copy + "-wal") && !FileManager.default.fileExists(atPath: copy + "-shm"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter { $0.hasPrefix(".ripa-backup-") }
        #expect(leftovers.isEmpty, "staging left behind: \(leftovers)")
        #expect(json["checkpoint"]?.stringValue == (try cli.ok(["checkpoint"])))
        let notIncluded = try #require(json["not_included"]?.arrayValue)
        #expect(notIncluded.map { $0["path"]?.stringValue } == [cli.keyFile, Self.path(cli, "register.dpk")])
        #expect(notIncluded.first?["what"]?.stringValue == "register key")
        // The copy holds no key: nothing in it is the register key file's text.
        let keyText = try String(contentsOfFile: cli.keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Self.bytes(copy).range(of: Data(keyText.utf8)) == nil)
        let verified = try Self.at(cli, copy, ["verify", "--replay"])
        #expect(verified.status == 0 && verified.stdout.contains("OK: 10 entries verified"), "\(verified.stderr)")
        #expect(try cli.ok(["log", "--json"]) == (try Self.at(cli, copy, ["log", "--json"]).stdout))

        let text = try cli.ok(["backup", "--to", Self.path(cli, "text.db")])
        #expect(text.contains("Size:       10 entries"))
        #expect(text.contains("Not in the backup"))
        #expect(text.contains("register key: \(cli.keyFile)"))
    }

    /// Another process appends looks in a loop while backups are taken: every append still
    /// succeeds (the backup pauses no writer), and every copy is one consistent register that
    /// verifies on its own, whatever size it caught.
    @Test func backupWhileAnotherProcessAppends() throws {
        let cli = try Self.register()
        defer { cli.cleanUp() }
        let stop = Self.path(cli, "stop")
        let loop = """
            i=0
            while [ ! -e "$STOP" ] && [ $i -lt 2000 ]; do
              i=$((i+1))
              "$RIPA" view "https://example.org/people/$i" --case LOAD-1 --purpose "first look" --as ivan --db "$DB" >/dev/null 2>>"$DB.appender.err" || echo "append $i failed" >>"$DB.appender.err"
            done
            """
        let appender = Process()
        appender.executableURL = URL(fileURLWithPath: "/bin/sh")
        appender.arguments = ["-c", loop]
        var environment = ProcessInfo.processInfo.environment
        environment["RIPA"] = CLI.binary
        environment["DB"] = cli.db
        environment["STOP"] = stop
        environment["RIPA_PASSPHRASE"] = cli.passphrases["ivan"]
        environment.removeValue(forKey: "RIPA_CLOCK")
        appender.environment = environment
        appender.standardOutput = FileHandle.nullDevice
        try appender.run()
        defer {
            _ = FileManager.default.createFile(atPath: stop, contents: nil)
            appender.waitUntilExit()
        }
        let start = try Self.size(cli)
        var sizes: Set<Int64> = []
        for round in 0..<8 {
            let json = try Self.backup(cli, to: "live-\(round).db")
            let size = try #require(json["size"]?.integerValue)
            sizes.insert(size)
            let copy = Self.path(cli, "live-\(round).db")
            let verified = try Self.at(cli, copy, ["verify", "--json"])
            #expect(verified.status == 0, "copy \(round) does not verify: \(verified.stderr)")
            #expect(try JSONValue(parsing: verified.stdout)["size"]?.integerValue == size)
            // Taken from one snapshot: its checkpoint covers exactly the entries it holds.
            let note = try SignedNote(parsing: try #require(json["checkpoint"]?.stringValue))
            #expect(try Checkpoint(parsing: note.text).size == UInt64(size))
        }
        _ = FileManager.default.createFile(atPath: stop, contents: nil)
        appender.waitUntilExit()
        let appended = try Self.size(cli) - start
        let errors = (try? String(contentsOfFile: cli.db + ".appender.err", encoding: .utf8)) ?? ""
        #expect(errors.isEmpty, "an append failed while backups ran: \(errors)")
        #expect(appended >= 5, "the appender wrote only \(appended) entries: the backups did not run under load")
        #expect(sizes.count >= 2, "every backup caught the same size \(sizes): the appends did not interleave with them")
    }

    /// A file at the target is never replaced without `--force`; the register, its key
    /// files, a folder are refused as targets.
    @Test func overwritingIsRefusedUnlessForced() throws {
        let cli = try Self.register()
        defer { cli.cleanUp() }
        let target = Self.path(cli, "precious.txt")
        try "do not lose me".write(toFile: target, atomically: true, encoding: .utf8)
        let refused = try cli.run(["backup", "--to", target, "--json"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("backup.targetExists"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "do not lose me")

        for own in [cli.db, cli.keyFile, cli.directory.path] {
            let result = try cli.run(["backup", "--to", own, "--force"])
            #expect(result.status == 1, "backup over \(own) was allowed")
        }
        #expect(try cli.ok(["verify"]).contains("OK"))

        #expect(try cli.run(["backup", "--to", target, "--force"]).status == 0)
        #expect(try Self.at(cli, target, ["verify"]).status == 0)
        #expect(Self.mode(target) == 0o600)
    }

    /// A register that does not verify gives no backup: the copy is removed, nothing is at the
    /// target, no staging folder is left.
    @Test func aCopyThatFailsVerificationIsRemoved() throws {
        let cli = try Self.register()
        defer { cli.cleanUp() }
        try cli.sql(TamperTests.dropTriggers + "UPDATE entries SET leaf = CAST(replace(CAST(leaf AS TEXT), '\"user.invited\"', '\"user.invitex\"') AS BLOB) WHERE seq = 6;")
        let target = Self.path(cli, "bad.db")
        let result = try cli.run(["backup", "--to", target, "--json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("backup.copyFailed") && result.stderr.contains("entry 6"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter { $0.hasPrefix(".ripa-backup-") }
        #expect(leftovers.isEmpty)
    }

    // MARK: Restore

    /// The database lost: the backup comes back in its place, verifies, and extends the kept
    /// checkpoint (here taken before more entries were written, so a proof is given).
    @Test func restoreOfAGoodBackupWhereTheDatabaseWasLost() throws {
        var cli = try Self.register()
        defer { cli.cleanUp() }
        let kept = try Self.keep(cli, "kept.txt")
        try cli.enrol("eve", roles: "auditor")
        _ = try Self.backup(cli, to: "good.db")
        let log = try cli.ok(["log", "--json"])
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cli.db + suffix) }

        let result = try cli.run(["restore", "--from", Self.path(cli, "good.db"), "--checkpoint", kept, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONValue(parsing: result.stdout)
        #expect(json["previous"]?.stringValue == "absent")
        #expect(json["size"]?.integerValue == 12 && json["kept_size"]?.integerValue == 10)
        #expect(json["lost"]?.arrayValue?.isEmpty == true)
        #expect((json["consistency_proof"]?.arrayValue?.count ?? 0) > 0)
        #expect(try cli.ok(["log", "--json"]) == log)
        #expect(try cli.ok(["verify", "--replay", "--checkpoint", kept]).contains("OK"))
        #expect(Self.mode(cli.db) == 0o600)
        // And it is a working register again: it takes an append.
        try cli.enrol("fay", roles: "auditor")
        #expect(try cli.ok(["verify"]).contains("OK: 14 entries verified"))
    }

    /// Over a live register that the backup matches: nothing lost, the replaced database kept
    /// beside it (and it verifies), no stale -wal or -shm.
    @Test func restoreOverTheSameRegisterKeepsTheReplacedOne() throws {
        var cli = try Self.register()
        defer { cli.cleanUp() }
        _ = try Self.backup(cli, to: "same.db")
        let kept = try Self.keep(cli, "kept.txt")
        let text = try cli.ok(["restore", "--from", Self.path(cli, "same.db"), "--checkpoint", kept])
        #expect(text.contains("Lost:       no entry"), "\(text)")
        let replaced = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter { $0.hasPrefix("register.db.replaced-") }
        #expect(replaced.count == 1, "\(replaced)")
        let old = Self.path(cli, try #require(replaced.first))
        #expect(try Self.at(cli, old, ["verify"]).status == 0)
        #expect(try cli.ok(["verify", "--checkpoint", kept]).contains("OK: 10 entries verified"))
        try cli.enrol("gus", roles: "auditor")
        #expect(try cli.ok(["verify"]).contains("OK: 12 entries verified"))
    }

    /// The register here was tampered with (one entry rewritten): the good backup comes back,
    /// and the one entry it replaces is named as lost — not every entry after it, which the
    /// backup holds as they were.
    @Test func restoreRepairsATamperedRegister() throws {
        let cli = try Self.register()
        defer { cli.cleanUp() }
        _ = try Self.backup(cli, to: "good.db")
        let kept = try Self.keep(cli, "kept.txt")
        try cli.sql(TamperTests.dropTriggers + "UPDATE entries SET leaf = CAST(replace(CAST(leaf AS TEXT), '\"user.invited\"', '\"user.invitex\"') AS BLOB) WHERE seq = 6;")
        #expect(try cli.run(["verify"]).status == 1)
        let refused = try cli.run(["restore", "--from", Self.path(cli, "good.db"), "--checkpoint", kept])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("would lose 1 entry") && refused.stderr.contains("6 user.invitex"), "\(refused.stderr)")
        let done = try cli.run(["restore", "--from", Self.path(cli, "good.db"), "--checkpoint", kept, "--accept-loss", "1", "--json"])
        #expect(done.status == 0, "\(done.stderr)")
        let lost = try #require(try JSONValue(parsing: done.stdout)["lost"]?.arrayValue)
        #expect(lost.map { $0["seq"]?.integerValue } == [6])
        #expect(try cli.ok(["verify", "--replay", "--checkpoint", kept]).contains("OK: 10 entries verified"))
    }

    /// The database file was overwritten with rubbish: it cannot be read, so nothing in it can
    /// be named; a backup that proves itself against the kept checkpoint alone replaces it, and
    /// the rubbish is moved aside whole.
    @Test func anUnreadableDatabaseIsReplacedByABackupThatProvesItself() throws {
        let cli = try Self.register()
        defer { cli.cleanUp() }
        let kept = try Self.keep(cli, "kept.txt")
        _ = try Self.backup(cli, to: "good.db")
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: cli.db))
        let done = try cli.run(["restore", "--from", Self.path(cli, "good.db"), "--checkpoint", kept, "--json"])
        #expect(done.status == 0, "\(done.stderr)")
        let json = try JSONValue(parsing: done.stdout)
        #expect(json["previous"]?.stringValue == "unreadable")
        let aside = try #require(json["replaced_kept_at"]?.stringValue)
        #expect(Self.bytes(aside) == Data(repeating: 0x5A, count: 8192))
        #expect(try cli.ok(["verify", "--checkpoint", kept]).contains("OK: 10 entries verified"))
    }

    /// A backup older than the kept checkpoint: the restore names exactly the entries it would
    /// lose (index, kind, time) and goes ahead only with `--accept-loss` of exactly their number.
    @Test func anOlderBackupNeedsTheExactLossAccepted() throws {
        var cli = try Self.register()
        defer { cli.cleanUp() }
        _ = try Self.backup(cli, to: "old.db")
        try cli.enrol("hal", roles: "auditor")
        try cli.enrol("ida", roles: "auditor")
        let kept = try Self.keep(cli, "kept.txt")
        try cli.enrol("jon", roles: "auditor")  // after the kept checkpoint: lost too
        let entries = try LifecycleCLI.entries(cli)
        #expect(entries.count == 16)
        let before = Self.bytes(cli.db)
        let from = Self.path(cli, "old.db")

        let refused = try cli.run(["restore", "--from", from, "--checkpoint", kept, "--json"])
        #expect(refused.status == 1)
        let error = try #require(try JSONValue(parsing: refused.stderr)["error"])
        #expect(error["reason"]?.stringValue == "restore.lossNotAccepted")
        #expect(error["values"]?["lost"]?.stringValue == "6")
        #expect(error["values"]?["from"]?.stringValue == "10" && error["values"]?["to"]?.stringValue == "15")
        for entry in entries[10...] {
            #expect(error["message"]?.stringValue?.contains("\(entry.seq) \(entry.kind) \(entry.time)") == true, "entry \(entry.seq) not named")
        }
        let text = try cli.run(["restore", "--from", from, "--checkpoint", kept])
        #expect(text.stderr.contains("would lose 6 entries") && text.stderr.contains("15 user.accepted"), "\(text.stderr)")

        for wrong in ["5", "7", "0"] {
            let result = try cli.run(["restore", "--from", from, "--checkpoint", kept, "--accept-loss", wrong])
            #expect(result.status == 1, "--accept-loss \(wrong) was accepted for a loss of 6")
            #expect(result.stderr.contains("not \(wrong)"), "\(result.stderr)")
        }
        #expect(Self.bytes(cli.db) == before, "a refused restore changed the register")
        #expect(try LifecycleCLI.entries(cli).count == 16)

        let done = try cli.run(["restore", "--from", from, "--checkpoint", kept, "--accept-loss", "6", "--json"])
        #expect(done.status == 0, "\(done.stderr)")
        let json = try JSONValue(parsing: done.stdout)
        let lost = try #require(json["lost"]?.arrayValue)
        #expect(lost.map { $0["seq"]?.integerValue } == (10...15).map { Int64($0) })
        #expect(lost.map { $0["kind"]?.stringValue } == entries[10...].map(\.kind))
        #expect(lost.map { $0["time"]?.stringValue } == entries[10...].map { "\($0.time)" })
        #expect(lost.map { $0["in_kept_checkpoint"]?.boolValue } == [true, true, true, true, false, false])
        #expect(json["size"]?.integerValue == 10 && json["kept_size"]?.integerValue == 14)
        #expect((json["consistency_proof"]?.arrayValue?.count ?? 0) > 0)
        #expect(try cli.ok(["verify", "--replay"]).contains("OK: 10 entries verified"))
        // The kept checkpoint now shows the rollback, as it should: the loss is real.
        #expect(try cli.run(["verify", "--checkpoint", kept]).stderr.contains("rollback"))
        // What was lost is still in the replaced database, which verifies against the kept checkpoint.
        let replaced = try #require(json["replaced_kept_at"]?.stringValue)
        #expect(try Self.at(cli, replaced, ["verify", "--checkpoint", kept]).status == 0)
        #expect(try Self.at(cli, replaced, ["info", "--json"]).stdout.contains("\"size\":16"))
    }

    /// An older backup where the database is gone: nothing here holds the kept checkpoint, so
    /// nothing proves the backup belongs to that history nor says what it lacks — refused.
    @Test func anOlderBackupWithNothingToProveItIsRefused() throws {
        var cli = try Self.register()
        defer { cli.cleanUp() }
        _ = try Self.backup(cli, to: "old.db")
        try cli.enrol("kim", roles: "auditor")
        let kept = try Self.keep(cli, "kept.txt")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cli.db + suffix) }
        let result = try cli.run(["restore", "--from", Self.path(cli, "old.db"), "--checkpoint", kept, "--accept-loss", "2", "--json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("restore.unprovable"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.db))
        // Against a checkpoint kept at the backup's size it goes back.
        let early = Self.path(cli, "early.txt")
        try Self.at(cli, Self.path(cli, "old.db"), ["checkpoint"]).stdout.write(toFile: early, atomically: true, encoding: .utf8)
        #expect(try cli.run(["restore", "--from", Self.path(cli, "old.db"), "--checkpoint", early]).status == 0)
    }

    /// A backup whose bytes were changed (an entry rewritten in its SQLite file) is refused
    /// before anything is replaced.
    @Test func aCorruptBackupIsRefused() throws {
        let cli = try Self.register()
        defer { cli.cleanUp() }
        _ = try Self.backup(cli, to: "bad.db")
        let kept = try Self.keep(cli, "kept.txt")
        let bad = Self.path(cli, "bad.db")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()", bad,
                             TamperTests.dropTriggers + "UPDATE entries SET leaf = CAST(replace(CAST(leaf AS TEXT), '\"user.invited\"', '\"user.invitex\"') AS BLOB) WHERE seq = 8;"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let before = Self.bytes(cli.db)
        let result = try cli.run(["restore", "--from", bad, "--checkpoint", kept, "--json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("restore.backupFails") && result.stderr.contains("entry 8"), "\(result.stderr)")
        #expect(Self.bytes(cli.db) == before)

        // Not a database at all.
        let junk = Self.path(cli, "junk.db")
        try "not a register".write(toFile: junk, atomically: true, encoding: .utf8)
        #expect(try cli.run(["restore", "--from", junk, "--checkpoint", kept]).status == 1)
        #expect(try cli.ok(["verify", "--checkpoint", kept]).contains("OK"))
    }

    /// The insider with the files and the register key (and an administrator's passphrase)
    /// runs a second copy of the register from entry 10 on and writes different history in
    /// each. Both verify on their own, signed by the same key. A backup of the other copy is
    /// refused against the checkpoint kept from this one — larger or smaller than it — naming
    /// entry 10, where the histories part.
    @Test(arguments: [2, 6]) func aForkedBackupIsRefused(forkEntries: Int) throws {
        var cli = try Self.register()
        defer { cli.cleanUp() }
        var fork = try CLI()
        defer { fork.cleanUp() }
        for name in ["register.db", "register.key", "register.dpk"] where FileManager.default.fileExists(atPath: Self.path(cli, name)) {
            try FileManager.default.copyItem(atPath: Self.path(cli, name), toPath: fork.directory.appendingPathComponent(name).path)
        }
        fork.passphrases = cli.passphrases
        try cli.enrol("lee", roles: "auditor")
        try cli.enrol("max", roles: "auditor")
        let kept = try Self.keep(cli, "kept.txt")  // 14 entries
        for i in 0..<(forkEntries / 2) { try fork.enrol("mole\(i)", roles: "investigator") }
        #expect(try fork.ok(["verify", "--replay"]).contains("OK: \(10 + forkEntries) entries verified"))
        #expect(try Self.size(fork) == Int64(10 + forkEntries))
        let forked = Self.path(cli, "forked.db")
        #expect(try fork.run(["backup", "--to", forked]).status == 0)

        let before = Self.bytes(cli.db)
        let result = try cli.run(["restore", "--from", forked, "--checkpoint", kept, "--accept-loss", "4", "--json"])
        #expect(result.status == 1, "a forked backup was restored")
        let error = try #require(try JSONValue(parsing: result.stderr)["error"])
        #expect(error["reason"]?.stringValue == "restore.fork", "\(result.stderr)")
        #expect(error["values"]?["differs_at"]?.stringValue == "10", "\(result.stderr)")
        #expect(error["message"]?.stringValue?.contains("entry 10") == true)
        #expect(Self.bytes(cli.db) == before)
        #expect(try cli.ok(["verify", "--checkpoint", kept]).contains("OK: 14 entries verified"))
    }

    /// Counts the data keys in a database file: live (sealed) and destroyed (tombstones).
    static func dataKeys(_ cli: CLI, _ db: String) throws -> (live: Int, destroyed: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
            print(c.execute('SELECT count(sealed), count(destroyed_seq) FROM data_keys').fetchone())
            """, db]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let numbers = text.filter { $0.isNumber || $0 == "," }.split(separator: ",").compactMap { Int($0) }
        try #require(numbers.count == 2, "cannot read data_keys of \(db): \(text)")
        return (numbers[0], numbers[1])
    }

    /// Why backups must be rotated: a backup made before a destruction still holds the case's
    /// data key; one made after holds only its tombstone. Restoring the older one names the
    /// lost `personal-data.destroyed` entry as a destruction undone.
    @Test func aBackupFromBeforeADestructionStillHoldsTheDataKey() throws {
        var cli = try CLI.withRegister(clock: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        try cli.enrol("ivan", roles: "investigator")
        try cli.enrol("bob", roles: "administrator")
        cli.clock = "2026-01-15T09:00:00Z"
        #expect(try ProjectionAuthenticationTests.look(cli).status == 0)
        // Past the pack's 12 months for looks made without an authorisation.
        cli.clock = "2027-03-01T09:00:00Z"
        _ = try Self.backup(cli, to: "before.db")
        let before = try Self.dataKeys(cli, Self.path(cli, "before.db"))
        #expect(before.live >= 1 && before.destroyed == 0, "\(before)")

        let requested = try JSONValue(parsing: try cli.ok(["retention", "apply", "--json"], as: "admin"))
        let request = try #require(requested["request"]?["seq"]?.integerValue)
        let approved = try JSONValue(parsing: try cli.ok(["retention", "approve", "--request", String(request), "--json"], as: "bob"))
        let destruction = try #require(approved["seq"]?.integerValue)
        _ = try Self.backup(cli, to: "after.db")
        let after = try Self.dataKeys(cli, Self.path(cli, "after.db"))
        #expect(after.live == before.live - 1 && after.destroyed == 1, "after the destruction: \(after)")

        let kept = try Self.keep(cli, "kept.txt")
        let lostCount = try Self.size(cli) - (try Self.size(cli, db: Self.path(cli, "before.db")))
        let refused = try cli.run(["restore", "--from", Self.path(cli, "before.db"), "--checkpoint", kept])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("destruction of personal data at entry \(destruction)"), "\(refused.stderr)")
        let done = try cli.run(["restore", "--from", Self.path(cli, "before.db"), "--checkpoint", kept, "--accept-loss", String(lostCount), "--json"])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(try JSONValue(parsing: done.stdout)["destructions_undone"] == .array([.integer(destruction)]))
        // The key is back in the live register: the destruction has to be applied again.
        #expect(try Self.dataKeys(cli, cli.db).live == before.live)
    }

    /// Refused while another process has the database open — here an idle reader, as
    /// `ripa serve` is between requests — and nothing is changed; allowed once it is closed.
    @Test func restoreIsRefusedWhileTheDatabaseIsInUse() throws {
        let cli = try Self.register()
        defer { cli.cleanUp() }
        _ = try Self.backup(cli, to: "copy.db")
        let kept = try Self.keep(cli, "kept.txt")
        let ready = Self.path(cli, "ready"), stop = Self.path(cli, "stop")
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        reader.arguments = ["python3", "-c", """
            import sqlite3, sys, os, time
            c = sqlite3.connect(sys.argv[1])
            c.execute('SELECT count(*) FROM entries').fetchall()
            open(sys.argv[2], 'w').close()
            while not os.path.exists(sys.argv[3]): time.sleep(0.05)
            """, cli.db, ready, stop]
        try reader.run()
        defer {
            _ = FileManager.default.createFile(atPath: stop, contents: nil)
            reader.waitUntilExit()
        }
        while !FileManager.default.fileExists(atPath: ready) { Thread.sleep(forTimeInterval: 0.05) }
        let before = Self.bytes(cli.db)
        let refused = try cli.run(["restore", "--from", Self.path(cli, "copy.db"), "--checkpoint", kept, "--json"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("database.inUse"), "\(refused.stderr)")
        #expect(Self.bytes(cli.db) == before)
        _ = FileManager.default.createFile(atPath: stop, contents: nil)
        reader.waitUntilExit()
        let done = try cli.run(["restore", "--from", Self.path(cli, "copy.db"), "--checkpoint", kept])
        #expect(done.status == 0, "\(done.stderr)")
    }

    /// After a key rotation the key file holds the new key; a backup from before is signed by
    /// the old one and could not be written after a restore: refused, saying which key file
    /// to put back. A kept checkpoint of another register is refused too.
    @Test func aBackupSignedByAnotherKeyOrAForeignCheckpointIsRefused() throws {
        let cli = try Self.register()
        defer { cli.cleanUp() }
        _ = try Self.backup(cli, to: "before-rotation.db")
        try cli.ok(["key", "rotate", "--reason", "scheduled"], as: "admin")
        let kept = try Self.keep(cli, "kept.txt")
        let result = try cli.run(["restore", "--from", Self.path(cli, "before-rotation.db"), "--checkpoint", kept, "--accept-loss", "1", "--json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("restore.keyMismatch"), "\(result.stderr)")

        let other = try CLI.withRegister(origin: "ripa.other-council.gov.uk/register")
        defer { other.cleanUp() }
        let foreign = Self.path(cli, "foreign.txt")
        try other.ok(["checkpoint"]).write(toFile: foreign, atomically: true, encoding: .utf8)
        _ = try Self.backup(cli, to: "after-rotation.db")
        let refused = try cli.run(["restore", "--from", Self.path(cli, "after-rotation.db"), "--checkpoint", foreign, "--json"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("restore.foreignCheckpoint"), "\(refused.stderr)")
        let good = try cli.run(["restore", "--from", Self.path(cli, "after-rotation.db"), "--checkpoint", kept])
        #expect(good.status == 0, "\(good.stderr)")
    }
}
