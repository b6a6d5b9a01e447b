import Foundation
import Ledger
import Testing

/// Issue 8 §5: `verify` under real conditions — while others append, and on an auditor's
/// read-only copy.
@Suite struct VerifyUnderLoadTests {
    /// Another process appends looks in a loop while `verify` and `verify --replay` run again
    /// and again: each must see one consistent register (entries, tree, checkpoint and
    /// projections as of one moment) and pass.
    @Test func verifyWhileAnotherProcessAppendsNeverFailsFalsely() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        try cli.enrol("ivan", roles: "investigator")
        let stop = cli.directory.appendingPathComponent("stop").path
        // The appender: a shell loop of `ripa view`, each a durable append with its view row.
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

        let start = try LifecycleCLI.entries(cli).count
        var failures: [String] = []
        var runs = 0
        var sizes: Set<String> = []
        for round in 0..<24 {
            let arguments = round % 2 == 0 ? ["verify", "--json"] : ["verify", "--replay", "--json"]
            let result = try cli.run(arguments)
            runs += 1
            if result.status != 0 { failures.append("\(arguments.joined(separator: " ")): \(result.stderr)") }
            if let size = try? JSONValue(parsing: result.stdout)["size"] { sizes.insert(size.canonicalString) }
        }
        _ = FileManager.default.createFile(atPath: stop, contents: nil)
        appender.waitUntilExit()
        let appended = try LifecycleCLI.entries(cli).count - start
        #expect(failures.isEmpty, "\(failures.count) of \(runs) runs failed while another process appended: \(failures.first ?? "")")
        #expect(appended >= 5, "the appender wrote only \(appended) entries: the test did not run verify under load")
        #expect(sizes.count >= 3, "verify saw only \(sizes.count) distinct sizes: the appends did not interleave with the runs")
        let errors = (try? String(contentsOfFile: cli.db + ".appender.err", encoding: .utf8)) ?? ""
        #expect(errors.isEmpty, "the appender failed: \(errors)")
        #expect(try cli.ok(["verify", "--replay"]).contains("OK"))
    }

    /// The read-only commands an auditor runs on a copy.
    static let readCommands: [[String]] = [
        ["verify"], ["verify", "--replay"], ["status"], ["record", "central"], ["log"], ["checkpoint"],
        ["info"], ["due"], ["user", "list"], ["views"],
    ]

    /// A copy of a register with a live case and a look, in `copy/` beside the original.
    static func copy() throws -> (CLI, URL) {
        let (cli, _) = try ProjectionAuthenticationTests.liveCase()
        #expect(try ProjectionAuthenticationTests.look(cli).status == 0)
        let folder = cli.directory.appendingPathComponent("copy")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["register.db", "register.key", "register.dpk"] {
            try FileManager.default.copyItem(at: cli.directory.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return (cli, folder)
    }

    static func sideFiles(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix("-wal") || $0.hasSuffix("-shm") }
    }

    static func shell(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs every read command on the copy (through `prefix`, e.g. as another user) and
    /// expects each to pass and to leave no -wal or -shm file.
    static func expectReadable(_ cli: CLI, _ folder: URL, prefix: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let db = folder.appendingPathComponent("register.db").path
        for command in readCommands {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = prefix + [CLI.binary] + command + ["--db", db]
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "RIPA_DB")
            if let clock = cli.clock { environment["RIPA_CLOCK"] = clock }
            process.environment = environment
            process.currentDirectoryURL = URL(fileURLWithPath: "/")
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let error = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "ripa \(command.joined(separator: " ")) on a read-only copy: \(error)", sourceLocation: sourceLocation)
            if command.first == "verify" { #expect(output.contains("OK"), "\(output)", sourceLocation: sourceLocation) }
            let left = try sideFiles(folder)
            #expect(left.isEmpty, "ripa \(command.joined(separator: " ")) left \(left) on a read-only copy", sourceLocation: sourceLocation)
        }
    }

    /// Afterwards the copy, made writable again, takes appends and verifies.
    static func expectWritableAgain(_ cli: CLI, _ folder: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let db = ["--db", folder.appendingPathComponent("register.db").path]
        let added = try cli.run(["user", "add", "aud", "--name", "Aud", "--roles", "auditor", "--rank", "Auditor"] + db, as: "admin",
            environment: ["RIPA_NEW_PASSPHRASE": CLI.passphrase(for: "aud")], withDB: false)
        #expect(added.status == 0, "the copy could not be written again: \(added.stderr)", sourceLocation: sourceLocation)
        let verified = try cli.run(["verify", "--replay"] + db, withDB: false)
        #expect(verified.status == 0 && verified.stdout.contains("OK"), "\(verified.stderr)", sourceLocation: sourceLocation)
    }

    /// Read-only for root too: the immutable attribute (`chattr +i`), which binds root as a
    /// read-only medium does; first the file alone, then the folder.
    @Test(arguments: ["file", "folder"]) func immutableCopyVerifies(what: String) throws {
        let (cli, folder) = try Self.copy()
        defer { cli.cleanUp() }
        let target = what == "file" ? folder.appendingPathComponent("register.db").path : folder.path
        try #require(try Self.shell(["chattr", "+i", target]) == 0, "chattr +i is needed to make a copy read-only for root")
        do {
            defer { _ = try? Self.shell(["chattr", "-i", target]) }
            #expect(FileManager.default.isWritableFile(atPath: target) == false)
            try Self.expectReadable(cli, folder)
        }
        try Self.expectWritableAgain(cli, folder)
    }

    /// A copy whose file and folder are mode 0444/0555, read by an auditor's account
    /// (nobody) that cannot write them.
    @Test func readOnlyModesForAnotherUserVerify() throws {
        let (cli, folder) = try Self.copy()
        defer { cli.cleanUp() }
        let db = folder.appendingPathComponent("register.db").path
        // The auditor's account must reach the copy and the binary.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: cli.directory.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db)
        // The auditor is given the data-protection key with the copy: the central record and
        // the cases' pages are personal data, sealed under it (docs/personal-data.md).
        let dpk = folder.appendingPathComponent("register.dpk").path
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: dpk)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        let prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        try #require(try Self.shell(prefix + ["test", "-r", db]) == 0, "nobody cannot read the copy")
        #expect(try Self.shell(prefix + ["test", "-w", db]) != 0)
        try Self.expectReadable(cli, folder, prefix: prefix)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: db)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dpk)
        try Self.expectWritableAgain(cli, folder)
    }
}

