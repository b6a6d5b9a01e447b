import Foundation
import Ledger
import Testing

/// Issue 10 §3 from the command line: a decision records the moment `ripa` unsealed the key
/// with the passphrase just given, and `ripa serve`'s session flags only shorten the pack.
@Suite struct SignerAuthenticationCLITests {
    /// The entries of `ripa log --json`, parsed.
    static func entries(_ cli: CLI) throws -> [JSONValue] {
        try cli.ok(["log", "--json"]).split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    @Test func aCommandRecordsTheUnlockOfThePassphraseJustGiven() throws {
        var cli = try CLI.withRegister(clock: "2026-03-02T09:00:00Z")
        defer { cli.cleanUp() }
        cli.clock = "2026-03-02T09:30:00Z"
        try cli.enrol("ivan", roles: "investigator")
        let invited = try #require(try Self.entries(cli).last { $0["kind"] == .string("user.invited") })
        #expect(invited["time"] == .string("2026-03-02T09:30:00.000Z"))
        #expect(invited["body"]?["authenticated_at"] == .string("2026-03-02T09:30:00.000Z"))
        // The founder's invitation, signed by the register key at init, carries none.
        let founder = try #require(try Self.entries(cli).first { $0["kind"] == .string("user.invited") })
        #expect(founder["body"]?["authenticated_at"] == nil)
        try cli.ok(["verify", "--replay"])
    }

    @Test func serveRefusesSessionFlagsBeyondTheRegistersBound() throws {
        let cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let idle = try cli.run(["serve", "--idle-minutes", "480"])
        #expect(idle.status != 0)
        #expect(idle.stderr.contains("--idle-minutes 480 is out of range: give 1 to 30"), "\(idle.stderr)")
        let lifetime = try cli.run(["serve", "--lifetime-hours", "24"])
        #expect(lifetime.status != 0)
        #expect(lifetime.stderr.contains("give 1 to 12"), "\(lifetime.stderr)")
    }
}
