import Foundation
import Ledger
import Testing

/// Issue 9 §3: the domain's errors name no command; the CLI adds its hint, naming the command
/// or flag to use, on the same one line, and `--json` gives the error as data with the hint.
@Suite struct ErrorHintCLITests {
    @Test func anUnknownUserIsToldWhichCommandListsUsers() throws {
        let cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let result = try cli.run(
            ["user", "add", "eve", "--name", "Eve Evans", "--roles", "auditor", "--rank", "Auditor"], as: "nobody",
            environment: ["RIPA_PASSPHRASE": "an unremarkable passphrase of some length"])
        #expect(result.status == 1)
        #expect(result.stderr == "Error: no user 'nobody' is enrolled; `ripa user list` shows who is\n", "\(result.stderr)")
    }

    @Test func aMissingDatabaseIsToldHowToCreateOne() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let result = try cli.run(["info"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no register at \(cli.db); create one with `ripa init` or pass --db PATH"), "\(result.stderr)")
    }

    @Test func jsonErrorsCarryTheCodeReasonValuesMessageAndHint() throws {
        let gate = try GateRegister.make()
        defer { gate.cleanUp() }
        let result = try gate.cli.run(
            ["view", GateRegister.address, "--case", " ", "--purpose", "p", "--json"], as: "ivan")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        let error = try #require(try JSONValue(parsing: result.stderr.trimmingCharacters(in: .newlines))["error"])
        #expect(error["code"] == "badInput")
        #expect(error["reason"] == "input.missing")
        #expect(error["values"] == ["field": "case_ref"])
        #expect(error["message"]?.stringValue?.contains("every view needs a case reference") == true, "\(error)")
        #expect(error["message"]?.stringValue?.contains("--") == false)
        #expect(error["hint"] == "give it with --case")
        // Without --json, the same on one line: the message, then the hint.
        let text = try gate.cli.run(["view", GateRegister.address, "--case", " ", "--purpose", "p"], as: "ivan")
        #expect(text.stderr.hasPrefix("Error: every view needs a case reference"), "\(text.stderr)")
        #expect(text.stderr.hasSuffix("; give it with --case\n"), "\(text.stderr)")
    }

    @Test func aRefusedViewNamesTheFlagToCiteAndTheCommandToApply() throws {
        let gate = try GateRegister.make()
        defer { gate.cleanUp() }
        #expect(try gate.view().status == 0)
        let refused = try gate.view()
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("view refused: facebook:"), "\(refused.stderr)")
        #expect(refused.stderr.contains("initial examination; repeat viewing is directed surveillance"), "\(refused.stderr)")
        #expect(refused.stderr.contains("; apply for a directed surveillance authorisation naming this profile (`ripa apply`)"), "\(refused.stderr)")
    }
}
