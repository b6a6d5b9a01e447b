import Foundation
import Ledger
import Testing

/// Who records a JP's decision, and the JP's order kept with it (issue 8 §2; RIPA.md §2–3;
/// Code of Practice 2018 para 8.2).
@Suite struct JudicialRecordTests {
    static func register() throws -> (CLI, String) {
        var cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        try cli.enrol("ivy", roles: "investigator", rank: "Fraud Investigator")
        let urn = try LifecycleCLI.apply(cli, LifecycleCLI.application())
        try LifecycleCLI.grant(cli, urn)
        cli.clock = "2026-01-11T12:00:00Z"
        return (cli, urn)
    }

    static let judicial = ["--decision", "approved", "--court", "Anytown Magistrates' Court", "--magistrate", "J. Bench JP", "--at", "2026-01-11T10:00:00Z"]

    @Test("an investigator outside the case may not record its JP decision; a monitoring officer may, and the central record names who did")
    func onlyTheCaseOrAMonitoringOfficerRecords() throws {
        let (cli, urn) = try Self.register()
        defer { cli.cleanUp() }
        try AccountTests.expectRefused(cli, ["judicial", urn] + Self.judicial, as: "ivy", mentioning: "neither the applicant")
        try cli.ok(["judicial", urn] + Self.judicial, as: "ceo")
        let record = try JSONValue(parsing: try cli.ok(["record", "central", "--format", "json"]))
        let row = try #require(record["authorisations"]?.arrayValue?.first)
        #expect(row["judicial_approval"]?["recorded_by"] == ["user_id": "ceo", "name": "Ceo", "rank": "Chief Executive"])
        let csv = try cli.ok(["record", "central", "--format", "csv"])
        #expect(csv.contains("recorded by Ceo (Chief Executive)"))
        #expect(try cli.ok(["verify", "--replay"]).contains("OK"))
    }

    @Test("a JP decision forged by an investigator outside the case fails verify --replay")
    func forgedRecordingFailsReplay() throws {
        let (cli, urn) = try Self.register()
        defer { cli.cleanUp() }
        let sealed = try AccountTests.query(cli, "SELECT sealed FROM sealed_keys WHERE user_id = 'ivy'")
        let ivy = try AccountTests.stolenKey(cli, sealed, passphrase: CLI.passphrase(for: "ivy"))
        // Stamped as the register stamps a decision (at the forged entry's time, the last one's),
        // so the replay reaches the rule this forgery breaks.
        let last = try #require(try LifecycleCLI.entries(cli).last)
        let body: JSONValue = [
            "urn": .string(urn), "decision": "approved", "court": "Invented Court", "magistrate": "Nobody JP",
            "decided_at": "2026-01-11T10:00:00.000Z", "authenticated_at": .string(last.time.description),
        ]
        let seq = try AccountTests.forge(cli, kind: "judicial.decision", body: body, signedBy: ivy)
        let result = try cli.run(["verify", "--replay", "--json"])
        #expect(result.status == 1)
        let json = try JSONValue(parsing: result.stdout)
        #expect(json["index"] == .integer(Int64(seq)) && json["check"] == "replay", "\(result.stdout)")
        #expect(result.stderr.contains("neither the applicant"))
    }

    @Test("--order keeps the JP's order by its SHA-256; document show returns it; verify catches it altered or missing")
    func theOrderIsKept() throws {
        let (cli, urn) = try Self.register()
        defer { cli.cleanUp() }
        let order = cli.directory.appendingPathComponent("order.pdf")
        let bytes = Data((0..<5000).map { UInt8($0 % 251) })
        try bytes.write(to: order)
        let hash = Hash.sha256([UInt8](bytes)).hex
        let out = try cli.ok(["judicial", urn] + Self.judicial + ["--order", order.path], as: "ivan")
        #expect(out.contains(hash))
        let entry = try #require(try LifecycleCLI.entries(cli).last)
        #expect(entry.body["order"]?.stringValue == hash)
        let record = try cli.ok(["record", "central", "--format", "csv"])
        #expect(record.contains("order sha256 \(hash)"))

        let back = cli.directory.appendingPathComponent("back.pdf")
        try cli.ok(["document", "show", hash, "--out", back.path])
        #expect(try Data(contentsOf: back) == bytes)
        try AccountTests.expectRefused(cli, ["document", "show", String(repeating: "a", count: 64), "--out", cli.directory.appendingPathComponent("x").path], mentioning: "no document")
        #expect(try cli.ok(["verify", "--replay"]).contains("OK"))

        try cli.sql("DROP TRIGGER documents_no_update; UPDATE documents SET content = x'00' WHERE hash = '\(hash)';")
        try AccountTests.expectVerifyFails(cli, index: entry.seq, check: "document", mentioning: "altered")
        try cli.sql("DELETE FROM documents;")
        try AccountTests.expectVerifyFails(cli, index: entry.seq, check: "document", mentioning: "not in the document store")
    }

    @Test("an order over 20 MB is refused and nothing is written")
    func tooLargeAnOrderIsRefused() throws {
        let (cli, urn) = try Self.register()
        defer { cli.cleanUp() }
        let order = cli.directory.appendingPathComponent("huge.pdf")
        FileManager.default.createFile(atPath: order.path, contents: nil)
        let handle = try FileHandle(forWritingTo: order)
        try handle.truncate(atOffset: UInt64(20 * 1024 * 1024 + 1))
        try handle.close()
        try AccountTests.expectRefused(cli, ["judicial", urn] + Self.judicial + ["--order", order.path], as: "ivan", mentioning: "at most 20 MB")
    }
}
