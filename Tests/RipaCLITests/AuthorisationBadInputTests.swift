import Foundation
import Ledger
import Testing

/// Bad input to the authorisation commands: one clear line on stderr, a non-zero exit, and
/// nothing written (the register's size is unchanged).
@Suite struct AuthorisationBadInputTests {
    static func size(_ cli: CLI) throws -> Int64? {
        try JSONValue(parsing: try cli.ok(["info", "--json"]))["size"]?.integerValue
    }

    /// Runs a command that must fail, and checks the one line and that nothing was written.
    static func refused(
        _ cli: CLI, _ arguments: [String], as user: String? = nil, mentioning texts: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try size(cli)
        let result = try cli.run(arguments, as: user)
        #expect(result.status != 0, "ripa \(arguments.joined(separator: " ")) should fail", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one line on stderr, got: \(result.stderr)", sourceLocation: sourceLocation)
        for text in texts {
            #expect(result.stderr.localizedCaseInsensitiveContains(text), "'\(text)' not in: \(result.stderr)", sourceLocation: sourceLocation)
        }
        #expect(try size(cli) == before, "something was written by ripa \(arguments.joined(separator: " "))", sourceLocation: sourceLocation)
    }

    static func refused(_ cli: CLI, _ arguments: [String], as user: String? = nil, mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try refused(cli, arguments, as: user, mentioning: [text], sourceLocation: sourceLocation)
    }

    /// `apply` arguments without one flag (and its value).
    static func without(_ flag: String, _ arguments: [String]) -> [String] {
        guard let index = arguments.firstIndex(of: flag) else { return arguments }
        var copy = arguments
        copy.removeSubrange(index...(index + 1))
        return copy
    }

    // MARK: Applications

    @Test("a missing required flag is named", arguments: [
        ("--type", "--type"), ("--operation", "--operation"), ("--purpose", "--purpose"), ("--necessity", "--necessity"),
        ("--proportionality", "--proportionality"), ("--collateral-intrusion", "--collateral-intrusion"),
        ("--subject", "--subject"), ("--offence", "offences"),
    ])
    func missingFlag(flag: String, named: String) throws {
        let cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        try Self.refused(cli, Self.without(flag, LifecycleCLI.application()), as: "ivan", mentioning: named)
        // A blank value is as good as missing.
        if flag != "--offence" && flag != "--type" {
            var blank = LifecycleCLI.application()
            blank[blank.firstIndex(of: flag)! + 1] = "  "
            try Self.refused(cli, blank, as: "ivan", mentioning: flag == "--subject" ? "name" : named)
        }
    }

    static let completeForm = """
        type: directed-surveillance
        operation: Op Falcon
        purpose: To detect fraud
        subjects:
          - name: Alex Trader
        offences: [fraud-act-2006-s1]
        necessity: Needed
        proportionality: Limited
        collateral_intrusion: Minimal
        """

    @Test("an application file with a missing, unknown or mistyped field is refused, naming it", arguments: [
        ("operation: Op Falcon\n", "", "'operation'"),
        ("necessity: Needed\n", "", "'necessity'"),
        ("subjects:\n  - name: Alex Trader\n", "subjects: []\n", "at least one subject"),
        ("offences: [fraud-act-2006-s1]\n", "offences: []\n", "offences"),
        ("offences: [fraud-act-2006-s1]\n", "offences: [no-such-offence]\n", "offences.yaml"),
        ("type: directed-surveillance\n", "type: wiretap\n", "unknown type"),
        ("necessity: Needed\n", "necessity: Needed\ncolour: blue\n", "unknown field 'colour'"),
        ("subjects:\n  - name: Alex Trader\n", "subjects:\n  - name: Alex Trader\n    online_identities: [not a web address]\n", "online identity"),
        ("necessity: Needed\n", "necessity: Needed\nrequested_duration_months: lots\n", "requested_duration_months"),
        ("necessity: Needed\n", "necessity: Needed\nteam: [ghost]\n", "ghost"),
        ("type: directed-surveillance\n", "type: [directed-surveillance\n", "not valid YAML"),
    ])
    func badFile(replacing: String, with replacement: String, mentioning: String) throws {
        let cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        let form = Self.completeForm + "\n"
        #expect(form.contains(replacing), "the table's text must be in the form")
        let path = cli.directory.appendingPathComponent("form.yaml").path
        try form.replacingOccurrences(of: replacing, with: replacement).write(toFile: path, atomically: true, encoding: .utf8)
        try Self.refused(cli, ["apply", "--file", path], as: "ivan", mentioning: mentioning)
        // The unchanged form is accepted, so the failure was the field's; but not with flags beside it.
        try form.write(toFile: path, atomically: true, encoding: .utf8)
        try Self.refused(cli, ["apply", "--file", path, "--type", "chis"], as: "ivan", mentioning: "not both")
        try Self.refused(cli, ["apply", "--file", path, "--confidential-information-likely"], as: "ivan", mentioning: "not both")
        #expect(try LifecycleCLI.apply(cli, ["apply", "--file", path]) == "DS-2026-0001")
    }

    @Test("unknown offence, unknown type, unknown team member, an identity that is not a web address, a missing file")
    func badApplicationValues() throws {
        let cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        try Self.refused(cli, LifecycleCLI.application(offences: ["fraud-act-2006-s99"]), as: "ivan",
                         mentioning: ["fraud-act-2006-s99", "not in the offence catalogue", "offences.yaml", "ripa policy adopt"])
        // Unknown even for CHIS, which the threshold does not bind.
        try Self.refused(cli, LifecycleCLI.application(type: "chis", offences: ["made-up"]), as: "ivan", mentioning: "offences.yaml")
        var wiretap = LifecycleCLI.application()
        wiretap[wiretap.firstIndex(of: "--type")! + 1] = "wiretap"
        try Self.refused(cli, wiretap, as: "ivan", mentioning: ["unknown type 'wiretap'", "directed-surveillance"])
        try Self.refused(cli, LifecycleCLI.application(extra: ["--team", "ghost"]), as: "ivan", mentioning: "team member 'ghost'")
        try Self.refused(cli, LifecycleCLI.application(extra: ["--online-identity", "not a web address"]), as: "ivan", mentioning: "online identity")
        try Self.refused(cli, LifecycleCLI.application(extra: ["--online-identity", "Nobody=https://x.com/someone"]), as: "ivan", mentioning: "Nobody")
        try Self.refused(cli, LifecycleCLI.application(extra: ["--duration-months", "0"]), as: "ivan", mentioning: "at least 1 month")
        // A shorter period may be asked for, never a longer one than the statute gives.
        try Self.refused(cli, LifecycleCLI.application(extra: ["--duration-months", "4"]), as: "ivan", mentioning: ["longer than the 3 months", "RIPA s.43(3)"])
        try Self.refused(cli, LifecycleCLI.application(type: "chis", extra: ["--duration-months", "13"]), as: "ivan", mentioning: "12 months")
        try Self.refused(cli, ["apply", "--file", cli.directory.appendingPathComponent("none.yaml").path], as: "ivan", mentioning: "cannot read")
        // Only investigators apply.
        try Self.refused(cli, LifecycleCLI.application(), as: "mo", mentioning: "investigator")
        #expect(try LifecycleCLI.apply(cli, LifecycleCLI.application()) == "DS-2026-0001")
        #expect(try LifecycleCLI.apply(cli, LifecycleCLI.application(type: "juvenile-chis", extra: ["--duration-months", "4"])) == "JCHIS-2026-0001")
    }

    // MARK: Decisions

    @Test("unknown URN and malformed dates and times")
    func unknownURNAndBadTimes() throws {
        var cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        let urn = try LifecycleCLI.apply(cli, LifecycleCLI.application())
        for arguments in [
            ["grant", "DS-2026-0099", "--reasons", "x"],
            ["refuse", "DS-2026-0099", "--reasons", "x"],
            ["review", "DS-2026-0099", "--findings", "x"],
            ["renew", "DS-2026-0099", "--changes", "x", "--value-so-far", "x", "--reasons", "x"],
            ["cancel", "DS-2026-0099", "--reason", "x", "--value-obtained", "x"],
            ["judicial", "DS-2026-0099", "--decision", "approved", "--court", "C", "--magistrate", "M", "--at", "2026-01-10T08:00:00Z"],
        ] {
            try Self.refused(cli, arguments, as: "mo", mentioning: "no case DS-2026-0099")
        }
        try Self.refused(cli, ["status", "DS-2026-0099"], mentioning: "no case DS-2026-0099")
        try Self.refused(cli, ["grant", urn, "--reasons", "x", "--first-review", "12/02/2026"], as: "mo", mentioning: ["--first-review", "YYYY-MM-DD"])
        try Self.refused(cli, ["grant", urn, "--reasons", "x", "--first-review", "2026-02-30"], as: "mo", mentioning: "not a date")
        try Self.refused(cli, ["grant", urn, "--reasons", "x", "--review-interval", "0"], as: "mo", mentioning: "at least 1 day")
        try Self.refused(cli, ["grant", urn, "--reasons", "  "], as: "mo", mentioning: "reasons")
        // The first review cannot be due before (or on) the day of the grant.
        try Self.refused(cli, ["grant", urn, "--reasons", "x", "--first-review", "2026-01-10"], as: "mo", mentioning: "must be after the day of the grant")
        try Self.refused(cli, ["grant", urn, "--reasons", "x", "--first-review", "2025-12-01"], as: "mo", mentioning: "first review date 2025-12-01")
        try LifecycleCLI.grant(cli, urn)
        let judicial = ["judicial", urn, "--decision", "approved", "--court", "C", "--magistrate", "M", "--at"]
        for time in ["yesterday", "2026-01-10 09:00", "2026-13-01T00:00:00Z", "10/01/2026"] {
            try Self.refused(cli, judicial + [time], as: "ivan", mentioning: ["--at", "is not a time"])
        }
        try Self.refused(cli, ["judicial", urn, "--decision", "maybe", "--court", "C", "--magistrate", "M", "--at", "2026-01-10T09:00:00Z"], as: "ivan", mentioning: "approved, refused or quashed")
        try Self.refused(cli, ["judicial", urn, "--decision", "approved", "--court", " ", "--magistrate", "M", "--at", "2026-01-10T09:00:00Z"], as: "ivan", mentioning: "court")
        try Self.refused(cli, judicial + ["2026-01-11T09:00:00Z"], as: "ivan", mentioning: "in the future")
        try Self.refused(cli, ["status", urn, "--at", "noon"], mentioning: "--at")
        try Self.refused(cli, ["due", "--at", "2026-01-32T00:00:00Z"], mentioning: "--at")
        try Self.refused(cli, ["due", "--within=-3"], mentioning: "--within")
        cli.clock = "2026-01-11T09:00:00Z"
        try LifecycleCLI.judicial(cli, urn, at: "2026-01-11T08:00:00Z")
        try Self.refused(cli, ["review", urn, "--findings", "x", "--next-review", "2026-1-20"], as: "mo", mentioning: ["--next-review", "YYYY-MM-DD"])
        try Self.refused(cli, ["review", urn, "--findings", "x", "--next-review", "2026-01-11"], as: "mo", mentioning: "must be after today")
        try Self.refused(cli, ["cancel", urn, "--reason", "x", "--value-obtained", "x", "--ceased-at", "today"], as: "mo", mentioning: "--ceased-at")
        try Self.refused(cli, ["cancel", urn, "--reason", "x", "--value-obtained", "x", "--ceased-at", "2026-01-12T09:00:00Z"], as: "mo", mentioning: "cannot be later than now")
        try Self.refused(cli, ["cancel", urn, "--reason", "x", "--value-obtained", "x", "--ceased-at", "2026-01-10T08:59:59Z"], as: "mo", mentioning: "cannot be before the grant")
        try cli.ok(["cancel", urn, "--reason", "x", "--value-obtained", "x", "--ceased-at", "2026-01-10T09:00:00Z"], as: "mo")
        #expect(try LifecycleCLI.state(cli, urn) == "cancelled")
    }

    @Test("separation of duties: the applicant, a team member, an investigator, and confidential material without the head of paid service")
    func whoMayGrant() throws {
        var cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        try cli.enrol("tm", roles: "monitoring-officer", rank: "Head of Service")
        // The applicant holds both roles.
        try cli.ok(["user", "roles", "ivan", "--roles", "investigator,monitoring-officer"], as: "admin")
        let own = try LifecycleCLI.apply(cli, LifecycleCLI.application())
        try Self.refused(cli, ["grant", own, "--reasons", "I am sure"], as: "ivan", mentioning: ["ivan applied for \(own)", "own application"])
        try Self.refused(cli, ["refuse", own, "--reasons", "x"], as: "ivan", mentioning: "applied for")
        let team = try LifecycleCLI.apply(cli, LifecycleCLI.application(extra: ["--team", "tm"]))
        try Self.refused(cli, ["grant", team, "--reasons", "x"], as: "tm", mentioning: ["tm is on the team", "involved"])
        let confidential = try LifecycleCLI.apply(cli, LifecycleCLI.application(extra: ["--confidential-information-likely"]))
        try Self.refused(cli, ["grant", confidential, "--reasons", "x"], as: "mo", mentioning: "head of paid service")
        try cli.ok(["user", "roles", "ivan", "--roles", "investigator"], as: "admin")
        try Self.refused(cli, ["grant", own, "--reasons", "x"], as: "ivan", mentioning: "needs monitoring-officer")

        // The rightful officers succeed.
        try LifecycleCLI.grant(cli, own)
        try LifecycleCLI.grant(cli, team)
        try LifecycleCLI.grant(cli, confidential, as: "ceo")
        #expect(try LifecycleCLI.status(cli, confidential)["decision"]?["officer"]?["user_id"] == "ceo")
        #expect(try LifecycleCLI.state(cli, own) == "granted-awaiting-approval")
        try Self.refused(cli, ["grant", own, "--reasons", "again"], as: "ceo", mentioning: ["cannot grant", "granted-awaiting-approval"])
        try Self.refused(cli, ["refuse", own, "--reasons", "too late"], as: "ceo", mentioning: "cannot refuse")
        // A renewal of the confidential case also needs the head of paid service.
        cli.clock = "2026-01-12T09:00:00Z"
        try LifecycleCLI.judicial(cli, confidential, at: "2026-01-12T08:00:00Z")
        try Self.refused(cli, ["renew", confidential, "--changes", "x", "--value-so-far", "x", "--reasons", "x"], as: "mo", mentioning: "head of paid service")
        try LifecycleCLI.renew(cli, confidential, as: "ceo")
        #expect(try cli.ok(["verify", "--replay"]).contains("decisions replayed"))
    }

    @Test("approval before the grant, review and renewal after expiry, renewal approved after expiry, cancelling twice")
    func timeRules() throws {
        var cli = try LifecycleCLI.register(at: "2026-01-05T09:00:00Z")
        defer { cli.cleanUp() }
        let early = try LifecycleCLI.apply(cli, LifecycleCLI.application(operation: "Op Early"))
        let late = try LifecycleCLI.apply(cli, LifecycleCLI.application(operation: "Op Late"))
        try Self.refused(cli, ["judicial", early, "--decision", "approved", "--court", "C", "--magistrate", "M", "--at", "2026-01-05T08:00:00Z"], as: "ivan", mentioning: "no grant or renewal awaiting")
        cli.clock = "2026-01-06T10:00:00Z"
        try LifecycleCLI.grant(cli, early)
        try LifecycleCLI.grant(cli, late)
        try Self.refused(cli, ["review", early, "--findings", "x"], as: "mo", mentioning: ["cannot review", "granted-awaiting-approval"])
        try Self.refused(cli, ["renew", early, "--changes", "x", "--value-so-far", "x", "--reasons", "x"], as: "mo", mentioning: "cannot renew")
        cli.clock = "2026-01-07T10:00:00Z"
        try Self.refused(cli, ["judicial", early, "--decision", "approved", "--court", "C", "--magistrate", "M", "--at", "2026-01-06T09:59:59Z"], as: "ivan", mentioning: "before the grant")
        try LifecycleCLI.judicial(cli, early, at: "2026-01-07T09:00:00Z")  // 7 Jan to 6 Apr (BST)
        try LifecycleCLI.judicial(cli, late, at: "2026-01-07T09:00:00Z")
        try Self.refused(cli, ["judicial", early, "--decision", "approved", "--court", "C", "--magistrate", "M", "--at", "2026-01-07T09:30:00Z"], as: "ivan", mentioning: "no grant or renewal awaiting")

        // `late` is renewed in time, but its JP hears the renewal only after it expired.
        cli.clock = "2026-04-01T09:00:00Z"
        try LifecycleCLI.renew(cli, late)
        try Self.refused(cli, ["renew", late, "--changes", "x", "--value-so-far", "x", "--reasons", "x"], as: "mo", mentioning: "already has a renewal awaiting")
        cli.clock = "2026-04-07T09:00:00Z"
        try Self.refused(cli, ["judicial", late, "--decision", "approved", "--court", "C", "--magistrate", "M", "--at", "2026-04-06T23:00:00Z"], as: "ivan",
                         mentioning: ["after the authorisation expired at 2026-04-06T22:59:59.999Z", "only possible before expiry"])

        // `early` expired at the end of 6 April (BST): no review, no renewal.
        try Self.refused(cli, ["review", early, "--findings", "x"], as: "mo", mentioning: ["cannot review", "expired"])
        try Self.refused(cli, ["renew", early, "--changes", "x", "--value-so-far", "x", "--reasons", "x"], as: "mo", mentioning: ["cannot renew", "expired at 2026-04-06T22:59:59.999Z"])
        #expect(try LifecycleCLI.state(cli, early) == "expired")
        // It can still be cancelled, once.
        try cli.ok(["cancel", early, "--reason", "Ended", "--value-obtained", "Little"], as: "mo")
        try Self.refused(cli, ["cancel", early, "--reason", "Again", "--value-obtained", "x"], as: "mo", mentioning: ["cannot cancel", "cancelled"])
        try Self.refused(cli, ["review", early, "--findings", "x"], as: "mo", mentioning: "cancelled")
        try Self.refused(cli, ["cancel", late, "--reason", "x", "--value-obtained", "x"], as: "ivan", mentioning: "needs monitoring-officer")
        #expect(try cli.ok(["verify", "--replay"]).contains("decisions replayed"))
    }
}
