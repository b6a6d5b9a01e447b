import Foundation
import Ledger
import Testing

/// A council's register for the authorisation tests: the clock is fixed before `init` (entry
/// times never go backwards, so a register created "now" could not be moved back to 2026-01),
/// with investigator `ivan`, monitoring officer `mo` and head of paid service `ceo`.
enum LifecycleCLI {
    static let origin = "ripa.test-council.gov.uk/register"

    static func register(at clock: String) throws -> CLI {
        var cli = try CLI.withRegister(origin: origin, clock: clock)
        try cli.enrol("ivan", roles: "investigator", rank: "Investigation Officer")
        try cli.enrol("mo", roles: "monitoring-officer", rank: "Director of Law")
        try cli.enrol("ceo", roles: "monitoring-officer", rank: "Chief Executive", extra: ["--head-of-paid-service"])
        return cli
    }

    static let subject = "Sam Subject"
    static let necessity = "Covert observation is the only way to establish the subject works while claiming benefit"
    static let purpose = "To detect benefit fraud by the subject"

    /// `apply` arguments for a complete application.
    static func application(
        type: String = "directed-surveillance", operation: String = "Op Kestrel", offences: [String] = ["fraud-act-2006-s1"],
        extra: [String] = []
    ) -> [String] {
        ["apply", "--type", type, "--operation", operation, "--purpose", purpose,
         "--details", "Observation of the subject's place of work from a public road",
         "--information-sought", "Whether the subject works on weekdays",
         "--subject", subject, "--online-identity", "https://www.facebook.com/sam.subject/",
         "--necessity", necessity, "--proportionality", "Limited to two weeks, public places only",
         "--collateral-intrusion", "Colleagues may be seen; no record is kept of them"]
            + offences.flatMap { ["--offence", $0] } + extra
    }

    /// Applies as `ivan` and returns the URN.
    static func apply(_ cli: CLI, _ arguments: [String], as user: String = "ivan", sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let out = try cli.ok(arguments + ["--json"], as: user, sourceLocation: sourceLocation)
        return try #require(try JSONValue(parsing: out)["urn"]?.stringValue, sourceLocation: sourceLocation)
    }

    static func grant(_ cli: CLI, _ urn: String, as user: String = "mo", extra: [String] = []) throws {
        try cli.ok(["grant", urn, "--reasons", "Necessary to detect fraud; proportionate as limited to public places"] + extra, as: user)
    }

    static func judicial(_ cli: CLI, _ urn: String, decision: String = "approved", at time: String, as user: String = "ivan") throws {
        try cli.ok(["judicial", urn, "--decision", decision, "--court", "Anytown Magistrates' Court", "--magistrate", "J. Bench JP", "--at", time], as: user)
    }

    static func renew(_ cli: CLI, _ urn: String, as user: String = "mo") throws {
        try cli.ok(["renew", urn, "--changes", "The subject moved workplace", "--value-so-far", "Two sightings at work", "--reasons", "Still necessary"], as: user)
    }

    static func status(_ cli: CLI, _ urn: String, at time: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        try JSONValue(parsing: try cli.ok(["status", urn, "--json"] + (time.map { ["--at", $0] } ?? []), sourceLocation: sourceLocation))
    }

    static func state(_ cli: CLI, _ urn: String, at time: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        try status(cli, urn, at: time, sourceLocation: sourceLocation)["state"]?.stringValue
    }

    static func entries(_ cli: CLI) throws -> [Entry] {
        try cli.ok(["log", "--json", "--opened"]).split(separator: "\n").map { try Entry(leafData: Array($0.utf8)) }
    }

    /// `due --json` as (urn, kind, date) triples.
    static func due(_ cli: CLI, at time: String? = nil) throws -> [[String]] {
        let json = try JSONValue(parsing: try cli.ok(["due", "--json"] + (time.map { ["--at", $0] } ?? [])))
        return (json.arrayValue ?? []).map { item in
            [item["urn"]?.stringValue ?? "", item["kind"]?.stringValue ?? "", item["date"]?.stringValue ?? ""]
        }
    }
}

/// The whole lifecycle through the real `ripa` binary (RIPA.md §1–4; issue 3 items 2–6, 8).
@Suite struct AuthorisationCLITests {
    @Test("an application failing the threshold is refused (exit 2) and only its offences and reasons are kept")
    func thresholdRefusal() throws {
        let cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        let before = try LifecycleCLI.entries(cli).count
        let result = try cli.run(LifecycleCLI.application(offences: ["epa-1990-s87", "ssaa-1992-s112"]), as: "ivan")
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("application refused"))
        #expect(result.stdout.contains("epa-1990-s87") && result.stdout.contains("fine only"))

        let entries = try LifecycleCLI.entries(cli)
        #expect(entries.count == before + 1)
        let refusal = try #require(entries.last)
        #expect(refusal.kind == "application.refused")
        let body = refusal.body
        #expect(Set(body.objectValue?.keys.map { $0 } ?? []) == ["type", "operation", "threshold", "reason", "policy_hash"])
        #expect(body["type"] == "directed-surveillance")
        let findings = try #require(body["threshold"]?["findings"]?.arrayValue)
        #expect(findings.count == 2)
        #expect(findings[0]["offence_id"] == "epa-1990-s87")
        #expect(findings[0]["maximum"] == "fine-only")
        #expect(findings[0]["passes"] == false)
        #expect(findings[0]["reason"]?.stringValue?.contains("fine only") == true)
        #expect(findings[1]["offence_id"] == "ssaa-1992-s112")
        #expect(findings[1]["maximum"] == ["months": 3])
        #expect(findings[1]["reason"]?.stringValue?.contains("below the 6 months") == true)
        #expect(body["threshold"]?["passes"] == false)
        #expect(body["reason"]?.stringValue?.contains("SI 2010/521 art. 7A") == true)
        // Nothing else of the application: no subjects, identities, purpose, necessity.
        let text = body.canonicalString
        for kept in [LifecycleCLI.subject, "facebook", LifecycleCLI.necessity, LifecycleCLI.purpose, "subjects", "necessity", "team", "ivan"] {
            #expect(!text.contains(kept), "the refusal keeps '\(kept)': \(text)")
        }
        // No case was opened and no URN used.
        #expect(try JSONValue(parsing: try cli.ok(["status", "--json"])).arrayValue?.isEmpty == true)
        #expect(try LifecycleCLI.apply(cli, LifecycleCLI.application()) == "DS-2026-0001")
    }

    @Test("URNs are numbered per type and year; CHIS is not bound by the threshold")
    func urnNumbering() throws {
        let cli = try LifecycleCLI.register(at: "2026-12-30T09:00:00Z")
        defer { cli.cleanUp() }
        #expect(try LifecycleCLI.apply(cli, LifecycleCLI.application()) == "DS-2026-0001")
        #expect(try LifecycleCLI.apply(cli, LifecycleCLI.application(operation: "Op Heron")) == "DS-2026-0002")
        // A refusal takes no number.
        #expect(try cli.run(LifecycleCLI.application(offences: ["epa-1990-s87"]), as: "ivan").status == 2)
        // CHIS with a fine-only offence: the threshold does not bind s.29.
        let chisOut = try cli.ok(LifecycleCLI.application(type: "chis", operation: "Op Wren", offences: ["epa-1990-s87"]) + ["--json"], as: "ivan")
        let chis = try JSONValue(parsing: chisOut)
        #expect(chis["urn"] == "CHIS-2026-0001")
        #expect(chis["threshold"]?["applies"] == false)
        #expect(chis["threshold"]?["passes"] == true)
        #expect(try LifecycleCLI.apply(cli, LifecycleCLI.application(type: "juvenile-chis", offences: ["epa-1990-s87"])) == "JCHIS-2026-0001")
        #expect(try LifecycleCLI.apply(cli, LifecycleCLI.application(operation: "Op Swift")) == "DS-2026-0003")
        #expect(try LifecycleCLI.apply(cli, LifecycleCLI.application(type: "chis", offences: ["fraud-act-2006-s1"])) == "CHIS-2026-0002")
        // The CHIS keeps its offence and lasts 12 months from the JP's approval day.
        #expect(try LifecycleCLI.status(cli, "CHIS-2026-0001")["application"]?["offences"] == ["epa-1990-s87"])
        #expect(try cli.ok(["status", "CHIS-2026-0001"]).contains("epa-1990-s87"), "the text status lists a CHIS's offences")
        #expect(try cli.ok(["status", "DS-2026-0001"]).contains("fraud-act-2006-s1 (10 years)"))
        try LifecycleCLI.grant(cli, "CHIS-2026-0001")
        var moved = cli
        moved.clock = "2026-12-31T11:00:00Z"
        try LifecycleCLI.judicial(moved, "CHIS-2026-0001", at: "2026-12-31T10:00:00Z")
        let period = try #require(try LifecycleCLI.status(moved, "CHIS-2026-0001")["periods"]?[0])
        #expect(period["first_day"] == "2026-12-31")
        #expect(period["last_day"] == "2027-12-30")
        #expect(period["expires_at"] == "2027-12-30T23:59:59.999Z")
        // A new year starts the numbering again (the year in Europe/London).
        moved.clock = "2027-01-01T00:00:01Z"
        #expect(try LifecycleCLI.apply(moved, LifecycleCLI.application()) == "DS-2027-0001")
        #expect(try LifecycleCLI.apply(moved, LifecycleCLI.application(type: "chis")) == "CHIS-2027-0001")
    }

    @Test("apply, grant, JP approval, review, renewal with its own approval, cancellation; status at any moment; verify --replay")
    func wholeLifecycle() throws {
        var cli = try LifecycleCLI.register(at: "2026-01-05T09:00:00Z")
        defer { cli.cleanUp() }
        cli.clock = "2026-01-10T09:00:00Z"
        let urn = try LifecycleCLI.apply(cli, LifecycleCLI.application())
        #expect(urn == "DS-2026-0001")
        #expect(try LifecycleCLI.state(cli, urn) == "applied")

        cli.clock = "2026-01-12T10:00:00Z"
        try LifecycleCLI.grant(cli, urn)
        var status = try LifecycleCLI.status(cli, urn)
        #expect(status["state"] == "granted-awaiting-approval")
        #expect(status["decision"]?["officer"]?["user_id"] == "mo")
        #expect(status["decision"]?["officer"]?["rank"] == "Director of Law")
        #expect(status["decision"]?["first_review"] == "2026-02-09", "default: today + the pack's 28 days")
        #expect(status["decision"]?["directly_involved"] == false)
        #expect(status["periods"]?[0]?["first_day"] == nil || status["periods"]?[0]?["first_day"]?.isNull == true)

        // The JP approves on 14 January: three months beginning with that day end with 13 April,
        // a British Summer Time day, so at 22:59:59.999Z.
        cli.clock = "2026-01-14T11:00:00Z"
        try LifecycleCLI.judicial(cli, urn, at: "2026-01-14T10:30:00Z")
        status = try LifecycleCLI.status(cli, urn)
        #expect(status["state"] == "active")
        var first = try #require(status["periods"]?[0])
        #expect(first["first_day"] == "2026-01-14")
        #expect(first["last_day"] == "2026-04-13")
        #expect(first["expires_at"] == "2026-04-13T22:59:59.999Z")
        #expect(first["judicial"]?["decision"] == "approved")
        #expect(first["judicial"]?["court"] == "Anytown Magistrates' Court")
        #expect(first["judicial"]?["magistrate"] == "J. Bench JP")
        #expect(first["judicial"]?["decided_at"] == "2026-01-14T10:30:00.000Z")
        #expect(first["judicial"]?["recorded_at"] == "2026-01-14T11:00:00.000Z")

        cli.clock = "2026-02-12T09:00:00Z"
        #expect(try LifecycleCLI.due(cli).contains([urn, "review-overdue", "2026-02-09"]))
        try cli.ok(["review", urn, "--findings", "Seen at work twice", "--next-review", "2026-03-12"], as: "mo")
        status = try LifecycleCLI.status(cli, urn)
        #expect(status["reviews"]?.arrayValue?.count == 1)
        #expect(status["reviews"]?[0]?["next_review"] == "2026-03-12")
        #expect(status["reviews"]?[0]?["still_necessary"] == true)
        #expect(try LifecycleCLI.due(cli).filter { $0[0] == urn }.isEmpty)

        // Renewal before expiry, with its own JP approval: the new period runs on from 13 April.
        cli.clock = "2026-04-01T09:00:00Z"
        try LifecycleCLI.renew(cli, urn)
        status = try LifecycleCLI.status(cli, urn)
        #expect(status["state"] == "active")
        #expect(status["periods"]?.arrayValue?.count == 2)
        #expect(status["periods"]?[1]?["renewal"] == true)
        #expect(status["periods"]?[1]?["officer"]?["user_id"] == "mo")
        cli.clock = "2026-04-08T09:00:00Z"
        try LifecycleCLI.judicial(cli, urn, at: "2026-04-08T08:30:00Z", as: "mo")
        status = try LifecycleCLI.status(cli, urn)
        first = try #require(status["periods"]?[0])
        #expect(first["last_day"] == "2026-04-13", "the old period is unchanged")
        let renewal = try #require(status["periods"]?[1])
        #expect(renewal["first_day"] == "2026-04-14")
        #expect(renewal["last_day"] == "2026-07-13")
        #expect(renewal["expires_at"] == "2026-07-13T22:59:59.999Z")
        #expect(renewal["changes"] == "The subject moved workplace")
        #expect(renewal["value_so_far"] == "Two sightings at work")
        #expect(try LifecycleCLI.state(cli, urn, at: "2026-04-13T23:00:00Z") == "active", "the renewal carries it past the old end")

        cli.clock = "2026-05-01T09:00:00Z"
        try cli.ok(["cancel", urn, "--reason", "Evidence obtained", "--value-obtained", "Subject seen working", "--ceased-at", "2026-05-01T08:00:00Z"], as: "mo")
        status = try LifecycleCLI.status(cli, urn)
        #expect(status["state"] == "cancelled")
        #expect(status["cancellation"]?["ceased_at"] == "2026-05-01T08:00:00.000Z")
        #expect(status["cancellation"]?["after_expiry"] == false)
        #expect(status["cancellation"]?["officer"]?["user_id"] == "mo")

        // The past, from the log.
        let past: [(String, String)] = [
            ("2026-01-11T00:00:00Z", "applied"), ("2026-01-12T10:00:00Z", "granted-awaiting-approval"),
            ("2026-01-14T10:59:59.999Z", "granted-awaiting-approval"), ("2026-01-14T11:00:00Z", "active"),
            ("2026-03-01T12:00:00+00:00", "active"), ("2026-04-20T12:00:00Z", "active"), ("2026-05-01T10:00:00Z", "cancelled"),
        ]
        for (time, state) in past {
            #expect(try LifecycleCLI.state(cli, urn, at: time) == state, "at \(time)")
        }
        let list = try JSONValue(parsing: try cli.ok(["status", "--json", "--at", "2026-01-13T00:00:00Z"]))
        #expect(list.arrayValue?.first?["state"] == "granted-awaiting-approval")
        let early = try cli.run(["status", urn, "--at", "2026-01-09T00:00:00Z"])
        #expect(early.status != 0 && early.stderr.contains("did not exist"))
        #expect(try cli.ok(["status", urn]).contains("cancelled"))

        let verify = try JSONValue(parsing: try cli.ok(["verify", "--replay", "--json"]))
        #expect(verify["ok"] == true)
        // policy.adopted, application.submitted, grant, judicial, review, renewal, judicial, cancel.
        #expect(verify["replayed_decisions"] == 8)
        #expect(try cli.ok(["verify", "--replay"]).contains("8 decisions replayed"))
    }

    @Test("due lists reviews due and overdue, expiries within 14 days, expiry without cancellation, and grants awaiting a JP")
    func dueList() throws {
        var cli = try LifecycleCLI.register(at: "2026-01-05T09:00:00Z")
        defer { cli.cleanUp() }
        cli.clock = "2026-01-10T09:00:00Z"
        let a = try LifecycleCLI.apply(cli, LifecycleCLI.application(operation: "Op A"))
        let b = try LifecycleCLI.apply(cli, LifecycleCLI.application(operation: "Op B"))
        let c = try LifecycleCLI.apply(cli, LifecycleCLI.application(operation: "Op C"))
        cli.clock = "2026-01-12T10:00:00Z"
        try LifecycleCLI.grant(cli, a, extra: ["--review-interval", "7"])
        try LifecycleCLI.grant(cli, b)
        try LifecycleCLI.grant(cli, c)
        cli.clock = "2026-01-14T11:00:00Z"
        try LifecycleCLI.judicial(cli, a, at: "2026-01-14T10:00:00Z")
        try LifecycleCLI.judicial(cli, b, at: "2026-01-14T10:00:00Z")

        #expect(try LifecycleCLI.due(cli) == [[a, "review-due", "2026-01-19"], [c, "awaiting-approval", "2026-01-12"]])
        #expect(try LifecycleCLI.due(cli, at: "2026-01-25T12:00:00Z") == [[a, "review-overdue", "2026-01-19"], [c, "awaiting-approval", "2026-01-12"]])
        #expect(try LifecycleCLI.due(cli, at: "2026-04-01T12:00:00Z") == [
            [a, "review-overdue", "2026-01-19"], [b, "review-overdue", "2026-02-09"],
            [a, "expiring", "2026-04-13"], [b, "expiring", "2026-04-13"], [c, "awaiting-approval", "2026-01-12"],
        ])
        // Outside the 14 days: 30 March + 14 = 13 April is inside, 29 March + 14 = 12 April is not.
        #expect(try LifecycleCLI.due(cli, at: "2026-03-29T12:00:00Z").contains([a, "expiring", "2026-04-13"]) == false)
        #expect(try LifecycleCLI.due(cli, at: "2026-03-30T12:00:00Z").contains([a, "expiring", "2026-04-13"]))

        cli.clock = "2026-04-01T12:00:00Z"
        try cli.ok(["cancel", b, "--reason", "No longer needed", "--value-obtained", "None"], as: "mo")
        // Past expiry: a is flagged because nobody cancelled it; b was cancelled.
        cli.clock = "2026-04-20T09:00:00Z"
        #expect(try LifecycleCLI.due(cli) == [[a, "expired-without-cancellation", "2026-04-13"], [c, "awaiting-approval", "2026-01-12"]])
        #expect(try LifecycleCLI.state(cli, a) == "expired")
        #expect(try LifecycleCLI.state(cli, a, at: "2026-04-13T22:59:59.999Z") == "active")
        #expect(try LifecycleCLI.state(cli, a, at: "2026-04-13T23:00:00.000Z") == "expired")
        let text = try cli.ok(["due"])
        #expect(text.contains("without a cancellation") && text.contains("RIPA s.45"))
        // A late cancellation is recorded as after expiry and clears the flag.
        try cli.ok(["cancel", a, "--reason", "Ended", "--value-obtained", "Some"], as: "mo")
        #expect(try LifecycleCLI.status(cli, a)["cancellation"]?["after_expiry"] == true)
        #expect(try LifecycleCLI.due(cli) == [[c, "awaiting-approval", "2026-01-12"]])
        #expect(try cli.ok(["verify", "--replay"]).contains("decisions replayed"))
    }

    @Test("a JP's refusal or quashing, or the officer's refusal, leaves the case refused", arguments: ["refused", "quashed", "officer"])
    func refusedPaths(decision: String) throws {
        var cli = try LifecycleCLI.register(at: "2026-02-01T09:00:00Z")
        defer { cli.cleanUp() }
        let urn = try LifecycleCLI.apply(cli, LifecycleCLI.application())
        cli.clock = "2026-02-02T09:00:00Z"
        if decision == "officer" {
            try cli.ok(["refuse", urn, "--reasons", "Not proportionate: overt means not yet tried"], as: "mo")
            #expect(try LifecycleCLI.status(cli, urn)["decision"]?["granted"] == false)
        } else {
            try LifecycleCLI.grant(cli, urn)
            cli.clock = "2026-02-03T09:00:00Z"
            try LifecycleCLI.judicial(cli, urn, decision: decision, at: "2026-02-03T08:00:00Z")
            let status = try LifecycleCLI.status(cli, urn)
            #expect(status["periods"]?[0]?["judicial"]?["decision"] == .string(decision))
            #expect(status["periods"]?[0]?["expires_at"] == nil)
            #expect(try LifecycleCLI.entries(cli).last?.body["decision"] == .string(decision))
        }
        #expect(try LifecycleCLI.state(cli, urn) == "refused")
        #expect(try LifecycleCLI.state(cli, urn, at: "2026-02-01T10:00:00Z") == "applied")
        // Nothing may follow a refusal.
        for arguments in [
            ["review", urn, "--findings", "x", "--next-review", "2026-03-01"],
            ["cancel", urn, "--reason", "x", "--value-obtained", "x"],
            ["judicial", urn, "--decision", "approved", "--court", "C", "--magistrate", "M", "--at", "2026-02-03T08:30:00Z"],
        ] {
            let result = try cli.run(arguments, as: "mo")
            #expect(result.status != 0, "\(arguments[0]) after a refusal")
        }
        #expect(try LifecycleCLI.due(cli).isEmpty)
        #expect(try cli.ok(["verify", "--replay"]).contains("decisions replayed"))
    }

    @Test("a JP's refusal of a renewal lets the old period run out; a quashing ends the authorisation", arguments: ["refused", "quashed"])
    func renewalRefused(decision: String) throws {
        var cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        let urn = try LifecycleCLI.apply(cli, LifecycleCLI.application())
        cli.clock = "2026-01-12T10:00:00Z"
        try LifecycleCLI.grant(cli, urn)
        cli.clock = "2026-01-14T11:00:00Z"
        try LifecycleCLI.judicial(cli, urn, at: "2026-01-14T10:30:00Z")
        cli.clock = "2026-04-01T09:00:00Z"
        try LifecycleCLI.renew(cli, urn)
        cli.clock = "2026-04-02T12:00:00Z"
        try LifecycleCLI.judicial(cli, urn, decision: decision, at: "2026-04-02T11:00:00Z")
        let status = try LifecycleCLI.status(cli, urn)
        #expect(status["periods"]?[1]?["judicial"]?["decision"] == .string(decision))
        #expect(status["periods"]?[1]?["last_day"] == nil)
        #expect(try LifecycleCLI.state(cli, urn, at: "2026-04-02T11:59:59.999Z") == "active")
        if decision == "quashed" {
            #expect(status["state"] == "refused")
            #expect(try LifecycleCLI.due(cli).isEmpty)
            #expect(try cli.run(["cancel", urn, "--reason", "x", "--value-obtained", "x"], as: "mo").status != 0)
        } else {
            #expect(status["state"] == "active")
            #expect(try LifecycleCLI.state(cli, urn, at: "2026-04-13T23:00:00Z") == "expired")
            #expect(try LifecycleCLI.due(cli) == [[urn, "review-overdue", "2026-02-09"], [urn, "expiring", "2026-04-13"]])
        }
        #expect(try cli.ok(["verify", "--replay"]).contains("decisions replayed"))
    }

    @Test("with the clock behind the log, defaults count from the day the entry will carry")
    func clockBehindTheLog() throws {
        var cli = try LifecycleCLI.register(at: "2026-03-01T09:00:00Z")
        defer { cli.cleanUp() }
        let urn = try LifecycleCLI.apply(cli, LifecycleCLI.application())
        cli.clock = "2026-01-01T09:00:00Z"  // behind: the entries still carry 1 March
        try LifecycleCLI.grant(cli, urn)
        let status = try LifecycleCLI.status(cli, urn, at: "2026-03-01T09:00:00Z")
        #expect(status["decision"]?["at"] == "2026-03-01T09:00:00.000Z")
        #expect(status["decision"]?["first_review"] == "2026-03-29", "1 March + 28 days, not 1 January + 28")
        try LifecycleCLI.judicial(cli, urn, at: "2026-03-01T09:00:00Z")
        try cli.ok(["review", urn, "--findings", "Nothing yet"], as: "mo")
        #expect(try LifecycleCLI.status(cli, urn, at: "2026-03-01T09:00:00Z")["reviews"]?[0]?["next_review"] == "2026-03-29")
        try cli.ok(["cancel", urn, "--reason", "Done", "--value-obtained", "None"], as: "mo")
        #expect(try LifecycleCLI.status(cli, urn, at: "2026-03-01T09:00:00Z")["cancellation"]?["ceased_at"] == "2026-03-01T09:00:00.000Z")
    }

    @Test("each decision follows the pack in force when it was taken, and replays under that pack")
    func packInForceAtThatPoint() throws {
        var cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        // Licensing Act 2003 s.136 carries exactly 6 months: it meets the shipped threshold.
        let first = try LifecycleCLI.apply(cli, LifecycleCLI.application(offences: ["la-2003-s136"]))
        #expect(first == "DS-2026-0001")
        // The council adopts a stricter pack: 12 months.
        let policies = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Policies")
        let shipped = try String(contentsOf: policies.appendingPathComponent("england-wales-local-authority.yaml"), encoding: .utf8)
        let stricter = shipped.replacingOccurrences(of: "minimum_custody_months: 6", with: "minimum_custody_months: 12")
            .replacingOccurrences(of: "version: 1", with: "version: 2")
        #expect(stricter != shipped)
        let pack = cli.directory.appendingPathComponent("stricter.yaml").path
        try stricter.write(toFile: pack, atomically: true, encoding: .utf8)
        cli.clock = "2026-01-11T09:00:00Z"
        try cli.ok(["policy", "adopt", pack, policies.appendingPathComponent("offences.yaml").path], as: "admin")
        let refused = try cli.run(LifecycleCLI.application(offences: ["la-2003-s136"]), as: "ivan")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("below the 1 year"), "\(refused.stderr)")
        let second = try LifecycleCLI.apply(cli, LifecycleCLI.application())
        #expect(second == "DS-2026-0002")
        #expect(try LifecycleCLI.status(cli, first)["policy_hash"] != LifecycleCLI.status(cli, second)["policy_hash"])
        try LifecycleCLI.grant(cli, first)
        let verify = try JSONValue(parsing: try cli.ok(["verify", "--replay", "--json"]))
        #expect(verify["ok"] == true)
        // Two packs, two applications, one refusal, one grant.
        #expect(verify["replayed_decisions"] == 6)
    }

    static let yamlForm = """
        type: directed-surveillance
        operation: Op Falcon
        purpose: To detect counterfeit goods sales
        details: Test purchases and observation at the market
        information_sought: Source of the goods
        subjects:
          - name: Alex Trader
            address: 1 Market Street
            date_of_birth: "1980-02-03"
            online_identities:
              - https://x.com/AlexTrader?s=20
              - https://m.facebook.com/alex.trader
          - name: unknown
        offences: [tma-1994-s92, epa-1990-s87]
        necessity: Overt enquiries failed
        proportionality: Market days only
        collateral_intrusion: Other stallholders; not recorded
        confidential_information_likely: false
        team: [ivan]
        requested_duration_months: 2
        """

    static let jsonForm = """
        {"type": "directed-surveillance", "operation": "Op Falcon", "purpose": "To detect counterfeit goods sales",
         "details": "Test purchases and observation at the market", "information_sought": "Source of the goods",
         "subjects": [{"name": "Alex Trader", "address": "1 Market Street", "date_of_birth": "1980-02-03",
                       "online_identities": ["https://x.com/AlexTrader?s=20", "https://m.facebook.com/alex.trader"]},
                      {"name": "unknown"}],
         "offences": ["tma-1994-s92", "epa-1990-s87"], "necessity": "Overt enquiries failed",
         "proportionality": "Market days only", "collateral_intrusion": "Other stallholders; not recorded",
         "confidential_information_likely": false, "team": ["ivan"], "requested_duration_months": 2}
        """

    @Test("an application from a YAML or JSON file", arguments: [("form.yaml", yamlForm), ("form.json", jsonForm)])
    func applicationFromFile(name: String, text: String) throws {
        var cli = try LifecycleCLI.register(at: "2026-03-02T09:00:00Z")
        defer { cli.cleanUp() }
        let path = cli.directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let urn = try LifecycleCLI.apply(cli, ["apply", "--file", path])
        #expect(urn == "DS-2026-0001")
        let status = try LifecycleCLI.status(cli, urn)
        let application = try #require(status["application"])
        #expect(application["operation"] == "Op Falcon")
        #expect(application["information_sought"] == "Source of the goods")
        #expect(application["offences"] == ["tma-1994-s92", "epa-1990-s87"])
        #expect(application["team"] == ["ivan"])
        #expect(application["requested_duration_months"] == 2)
        let subjects = try #require(application["subjects"]?.arrayValue)
        #expect(subjects.count == 2)
        #expect(subjects[0]["address"] == "1 Market Street")
        #expect(subjects[0]["date_of_birth"] == "1980-02-03")
        let identities = try #require(subjects[0]["online_identities"]?.arrayValue)
        #expect(identities.map { $0["address"] } == ["https://x.com/AlexTrader?s=20", "https://m.facebook.com/alex.trader"])
        #expect(identities.map { $0["profile"] } == ["x:alextrader", "facebook:alextrader"], "Facebook ignores dots and case in usernames")
        // One offence passes, so the application passes, and each is recorded with its finding.
        #expect(status["threshold"]?["passes"] == true)
        #expect(status["threshold"]?["findings"]?.arrayValue?.map { $0["passes"] } == [true, false])

        // The requested two months, not the statutory three: 2 March to 1 May (BST).
        try LifecycleCLI.grant(cli, urn)
        cli.clock = "2026-03-02T15:00:00Z"
        try LifecycleCLI.judicial(cli, urn, at: "2026-03-02T14:00:00Z")
        let period = try #require(try LifecycleCLI.status(cli, urn)["periods"]?[0])
        #expect(period["first_day"] == "2026-03-02")
        #expect(period["last_day"] == "2026-05-01")
        #expect(period["expires_at"] == "2026-05-01T22:59:59.999Z")
    }
}

extension JSONValue {
    /// The element at an index of an array.
    fileprivate subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
