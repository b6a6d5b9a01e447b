import Foundation
import Ledger
import Testing

/// Runs the real `ripa` binary against a register in a temporary folder.
struct CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        var ok: Bool { status == 0 }
    }

    /// The folder holding the register; removed by `cleanUp`.
    let directory: URL
    var db: String { directory.appendingPathComponent("register.db").path }
    var keyFile: String { directory.appendingPathComponent("register.key").path }
    /// Passphrases by user id, used as $RIPA_PASSPHRASE when acting as them.
    var passphrases: [String: String] = [:]
    /// The fixed clock ($RIPA_CLOCK), if any.
    var clock: String?

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ripa-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The `ripa` binary the tests run: `$RIPA_BIN` (`make test` sets it to the binary it just
    /// built), else the one beside the test bundle (the same build), else the checkout's
    /// `.build/debug/ripa`. Never one found on PATH, which could be another version than the
    /// one under test. When there is none, `run` fails saying how to build it.
    static var binary: String { lookup.path }

    /// The path tried, and why it cannot be run (nil when it can).
    static let lookup: (path: String, problem: String?) = {
        let build = "build it with `swift build` (or run `make test`, which builds it and sets RIPA_BIN=$(swift build --show-bin-path)/ripa)"
        if let path = ProcessInfo.processInfo.environment["RIPA_BIN"] {
            return FileManager.default.isExecutableFile(atPath: path)
                ? (path, nil) : (path, "RIPA_BIN is \(path), which is not an executable ripa binary: \(build)")
        }
        var candidates: [URL] = []
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("ripa"))
            dir = dir.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let debug = root.appendingPathComponent(".build/debug/ripa")
        candidates.append(debug)
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) { return (found.path, nil) }
        return (debug.path, "no ripa binary beside the test bundle or at \(debug.path): \(build)")
    }()

    /// Runs `ripa ARGS --db <db>`; acting user's passphrase goes in $RIPA_PASSPHRASE.
    @discardableResult
    func run(_ arguments: [String], as user: String? = nil, environment extra: [String: String] = [:], withDB: Bool = true) throws -> Result {
        try #require(Self.lookup.problem == nil, "\(Self.lookup.problem ?? "")")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        var args = arguments
        if let user { args += ["--as", user] }
        if withDB { args += ["--db", db] }
        process.arguments = args
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "RIPA_PASSPHRASE")
        environment.removeValue(forKey: "RIPA_NEW_PASSPHRASE")
        environment.removeValue(forKey: "RIPA_DB")
        if let user, let passphrase = passphrases[user] { environment["RIPA_PASSPHRASE"] = passphrase }
        if let clock { environment["RIPA_CLOCK"] = clock }
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes before waiting so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs and requires success.
    @discardableResult
    func ok(_ arguments: [String], as user: String? = nil, environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments, as: user, environment: environment)
        #expect(result.status == 0, "ripa \(arguments.joined(separator: " ")) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// A passphrase for `id` that `PassphraseRule` accepts (NIST SP 800-63B-4: 15 characters or
    /// more, not containing the user's id or name): three words and the id shifted by a letter.
    static func passphrase(for id: String) -> String {
        "velvet orbit lantern " + String(String.UnicodeScalarView(id.unicodeScalars.map { Unicode.Scalar($0.value + 1) ?? $0 }))
    }

    /// A fresh test register with an administrator `admin`; `clock`, when given, is fixed
    /// before `init` (entry times never go backwards, so a register created "now" could not
    /// be moved back to an earlier date). The one place tests create registers: `init` invites
    /// the founding administrators, who accept with their own passphrases. `testRegister: false`
    /// makes a real register (two founders, `admin` and `bob`; keys sealed at Argon2id
    /// MODERATE; no fixed clock allowed), for the tests of what only a real register does.
    static func withRegister(origin: String = "ripa.test-council.gov.uk/register", clock: String? = nil, testRegister: Bool = true) throws -> CLI {
        var cli = try CLI()
        cli.clock = clock
        var arguments = ["init"] + (testRegister ? ["--test-register"] : []) + ["--origin", origin]
        for (id, name) in testRegister ? [("admin", "Ada Admin")] : [("admin", "Ada Admin"), ("bob", "Bob Second")] {
            arguments += ["--admin", id, "--admin-name", name]
        }
        let created = try JSONValue(parsing: try cli.ok(arguments + ["--json"]))
        for invitation in try #require(created["invitations"]?.arrayValue) {
            try cli.accept(try #require(invitation["user_id"]?.stringValue), code: try #require(invitation["code"]?.stringValue))
        }
        return cli
    }

    /// Accepts `id`'s invitation with the code, choosing the passphrase `passphrase(for: id)`.
    mutating func accept(_ id: String, code: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let passphrase = Self.passphrase(for: id)
        try ok(["user", "accept", id, "--code", code], environment: ["RIPA_NEW_PASSPHRASE": passphrase], sourceLocation: sourceLocation)
        passphrases[id] = passphrase
    }

    /// Invites `id` as `by` and returns the one-time code (`user add --json`).
    func invite(_ id: String, roles: String, rank: String = "Officer", extra: [String] = [], by admin: String = "admin", sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let out = try ok(["user", "add", id, "--name", id.capitalized, "--roles", roles, "--rank", rank, "--json"] + extra, as: admin, sourceLocation: sourceLocation)
        return try #require(try JSONValue(parsing: out)["code"]?.stringValue, sourceLocation: sourceLocation)
    }

    /// Enrols a user through the CLI: the administrator invites, the user accepts with their
    /// own passphrase.
    mutating func enrol(_ id: String, roles: String, rank: String = "Officer", extra: [String] = []) throws {
        let code = try invite(id, roles: roles, rank: rank, extra: extra)
        try accept(id, code: code)
    }

    /// Runs raw SQL against the register with the sqlite3 library via python3 (the
    /// attacker holding the database file).
    func sql(_ statements: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()", db, statements]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError(message: "sql failed: \(String(decoding: errData, as: UTF8.self))")
        }
    }

    struct CLIError: Error { let message: String }
}
