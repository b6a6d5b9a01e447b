import Foundation
import Ledger
import Testing

/// Destruction is real (issue 11 §5): once a case's personal data is destroyed, nothing of it
/// can be recovered from the database file, its WAL or SHM — not even by someone who also holds
/// the data-protection key — while every entry still verifies.
@Suite struct DestructionTests {
    /// The populated register of `PersonalDataAtRestTests`, cancelled, then six years on
    /// destroyed by two administrators (`admin` requests; the test register's only other
    /// administrator is itself, as a test register allows).
    static func destroyed() throws -> (gate: GateRegister, sealedKey: String, urn: String) {
        var gate = try PersonalDataAtRestTests.populated()
        let urn = "DS-2026-0001"
        try gate.cancel(urn)
        let sealedKey = try AccountTests.query(gate.cli, "SELECT CAST(sealed AS TEXT) FROM data_keys WHERE name = '\(urn)'")
        #expect(sealedKey.count > 40, "the case has a sealed data key: \(sealedKey)")
        gate.cli.clock = "2032-06-01T09:00:00Z"
        let requested = try JSONValue(parsing: try gate.cli.ok(["retention", "apply", "--json"], as: "admin"))
        let seq = try #require(requested["request"]?["seq"]?.integerValue)
        try gate.cli.ok(["retention", "approve", "--request", String(seq)], as: "admin")
        return (gate, sealedKey, urn)
    }

    @Test("after destruction the case's sealed data key is in no byte of the database, WAL or SHM")
    func theKeyIsGoneFromEveryByte() throws {
        let (gate, sealedKey, urn) = try Self.destroyed()
        defer { gate.cleanUp() }
        #expect(try AccountTests.query(gate.cli, "SELECT sealed IS NULL AND destroyed_seq IS NOT NULL FROM data_keys WHERE name = '\(urn)'") == "1")
        let bytes = try PersonalDataAtRestTests.storeBytes(gate.cli)
        #expect(!PersonalDataAtRestTests.contains(bytes, sealedKey), "the destroyed key's sealed bytes survive in the files")
        // Nor half of it (a page split or a freelist leaf keeping a fragment).
        #expect(!PersonalDataAtRestTests.contains(bytes, String(sealedKey.prefix(24))))
        for secret in [PersonalDataAtRestTests.name, PersonalDataAtRestTests.homeAddress, "zebedee.quartermain"] {
            #expect(!PersonalDataAtRestTests.contains(bytes, secret), "\(secret)")
        }
    }

    @Test("after destruction the register reads the fields as destroyed, even with its data-protection key, and verify passes")
    func readsAsDestroyedAndVerifies() throws {
        let (gate, _, urn) = try Self.destroyed()
        defer { gate.cleanUp() }
        let opened = try gate.cli.ok(["log", "--json", "--opened"])
        #expect(!opened.contains(PersonalDataAtRestTests.name) && !opened.contains("zebedee"))
        #expect(opened.contains("[personal data destroyed]"))
        let status = try gate.cli.ok(["status", urn])
        #expect(!status.contains(PersonalDataAtRestTests.name), "\(status)")
        let verify = try gate.cli.run(["verify", "--replay"])
        #expect(verify.ok, "\(verify.stderr)")
        #expect(verify.stdout.contains("not re-checked in full"), "\(verify.stdout)")
        // The signed bytes are unchanged: every entry and the tree still verify without replay.
        #expect(try gate.cli.run(["verify"]).ok)
    }

    // MARK: Aliases

    static let aliasHandle = "https://x.com/quentin_marlow_77"
    static let aliasID = "https://x.com/i/user/918273645501"
    static let aliasEvidence = "Quentin's profile page shows the handle with user id 918273645501"

    /// A register whose pack counts looks over a 30-day window (so a year's tag key falls
    /// due), with an alias recorded by the monitoring officer and a look at each identifier.
    static func aliased() throws -> GateRegister {
        let gate = try GateRegister.make(application: false)
        try ViewingGateCLITests().adoptWindow(gate, allowed: 1, days: 30)
        try gate.cli.ok(["alias", aliasHandle, aliasID, "--evidence", aliasEvidence], as: "mo")
        #expect(try gate.view(aliasHandle).ok)
        // Counted as one: the other identifier has had its first look.
        let repeatLook = try gate.view(aliasID, as: "ivy")
        #expect(repeatLook.status == 2 && repeatLook.stderr.contains("already had"), "\(repeatLook.stderr)")
        return gate
    }

    static let aliasSecrets = ["quentin_marlow_77", "918273645501", "Quentin's profile page"]

    @Test("an alias's profile keys and evidence are in no byte of the files; the gate still counts the two as one, and replay agrees")
    func anAliasIsSealedAtRest() throws {
        let gate = try Self.aliased()
        defer { gate.cleanUp() }
        let bytes = try PersonalDataAtRestTests.storeBytes(gate.cli)
        for secret in Self.aliasSecrets {
            #expect(!PersonalDataAtRestTests.contains(bytes, secret), "\(secret) is in the store's files")
        }
        // As signed: sealed under the tag key of its year; the projection holds tags only.
        let stored = try gate.cli.ok(["log", "--json"]).split(separator: "\n").map { try Entry(leafData: Array($0.utf8)) }
        let alias = try #require(stored.first { $0.kind == "profile.aliased" })
        #expect(alias.body["profiles"] == nil && alias.body["evidence"] == nil)
        #expect(alias.body["sealed"]?["case"] == "tags:2026")
        let rows = try SecretsAtRestTests.query(gate.cli, "SELECT profile_key FROM profile_aliases")
        #expect(rows.count == 2 && rows.allSatisfy { $0.hasPrefix("t1:") }, "\(rows)")
        // The register, holding the data-protection key, reads them back.
        let list = try #require(try JSONValue(parsing: try gate.cli.ok(["aliases", "--json"])).arrayValue)
        #expect(list.first?["profiles"] == ["x:quentin_marlow_77", "x:id:918273645501"])
        #expect(list.first?["group"] == ["x:id:918273645501", "x:quentin_marlow_77"])
        #expect(list.first?["evidence"] == .string(Self.aliasEvidence))
        try gate.replayVerifies()
    }

    @Test("alias projection rows deleted (the account split in two) are found by replay, and a rebuild from the log joins it again")
    func anEditedAliasProjectionIsCaught() throws {
        let gate = try Self.aliased()
        defer { gate.cleanUp() }
        // The attacker splits the account: the rows go, so the id would have a first look of its own.
        try gate.cli.sql("DELETE FROM profile_aliases;")
        let replay = try gate.cli.run(["verify", "--replay"])
        #expect(!replay.ok && replay.stderr.contains("profile aliases"), "\(replay.stdout) \(replay.stderr)")
        // A rebuild from the log puts the account back together.
        try gate.cli.ok(["rebuild"], as: "admin")
        let again = try gate.view(Self.aliasID, as: "ivy")
        #expect(again.status == 2 && again.stderr.contains("already had"), "\(again.stderr)")
        try gate.replayVerifies()
    }

    @Test("once its year's tag key is destroyed, no byte of the files holds the alias's sealed key or profile addresses; it reads as destroyed, links nothing, and verify --replay passes")
    func anAliasIsDestroyedWithItsYearsTagKey() throws {
        var gate = try Self.aliased()
        defer { gate.cleanUp() }
        let sealedKey = try AccountTests.query(gate.cli, "SELECT CAST(sealed AS TEXT) FROM data_keys WHERE name = 'tags:2026'")
        #expect(sealedKey.count > 40, "the year has a sealed tag key: \(sealedKey)")
        gate.cli.clock = "2032-06-01T09:00:00Z"
        let requested = try JSONValue(parsing: try gate.cli.ok(["retention", "apply", "--json"], as: "admin"))
        let seq = try #require(requested["request"]?["seq"]?.integerValue)
        try gate.cli.ok(["retention", "approve", "--request", String(seq)], as: "admin")
        #expect(try AccountTests.query(gate.cli, "SELECT sealed IS NULL AND destroyed_seq IS NOT NULL FROM data_keys WHERE name = 'tags:2026'") == "1")

        let bytes = try PersonalDataAtRestTests.storeBytes(gate.cli)
        #expect(!PersonalDataAtRestTests.contains(bytes, sealedKey), "the destroyed tag key's sealed bytes survive in the files")
        #expect(!PersonalDataAtRestTests.contains(bytes, String(sealedKey.prefix(24))))
        for secret in Self.aliasSecrets {
            #expect(!PersonalDataAtRestTests.contains(bytes, secret), "\(secret) is in the store's files")
        }
        // No projection row links the two any more, and the register, with its key, reads nothing.
        #expect(try AccountTests.query(gate.cli, "SELECT count(*) FROM profile_aliases") == "0")
        let list = try #require(try JSONValue(parsing: try gate.cli.ok(["aliases", "--json"])).arrayValue)
        #expect(list.first?["profiles"] == ["[personal data destroyed]", "[personal data destroyed]"])
        #expect(list.first?["group"] == [])
        let opened = try gate.cli.ok(["log", "--json", "--opened"])
        for secret in Self.aliasSecrets { #expect(!opened.contains(secret), "\(secret)") }
        let verify = try gate.cli.run(["verify", "--replay"])
        #expect(verify.ok, "\(verify.stdout) \(verify.stderr)")
        #expect(verify.stdout.contains("not re-checked in full"), "\(verify.stdout)")
        // A rebuild from the log projects the destroyed alias as nothing, not as an exception.
        let rebuilt = try JSONValue(parsing: try gate.cli.ok(["rebuild", "--json"], as: "admin"))
        #expect(rebuilt["exceptions"]?.arrayValue?.contains { $0["kind"] == "profile.aliased" } == false, "\(rebuilt)")
        #expect(try AccountTests.query(gate.cli, "SELECT count(*) FROM profile_aliases") == "0")
        // The account may be recorded again, as a new alias of this year.
        try gate.cli.ok(["alias", Self.aliasHandle, Self.aliasID, "--evidence", Self.aliasEvidence], as: "mo")
        try gate.replayVerifies()
    }
}
