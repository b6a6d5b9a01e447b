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
}
