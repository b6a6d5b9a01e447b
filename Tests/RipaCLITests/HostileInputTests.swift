import Foundation
import Ledger
import Testing

/// Input that used to crash or hang the tool, or forge rows in its output (issue 8 §5): each
/// now gets one clear line on stderr, a non-zero exit, and nothing written.
@Suite struct HostileInputTests {
    static func refused(_ cli: CLI, _ arguments: [String], _ user: String?, _ texts: [String], _ location: SourceLocation) throws {
        try AuthorisationBadInputTests.refused(cli, arguments, as: user, mentioning: texts, sourceLocation: location)
    }

    // MARK: Numbers

    @Test("a huge number is refused with one line, not an overflow backtrace", arguments: [
        (["due", "--within", "9223372036854775807"], "--within"),
        (["due", "--within", "3661"], "out of range"),
        (["record", "statistics", "--year", "9223372036854775807"], "--year"),
        (["proof", "inclusion", "--index", "99999999999999999999"], "--index"),
        (["proof", "inclusion", "--index", "18446744073709551615"], "beyond"),
        (["log", "--from", "18446744073709551615"], "beyond"),
    ])
    func hugeNumbers(arguments: [String], mentioning: String) throws {
        let cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        try Self.refused(cli, arguments, nil, [mentioning], #_sourceLocation)
    }

    @Test func hugeReviewIntervalAndDuration() throws {
        let cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        let urn = try LifecycleCLI.apply(cli, LifecycleCLI.application())
        for interval in ["9223372036854775807", "366"] {
            try Self.refused(cli, ["grant", urn, "--reasons", "x", "--review-interval", interval], "mo", ["--review-interval", "1 to 365"], #_sourceLocation)
        }
        try Self.refused(cli, ["grant", urn, "--reasons", "x", "--review-interval=-9223372036854775808"], "mo", ["at least 1 day"], #_sourceLocation)
        try Self.refused(cli, LifecycleCLI.application(extra: ["--duration-months", "9223372036854775807"]), "ivan", ["requested_duration_months", "out of range"], #_sourceLocation)
    }

    // MARK: Files that are not files

    static func makeSpecial(_ kind: String, in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("special-\(kind)").path
        switch kind {
        case "directory": try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        case "fifo": #expect(mkfifo(path, 0o600) == 0)
        case "socket":
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", path]
            try process.run()
            process.waitUntilExit()
        default: return "/dev/null"
        }
        return path
    }

    /// Runs `ripa` under timeout(1) and a 4 GB address-space limit: a FIFO opened for reading
    /// used to hang it for ever, and an alias bomb grew it past 20 GB (it must never take the
    /// test machine down with it).
    static func bounded(_ cli: CLI, _ arguments: [String], as user: String? = nil) throws -> CLI.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "ulimit -v 4194304; exec timeout 60 \"$@\"", "bash", CLI.binary] + arguments + (user.map { ["--as", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "RIPA_DB")
        environment["RIPA_PASSPHRASE"] = user.map { cli.passphrases[$0] ?? "" }
        if let clock = cli.clock { environment["RIPA_CLOCK"] = clock }
        process.environment = environment
        process.currentDirectoryURL = cli.directory
        let out = Pipe(), err = Pipe()
        (process.standardOutput, process.standardError, process.standardInput) = (out, err, FileHandle.nullDevice)
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // Stop the test here rather than hang on the next command.
        try #require(process.terminationStatus != 124, "ripa \(arguments) hung")
        return CLI.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    @Test("--db naming a directory, FIFO, socket or device is refused, never opened", arguments: ["directory", "fifo", "socket", "device"])
    func databaseIsNotAFile(kind: String) throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let path = try Self.makeSpecial(kind, in: cli.directory)
        for command in [["info"], ["verify"], ["user", "list"]] {
            let result = try Self.bounded(cli, command + ["--db", path])
            #expect(result.status == 1, "\(command) on a \(kind): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(result.stderr.contains("not a register database"), "\(result.stderr)")
        }
        let initialise = try cli.run(["init", "--test-register", "--origin", "x.example/register", "--admin", "admin", "--db", path],
                                     environment: ["RIPA_PASSPHRASE": CLI.passphrase(for: "admin")], withDB: false)
        #expect(initialise.status == 1 && initialise.stderr.split(separator: "\n").count == 1, "\(initialise.stderr)")
    }

    @Test("a named file that is a FIFO or a directory is refused, never read", arguments: ["fifo", "directory"])
    func namedFilesAreRegular(kind: String) throws {
        let cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        let path = try Self.makeSpecial(kind, in: cli.directory)
        // Under a timeout first: the old tool waited for ever on a FIFO.
        for (arguments, user) in [(["apply", "--file", path], "ivan"), (["verify", "--checkpoint", path], nil), (["policy", "adopt", path], "admin"),
                                (["user", "add", "eve", "--name", "Eve", "--roles", "auditor", "--rank", "R", "--passphrase-file", path], "admin")] as [([String], String?)] {
            let result = try Self.bounded(cli, arguments + ["--db", cli.db], as: user)
            #expect(result.status == 1 && result.stderr.contains("not a regular file"), "\(arguments): \(result.stderr)")
        }
        try Self.refused(cli, ["apply", "--file", path], "ivan", ["application file", "not a regular file"], #_sourceLocation)
        try Self.refused(cli, ["verify", "--checkpoint", path], nil, ["checkpoint file", "not a regular file"], #_sourceLocation)
        try Self.refused(cli, ["user", "add", "eve", "--name", "Eve", "--roles", "auditor", "--rank", "R", "--passphrase-file", path], "admin", ["passphrase file", "not a regular file"], #_sourceLocation)
        try Self.refused(cli, ["policy", "adopt", path], "admin", ["not a regular file"], #_sourceLocation)
    }

    @Test func oversizedFilesAreRefused() throws {
        let cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        let big = cli.directory.appendingPathComponent("big.yaml")
        try Data((AuthorisationBadInputTests.completeForm + "\ndetails: " + String(repeating: "x", count: 1 << 20) + "\n").utf8).write(to: big)
        try Self.refused(cli, ["apply", "--file", big.path], "ivan", ["application file", "at most 1048576"], #_sourceLocation)
        let passphrase = cli.directory.appendingPathComponent("pass.txt")
        try Data(String(repeating: "p", count: 5000).utf8).write(to: passphrase)
        try Self.refused(cli, ["user", "add", "eve", "--name", "Eve", "--roles", "auditor", "--rank", "R", "--passphrase-file", passphrase.path], "admin", ["passphrase file", "at most 4096"], #_sourceLocation)
        let policy = cli.directory.appendingPathComponent("policy.yaml")
        try Data(("schema: ripa-register/policy-pack/v1\ntitle: " + String(repeating: "x", count: 1 << 20) + "\n").utf8).write(to: policy)
        try Self.refused(cli, ["policy", "adopt", policy.path], "admin", ["policy.yaml", "at most 1048576"], #_sourceLocation)
    }

    @Test("too many subjects, offences or team members are refused")
    func counts() throws {
        let cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        let subjects = (0...100).flatMap { ["--subject", "Subject \($0)"] }
        try Self.refused(cli, LifecycleCLI.application(extra: subjects), "ivan", ["102 subjects", "at most 100"], #_sourceLocation)
        let offences = (0...50).flatMap { _ in ["--offence", "fraud-act-2006-s1"] }
        try Self.refused(cli, LifecycleCLI.application(extra: offences), "ivan", ["offences", "at most 50"], #_sourceLocation)
    }

    // MARK: YAML anchors and aliases

    static let aliasBomb = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        operation: *i
        """

    @Test("an application file with an alias bomb, or any anchor, is refused at once")
    func aliasBombInApplication() throws {
        let cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        let bomb = cli.directory.appendingPathComponent("bomb.yaml")
        try Self.aliasBomb.write(to: bomb, atomically: true, encoding: .utf8)
        let start = Date()
        let bounded = try Self.bounded(cli, ["apply", "--file", bomb.path, "--db", cli.db], as: "ivan")
        try #require(bounded.status == 1 && bounded.stderr.contains("anchors and aliases"), "\(bounded.stderr)")
        #expect(Date().timeIntervalSince(start) < 20)
        try Self.refused(cli, ["apply", "--file", bomb.path], "ivan", ["anchors and aliases"], #_sourceLocation)
        // An innocent-looking anchor in an otherwise complete form.
        let form = AuthorisationBadInputTests.completeForm
            .replacingOccurrences(of: "operation: Op Falcon", with: "operation: &op Op Falcon")
            .replacingOccurrences(of: "purpose: To detect fraud", with: "purpose: *op")
        let anchored = cli.directory.appendingPathComponent("anchored.yaml")
        try form.write(to: anchored, atomically: true, encoding: .utf8)
        try Self.refused(cli, ["apply", "--file", anchored.path], "ivan", ["line 2", "anchors and aliases"], #_sourceLocation)
    }

    @Test func aliasBombInPolicy() throws {
        let cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let bomb = cli.directory.appendingPathComponent("bomb.yaml")
        try ("schema: ripa-register/policy-pack/v1\n" + Self.aliasBomb).write(to: bomb, atomically: true, encoding: .utf8)
        let bounded = try Self.bounded(cli, ["policy", "adopt", bomb.path, "--db", cli.db], as: "admin")
        try #require(bounded.status == 1 && bounded.stderr.contains("anchors and aliases"), "\(bounded.stderr)")
        try Self.refused(cli, ["policy", "adopt", bomb.path], "admin", ["bomb.yaml", "anchors and aliases"], #_sourceLocation)
    }

    // MARK: Control characters

    @Test("a control character, line break or bidi override in a one-line field is refused", arguments: [
        (["user", "add", "eve", "--name", "Eve\nmallory  Mallory  administrator  Admin  active", "--roles", "auditor", "--rank", "R"], "admin", "line break"),
        (["user", "add", "eve", "--name", "Eve", "--roles", "auditor", "--rank", "Officer\u{202E}nimda"], "admin", "bidirectional"),
        (["user", "add", "eve", "--name", "Eve\u{2028}X", "--roles", "auditor", "--rank", "R"], "admin", "line break"),
        (["user", "add", "eve", "--name", "Eve\u{85}X", "--roles", "auditor", "--rank", "R"], "admin", "U+0085"),
        (LifecycleCLI.application(operation: "Op\u{1B}[2J Kestrel"), "ivan", "'operation' contains a control character (U+001B)"),
        (["apply", "--type", "directed-surveillance", "--operation", "Op", "--purpose", "P", "--subject", "Sam\nX",
          "--offence", "fraud-act-2006-s1", "--necessity", "N", "--proportionality", "P", "--collateral-intrusion", "C"], "ivan", "subjects[0].name"),
        (["view", "https://www.facebook.com/someone", "--case", "FT-17\n99  2026-01-10  mo  facebook:x  FT-1  initial", "--purpose", "p"], "ivan", "case reference"),
        (["view", "https://www.facebook.com/someone", "--case", "FT-17", "--purpose", "look\u{7}"], "ivan", "purpose"),
    ] as [([String], String, String)])
    func controlCharacters(arguments: [String], user: String, mentioning: String) throws {
        let cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        var environment: [String: String] = [:]
        if arguments.starts(with: ["user", "add"]) { environment["RIPA_NEW_PASSPHRASE"] = CLI.passphrase(for: "eve") }
        let before = try AuthorisationBadInputTests.size(cli)
        let result = try cli.run(arguments, as: user, environment: environment)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(mentioning), "\(result.stderr)")
        #expect(try AuthorisationBadInputTests.size(cli) == before)
    }

    @Test func multiLineFreeTextKeepsItsNewlines() throws {
        let cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        var arguments = LifecycleCLI.application()
        arguments[arguments.firstIndex(of: "--necessity")! + 1] = "First, overt enquiries failed.\nSecond, the subject\tadvertises online."
        let urn = try LifecycleCLI.apply(cli, arguments)
        try cli.ok(["grant", urn, "--reasons", "Necessary:\n- overt enquiries failed\n- proportionate"], as: "mo")
        try Self.refused(cli, ["cancel", urn, "--reason", "bell\u{7}", "--value-obtained", "none"], "mo", ["'reason'", "U+0007"], #_sourceLocation)
        let status = try LifecycleCLI.status(cli, urn)
        #expect(status["application"]?["necessity"]?.stringValue?.contains("\nSecond") == true)
    }

    @Test("a revocation's reason takes no control characters (checked by the account rules, live and in replay)")
    func revocationReasonText() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        try cli.enrol("ivan", roles: "investigator")
        try Self.refused(cli, ["user", "revoke", "ivan", "--reason", "left\u{1B}[2J"], "admin", ["reason", "U+001B"], #_sourceLocation)
        try cli.ok(["user", "revoke", "ivan", "--reason", "left the council:\nsee HR note 12"], as: "admin")
        #expect(try cli.ok(["verify", "--replay"]).contains("OK"))
    }

    @Test("a row written behind the tool's back still prints as one row")
    func tablesEscapeWhatIsStored() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        try cli.enrol("ivan", roles: "investigator")
        try cli.ok(["view", "https://www.facebook.com/someone", "--case", "FT-17", "--purpose", "first look"], as: "ivan")
        try cli.sql("""
            UPDATE accounts SET document = CAST(replace(CAST(document AS TEXT), '"name":"Ivan"', '"name":"Ivan\\nmallory  Mallory  administrator  Boss  active"') AS BLOB) WHERE user_id = 'ivan';
            UPDATE views SET case_ref = 'FT-17' || char(10) || '99  2026  mallory' || char(27) || '[2J';
            """)
        let users = try cli.ok(["user", "list"])
        #expect(users.split(separator: "\n").count == 3, "\(users)")
        #expect(users.contains("Ivan\\nmallory"))
        let views = try cli.ok(["views"])
        #expect(views.split(separator: "\n").count == 2, "\(views)")
        #expect(views.contains("FT-17\\n99") && views.contains("\\u{1B}[2J") && !views.contains("\u{1B}"))
    }
}
