import Foundation
import Ledger
import Testing

/// Time is the register's, not the user's (issue 8 §1): a fixed clock is a property of a
/// test register, chosen at `init`, signed into the genesis entry and shown on every report.
@Suite struct TestRegisterTests {
    /// A real register: made without --test-register, so with the system clock only.
    /// Two founding administrators, `admin` and `bob`, each accepting their own invitation.
    static func realRegister() throws -> CLI {
        try CLI.withRegister(origin: "ripa.real-council.gov.uk/register", testRegister: false)
    }

    @Test("a user who sets $RIPA_CLOCK on a real register is refused, and nothing is written")
    func realRegisterRefusesAFixedClock() throws {
        var cli = try Self.realRegister()
        defer { cli.cleanUp() }
        let before = try cli.ok(["info", "--json"])
        // Backdating (a look under an authorisation long expired) and a clock pushed to 2099
        // (every live authorisation expired for everyone after) are the same attack.
        for clock in ["2025-01-01T09:00:00Z", "2099-01-01T09:00:00Z"] {
            for arguments in [["user", "add", "eve", "--name", "Eve", "--roles", "investigator", "--rank", "Officer"], ["status"], ["verify"]] {
                let result = try cli.run(arguments, as: arguments[0] == "user" ? "admin" : nil,
                                         environment: ["RIPA_CLOCK": clock, "RIPA_NEW_PASSPHRASE": CLI.passphrase(for: "eve")])
                #expect(result.status == 1, "ripa \(arguments.joined(separator: " ")) with RIPA_CLOCK=\(clock)")
                #expect(result.stderr.contains("real register"), "\(result.stderr)")
                #expect(result.stderr.split(separator: "\n").count == 1)
            }
        }
        #expect(try cli.ok(["info", "--json"]) == before, "nothing was written")
        cli.clock = nil
        let info = try JSONValue(parsing: try cli.ok(["info", "--json"]))
        #expect(info["test_register"] == .bool(false))
        #expect(!(try cli.ok(["status"])).contains("TEST REGISTER"))
    }

    @Test("init with $RIPA_CLOCK but without --test-register is refused and creates nothing")
    func initRefusesAClockWithoutTestRegister() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let result = try cli.run(["init", "--origin", "ripa.real-council.gov.uk/register", "--admin", "admin"],
                                 environment: ["RIPA_PASSPHRASE": CLI.passphrase(for: "admin"), "RIPA_CLOCK": "2026-01-01T00:00:00Z"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--test-register"))
        #expect(!FileManager.default.fileExists(atPath: cli.db))
        #expect(!FileManager.default.fileExists(atPath: cli.keyFile))
    }

    @Test("a test register is signed as one at genesis and says so on status, record central, verify and info")
    func testRegisterIsMarkedEverywhere() throws {
        let cli = try CLI.withRegister(clock: "2026-03-02T09:00:00Z")
        defer { cli.cleanUp() }
        let genesis = try #require(try cli.ok(["log", "--json"]).split(separator: "\n").first)
        let entry = try Entry(leafData: Array(genesis.utf8))
        #expect(entry.body["test_register"] == .bool(true))
        #expect(entry.time.description == "2026-03-02T09:00:00.000Z")
        for arguments in [["status"], ["record", "central"], ["verify"], ["info"], ["due"]] {
            let out = try cli.ok(arguments)
            #expect(out.hasPrefix("TEST REGISTER"), "ripa \(arguments.joined(separator: " ")): \(out)")
        }
        for arguments in [["record", "central", "--format", "json"], ["verify", "--json"], ["info", "--json"]] {
            let json = try JSONValue(parsing: try cli.ok(arguments))
            #expect(json["test_register"] == .bool(true), "ripa \(arguments.joined(separator: " "))")
        }
        let csv = try cli.run(["record", "central", "--format", "csv"])
        #expect(csv.ok && csv.stdout.hasPrefix("Type of authorisation,") && csv.stderr.hasPrefix("TEST REGISTER"))
    }
}
