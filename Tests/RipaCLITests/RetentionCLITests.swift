import Foundation
import Ledger
import Testing

/// `ripa retention` end to end on the built binary: due, hold, apply refused while held,
/// release, apply, approve, list, and the central record and verify afterwards.
@Suite struct RetentionCLITests {
    @Test func dueHoldApplyApproveThroughTheBinary() throws {
        var gate = try GateRegister.make(application: true)
        defer { gate.cleanUp() }
        let urn = try #require(gate.urn)
        try gate.authorise(urn)
        try gate.cancel(urn)

        #expect(try JSONValue(parsing: try gate.cli.ok(["retention", "due", "--json"]))["cases"] == [])
        gate.cli.clock = "2032-01-05T09:00:00Z"
        let due = try JSONValue(parsing: try gate.cli.ok(["retention", "due", "--json"]))
        let cases = try #require(due["cases"]?.arrayValue)
        #expect(cases.count == 1 && cases[0]["case"]?.stringValue == urn && cases[0]["rule"] == "central-record" && cases[0]["held"] == false)
        #expect(cases[0]["due_on"] == "2031-01-11", "5 years after the cancellation on 10 January 2026, the day after")

        let hold = try JSONValue(parsing: try gate.cli.ok(["retention", "hold", urn, "--reason", "IPT complaint IPT/26/0042", "--json"], as: "mo"))
        #expect(hold["case"]?.stringValue == urn)
        let refused = try gate.cli.run(["retention", "apply"], as: "admin")
        #expect(!refused.ok && refused.stderr.contains("legal hold"), "\(refused.stderr)")
        #expect(try gate.cli.ok(["retention", "list"]).contains("held"))

        try gate.cli.ok(["retention", "release", urn, "--reason", "complaint dismissed"], as: "mo")
        let requested = try JSONValue(parsing: try gate.cli.ok(["retention", "apply", "--json"], as: "admin"))
        let seq = try #require(requested["request"]?["seq"]?.integerValue)
        let approved = try JSONValue(parsing: try gate.cli.ok(["retention", "approve", "--request", String(seq), "--json"], as: "admin"))
        #expect(approved["compacted"] == true && approved["cases"]?.arrayValue?.first?["case"]?.stringValue == urn)

        let list = try gate.cli.ok(["retention", "list"])
        #expect(list.contains("destroyed") && list.contains("personal data destroyed on 2032-01-05 under central-record"), "\(list)")
        let record = try gate.cli.ok(["record", "central", "--format", "json"])
        #expect(record.contains("personal data destroyed on 2032-01-05 under central-record"))
        #expect(!record.contains("Jo Bloggs"))
        let verify = try gate.cli.run(["verify", "--replay"])
        #expect(verify.ok, "\(verify.stderr)")
        // Approved once: a second approval of the same request is refused.
        let again = try gate.cli.run(["retention", "approve", "--request", String(seq)], as: "admin")
        #expect(!again.ok && again.stderr.contains("not a destruction request awaiting approval"), "\(again.stderr)")
    }
}
