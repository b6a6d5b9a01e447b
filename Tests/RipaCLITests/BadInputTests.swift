import Foundation
import Ledger
import Testing

/// Bad input gets one clear line on stderr, a non-zero exit, and nothing written.
@Suite struct BadInputTests {
    func size(_ cli: CLI) throws -> Int64? {
        try JSONValue(parsing: try cli.ok(["info", "--json"]))["size"]?.integerValue
    }

    func expectRefused(_ cli: CLI, _ arguments: [String], as user: String? = nil, environment: [String: String] = [:], mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try size(cli)
        let result = try cli.run(arguments, as: user, environment: environment)
        #expect(result.status != 0, "ripa \(arguments) should fail", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one line, got: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.localizedCaseInsensitiveContains(text), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(try size(cli) == before, "something was written", sourceLocation: sourceLocation)
    }

    @Test func missingDatabase() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let result = try cli.run(["info"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no register at"))
        #expect(!FileManager.default.fileExists(atPath: cli.db))
    }

    @Test func foreignDatabase() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try "not a database at all, just some text".write(toFile: cli.db, atomically: true, encoding: .utf8)
        let result = try cli.run(["verify"])
        #expect(result.status != 0 && result.stderr.contains("not a ripa register"))
        try FileManager.default.removeItem(atPath: cli.db)
        try cli.sql("CREATE TABLE other (x);")
        let sqlite = try cli.run(["log"])
        #expect(sqlite.stderr.contains("not a ripa register"))
    }

    @Test func initNeverOverwrites() throws {
        let cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        try expectRefused(cli, ["init", "--origin", "x.example/register", "--admin", "eve"], environment: ["RIPA_PASSPHRASE": "whatever passphrase"], mentioning: "already exists")
    }

    @Test func badOriginAndShortPassphraseWriteNothing() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let bad = try cli.run(["init", "--origin", "has space", "--admin", "admin"], environment: ["RIPA_PASSPHRASE": CLI.passphrase(for: "admin")])
        #expect(bad.status != 0 && bad.stderr.contains("origin"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).isEmpty)
        // The person, not init, chooses the passphrase: a short one is refused at acceptance.
        let created = try JSONValue(parsing: try cli.ok(["init", "--test-register", "--origin", "ok.example/register", "--admin", "admin", "--json"]))
        let code = try #require(created["invitations"]?.arrayValue?.first?["code"]?.stringValue)
        try expectRefused(cli, ["user", "accept", "admin", "--code", code], environment: ["RIPA_NEW_PASSPHRASE": "short"], mentioning: "at least 15")
    }

    @Test func missingKeyFile() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        try FileManager.default.removeItem(atPath: cli.keyFile)
        cli.passphrases["admin"] = CLI.passphrase(for: "admin")
        try expectRefused(cli, ["user", "add", "ivan", "--name", "Ivan", "--roles", "investigator", "--rank", "Officer"], as: "admin", environment: ["RIPA_NEW_PASSPHRASE": CLI.passphrase(for: "ivan")], mentioning: "key file")
    }

    @Test func wrongPassphraseUnknownUserAndRole() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        try cli.enrol("ivan", roles: "investigator")
        let add = ["user", "add", "eve", "--name", "Eve", "--roles", "auditor", "--rank", "Officer"]
        try expectRefused(cli, add, as: "admin", environment: ["RIPA_PASSPHRASE": "not the passphrase", "RIPA_NEW_PASSPHRASE": CLI.passphrase(for: "eve")], mentioning: "wrong passphrase")
        try expectRefused(cli, add, as: "nobody", environment: ["RIPA_PASSPHRASE": "whatever pass", "RIPA_NEW_PASSPHRASE": CLI.passphrase(for: "eve")], mentioning: "no user 'nobody'")
        try expectRefused(cli, add, as: "ivan", environment: ["RIPA_NEW_PASSPHRASE": CLI.passphrase(for: "eve")], mentioning: "needs administrator")
        try expectRefused(cli, ["user", "add", "Bad Id", "--name", "X", "--roles", "auditor", "--rank", "R"], as: "admin", environment: ["RIPA_NEW_PASSPHRASE": CLI.passphrase(for: "eve")], mentioning: "not allowed")
        try expectRefused(cli, ["user", "add", "eve", "--name", "X", "--roles", "wizard", "--rank", "R"], as: "admin", environment: ["RIPA_NEW_PASSPHRASE": CLI.passphrase(for: "eve")], mentioning: "unknown role")
        try expectRefused(cli, ["user", "revoke", "admin", "--reason", "x"], as: "admin", mentioning: "cannot revoke themselves")
    }

    @Test func malformedCheckpointAndVerifierKey() throws {
        let cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let file = cli.directory.appendingPathComponent("bad.txt")
        try "this is not a checkpoint\n".write(to: file, atomically: true, encoding: .utf8)
        try expectRefused(cli, ["verify", "--checkpoint", file.path], mentioning: "kept checkpoint is malformed")
        try expectRefused(cli, ["verify", "--checkpoint", cli.directory.appendingPathComponent("absent").path], mentioning: "cannot read")
        try expectRefused(cli, ["verify", "--key", "example.com+zzzz+AAAA"], mentioning: "key")
    }

    @Test func indexBeyondTheTree() throws {
        let cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        try expectRefused(cli, ["proof", "inclusion", "--index", "4"], mentioning: "beyond")
        try expectRefused(cli, ["proof", "inclusion", "--index", "0", "--size", "9"], mentioning: "beyond")
        try expectRefused(cli, ["proof", "consistency", "--old", "3", "--new", "2"], mentioning: "old size")
        try expectRefused(cli, ["log", "--from", "10"], mentioning: "beyond")
    }
}
