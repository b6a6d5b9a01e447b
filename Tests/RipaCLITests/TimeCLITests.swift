import Foundation
import Ledger
import Testing

/// Issue 8 §1, §7 and the policy floor of §2 through the real `ripa` binary: time is the
/// register's, the law's two gaps are closed, and no pack goes below the statute.
@Suite struct TimeCLITests {
    typealias Bad = AuthorisationBadInputTests

    static let policies = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Policies")
    static var packPath: String { policies.appendingPathComponent("england-wales-local-authority.yaml").path }
    static var cataloguePath: String { policies.appendingPathComponent("offences.yaml").path }

    /// The shipped pack with each (old, new) replaced, written into the register's folder.
    static func pack(_ cli: CLI, _ name: String, _ changes: [(String, String)]) throws -> String {
        var text = try String(contentsOfFile: packPath, encoding: .utf8)
        for (old, new) in changes {
            #expect(text.contains(old), "the shipped pack no longer has \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        let path = cli.directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    // MARK: §1 Times and dates parsed strictly

    // Foundation's ISO8601DateFormatter, which `judicial --at` fell back to, reads 30 February
    // as 2 March and 24:00 as the next midnight, and takes year 0226 as it stands.
    static let impossibleTimes = [
        "2026-02-30T10:00:00Z", "2026-01-10T24:00:00Z", "2026-01-10T23:60:00Z", "2026-01-10T08:59:60Z",
        "0226-01-10T08:00:00Z", "2200-01-01T00:00:00Z", "1999-12-31T23:00:00Z", "2026-01-10T10:00:00+19:00",
    ]

    @Test("an impossible time is refused wherever a user gives one, never rolled over", arguments: impossibleTimes)
    func impossibleTime(time: String) throws {
        var cli = try LifecycleCLI.register(at: "2026-03-05T09:00:00Z")
        defer { cli.cleanUp() }
        let urn = try LifecycleCLI.apply(cli, LifecycleCLI.application())
        try LifecycleCLI.grant(cli, urn)
        try Bad.refused(cli, ["judicial", urn, "--decision", "approved", "--court", "C", "--magistrate", "M", "--at", time], as: "ivan",
                        mentioning: ["--at '\(time)' is not a time", "2000-2199"])
        try Bad.refused(cli, ["status", urn, "--at", time], mentioning: "is not a time")
        try Bad.refused(cli, ["due", "--at", time], mentioning: "is not a time")
        try LifecycleCLI.judicial(cli, urn, at: "2026-03-05T09:00:00Z")
        try Bad.refused(cli, ["cancel", urn, "--reason", "x", "--value-obtained", "x", "--ceased-at", time], as: "mo", mentioning: "--ceased-at")
        // $RIPA_CLOCK on a test register is read as strictly.
        cli.clock = time
        let clocked = try cli.run(["status"])
        #expect(clocked.status == 1 && clocked.stderr.contains("$RIPA_CLOCK '\(time)' is not a time"), "\(clocked.stderr)")
    }

    @Test("impossible dates are refused: review dates, the central record's range, the statistics' year, a date of birth")
    func impossibleDates() throws {
        var cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        let urn = try LifecycleCLI.apply(cli, LifecycleCLI.application())
        for date in ["2026-02-30", "2300-01-01", "0226-02-01"] {
            try Bad.refused(cli, ["grant", urn, "--reasons", "x", "--first-review", date], as: "mo", mentioning: ["--first-review '\(date)' is not a date", "2000-2199"])
            try Bad.refused(cli, ["record", "central", "--from", date], mentioning: "--from '\(date)' is not a date")
        }
        try Bad.refused(cli, ["record", "statistics", "--year", "1999"], mentioning: ["1999 is not a year the register can hold", "--year"])
        try Bad.refused(cli, ["record", "statistics", "--year", "2200"], mentioning: ["2200 is not a year the register can hold", "--year"])
        for birth in ["\"1980-02-30\"", "1980-02-30", "\"30/02/1980\""] {
            let form = AuthorisationCLITests.yamlForm.replacingOccurrences(of: "\"1980-02-03\"", with: birth)
            let path = cli.directory.appendingPathComponent("form.yaml").path
            try form.write(toFile: path, atomically: true, encoding: .utf8)
            try Bad.refused(cli, ["apply", "--file", path], as: "ivan", mentioning: "date of birth")
        }
    }

    // MARK: §1 Review dates within the interval; §2 intervals within the pack

    @Test("the first and next review fall within the interval; an officer shortens it only where the pack allows, never lengthens it")
    func reviewSchedule() throws {
        var cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        let urn = try LifecycleCLI.apply(cli, LifecycleCLI.application())
        try Bad.refused(cli, ["grant", urn, "--reasons", "x", "--review-interval", "60"], as: "mo",
                        mentioning: ["longer than the 28 days", "may not lengthen it"])
        try Bad.refused(cli, ["grant", urn, "--reasons", "x", "--first-review", "2026-12-31"], as: "mo",
                        mentioning: ["later than the review interval allows", "2026-02-07 at the latest"])
        try Bad.refused(cli, ["grant", urn, "--reasons", "x", "--review-interval", "7", "--first-review", "2026-01-18"], as: "mo",
                        mentioning: "2026-01-17 at the latest")
        // The shipped pack lets the officer shorten the interval.
        try LifecycleCLI.grant(cli, urn, extra: ["--review-interval", "7", "--first-review", "2026-01-17"])
        cli.clock = "2026-01-12T09:00:00Z"
        try LifecycleCLI.judicial(cli, urn, at: "2026-01-12T08:00:00Z")
        cli.clock = "2026-01-16T09:00:00Z"
        try Bad.refused(cli, ["review", urn, "--findings", "x", "--next-review", "2026-02-16"], as: "mo",
                        mentioning: ["later than the review interval of \(urn) allows", "2026-01-23 at the latest"])
        try cli.ok(["review", urn, "--findings", "Seen twice"], as: "mo")
        let reviewed = try LifecycleCLI.status(cli, urn)
        #expect(reviewed["reviews"]?.arrayValue?.first?["next_review"] == "2026-01-23")

        // A pack that does not let officers shorten it.
        let fixed = try Self.pack(cli, "fixed.yaml", [("officer_may_shorten: true", "officer_may_shorten: false"), ("\nversion: 1\n", "\nversion: 2\n")])
        try cli.ok(["policy", "adopt", fixed, Self.cataloguePath], as: "admin")
        let second = try LifecycleCLI.apply(cli, LifecycleCLI.application(operation: "Op Second"))
        try Bad.refused(cli, ["grant", second, "--reasons", "x", "--review-interval", "7"], as: "mo",
                        mentioning: ["does not let an officer shorten it", "officer_may_shorten"])
        try LifecycleCLI.grant(cli, second)
        #expect(try cli.ok(["verify", "--replay"]).contains("decisions replayed"))
    }

    // MARK: §7 A CHIS renewal needs a review (RIPA s.43(6A))

    @Test("a CHIS renewal with no review since the grant or the last renewal is refused; directed surveillance is not bound",
          arguments: ["chis", "juvenile-chis", "directed-surveillance"])
    func chisRenewalNeedsReview(type: String) throws {
        var cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        let urn = try LifecycleCLI.apply(cli, LifecycleCLI.application(type: type))
        try LifecycleCLI.grant(cli, urn)
        cli.clock = "2026-01-12T09:00:00Z"
        try LifecycleCLI.judicial(cli, urn, at: "2026-01-12T08:00:00Z")
        cli.clock = "2026-02-01T09:00:00Z"
        let renew = ["renew", urn, "--changes", "x", "--value-so-far", "x", "--reasons", "x"]
        if type != "directed-surveillance" {
            try Bad.refused(cli, renew, as: "mo", mentioning: ["cannot renew \(urn): no review since the grant", "RIPA s.43(6A)", "ripa review \(urn)"])
            try cli.ok(["review", urn, "--findings", "Tasked twice; reporting well"], as: "mo")
        }
        try LifecycleCLI.renew(cli, urn)
        cli.clock = "2026-02-02T09:00:00Z"
        try LifecycleCLI.judicial(cli, urn, at: "2026-02-02T08:00:00Z")
        cli.clock = "2026-02-10T09:00:00Z"
        if type != "directed-surveillance" {
            try Bad.refused(cli, renew, as: "mo", mentioning: ["no review since the last renewal", "s.43(6A)"])
            try cli.ok(["review", urn, "--findings", "Still reporting"], as: "mo")
        }
        try LifecycleCLI.renew(cli, urn)
        let verify = try JSONValue(parsing: try cli.ok(["verify", "--replay", "--json"]))
        #expect(verify["ok"] == true)
    }

    // MARK: §2 No pack below the statute

    /// The shipped pack with one value changed, and what the refusal must name.
    static let belowStatute: [(change: (String, String), names: [String])] = [
        (("minimum_custody_months: 6", "minimum_custody_months: 3"), ["serious_crime_threshold.minimum_custody_months", "SI 2010/521 art. 7A(3)(a)"]),
        (("applies_to: [directed-surveillance]", "applies_to: [chis]"), ["serious_crime_threshold.applies_to", "SI 2010/521 art. 7A(1)"]),
        (("directed_surveillance:\n    months: 3", "directed_surveillance:\n    months: 6"), ["durations.directed_surveillance.months", "RIPA s.43(3)(c)"]),
        (("juvenile_chis:\n    months: 4", "juvenile_chis:\n    months: 6"), ["durations.juvenile_chis.months", "SI 2000/2793 art. 6"]),
        (("judicial_approval:\n  required: true", "judicial_approval:\n  required: false"), ["judicial_approval.required", "RIPA s.32A"]),
        (("urgent_oral_authorisations:\n  allowed: false", "urgent_oral_authorisations:\n  allowed: true"), ["urgent_oral_authorisations.allowed", "RIPA s.43(1A)"]),
    ]

    @Test("a pack below the statute is refused at `policy adopt` and at `init --policy`, naming the rule and its source; nothing is written")
    func packsBelowTheStatute() throws {
        let cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        for (index, bad) in Self.belowStatute.enumerated() {
            let path = try Self.pack(cli, "bad-\(index).yaml", [bad.change, ("\nversion: 1\n", "\nversion: 2\n")])
            try Bad.refused(cli, ["policy", "adopt", path, Self.cataloguePath], as: "admin", mentioning: bad.names + ["bad-\(index).yaml:", "never loosen it"])
            let fresh = try CLI()
            defer { fresh.cleanUp() }
            let result = try fresh.run(["init", "--test-register", "--origin", "ripa.test-council.gov.uk/register", "--admin", "admin", "--policy", path, Self.cataloguePath],
                                       environment: ["RIPA_PASSPHRASE": CLI.passphrase(for: "admin")])
            #expect(result.status == 1, "init --policy \(path)")
            for name in bad.names { #expect(result.stderr.contains(name), "\(name) not in \(result.stderr)") }
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: fresh.db) && !FileManager.default.fileExists(atPath: fresh.keyFile))
        }
        let shown = try JSONValue(parsing: try cli.ok(["policy", "show", "--json"]))
        #expect(shown["policy"]?["pack"]?["version"] == 1, "the shipped pack is still in force")
    }

    @Test("no offence but the underage-sales ones may be exempted from the threshold, by the pack or by the catalogue")
    func onlyStatutoryExemptions() throws {
        var cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        let viaPack = try Self.pack(cli, "exempt-littering.yaml", [
            ("    - cfa-2014-s92    # Children and Families Act 2014 s.92 (added by SI 2015/937)\n", "    - cfa-2014-s92\n    - epa-1990-s87\n"),
            ("\nversion: 1\n", "\nversion: 2\n"),
        ])
        try Bad.refused(cli, ["policy", "adopt", viaPack, Self.cataloguePath], as: "admin",
                        mentioning: ["epa-1990-s87 (Environmental Protection Act 1990 s.87)", "SI 2010/521 art. 7A(3)(b)", "serious_crime_threshold.exempt_offences"])
        var catalogue = try String(contentsOfFile: Self.cataloguePath, encoding: .utf8)
        let littering = "section: s.87\n    maximum: fine-only\n    exempt: false"
        #expect(catalogue.contains(littering))
        catalogue = catalogue.replacingOccurrences(of: littering, with: "section: s.87\n    maximum: fine-only\n    exempt: true")
        let laxCatalogue = cli.directory.appendingPathComponent("offences-lax.yaml").path
        try catalogue.write(toFile: laxCatalogue, atomically: true, encoding: .utf8)
        let next = try Self.pack(cli, "next.yaml", [("\nversion: 1\n", "\nversion: 2\n")])
        try Bad.refused(cli, ["policy", "adopt", next, laxCatalogue], as: "admin", mentioning: ["offences[epa-1990-s87].exempt", "art. 7A(3)(b)"])
        // So littering still fails the threshold.
        let refused = try cli.run(LifecycleCLI.application(offences: ["epa-1990-s87"]), as: "ivan")
        #expect(refused.status == 2)
    }

    @Test("a pack's version only increases")
    func versionsOnlyIncrease() throws {
        let cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let same = try Self.pack(cli, "same.yaml", [("minimum_custody_months: 6", "minimum_custody_months: 12")])
        try Bad.refused(cli, ["policy", "adopt", same, Self.cataloguePath], as: "admin", mentioning: ["version 1 is not greater than the version 1 in force", "versions only increase"])
        let next = try Self.pack(cli, "next.yaml", [("minimum_custody_months: 6", "minimum_custody_months: 12"), ("\nversion: 1\n", "\nversion: 3\n")])
        try cli.ok(["policy", "adopt", next, Self.cataloguePath], as: "admin")
        let back = try Self.pack(cli, "back.yaml", [("\nversion: 1\n", "\nversion: 2\n")])
        try Bad.refused(cli, ["policy", "adopt", back, Self.cataloguePath], as: "admin", mentioning: ["version 2 is not greater than the version 3", "raise `version` to 4"])
        #expect(try JSONValue(parsing: try cli.ok(["policy", "show", "--json"]))["policy"]?["pack"]?["version"] == 3)
        #expect(try cli.ok(["verify", "--replay"]).contains("decisions replayed"))
        // A rebuild replays the adoptions in order, each against the one before it.
        try cli.ok(["rebuild"], as: "admin")
        #expect(try JSONValue(parsing: try cli.ok(["policy", "show", "--json"]))["policy"]?["pack"]?["version"] == 3)
    }

    // MARK: §1 verify flags entries dated after its clock

    @Test("verify flags the first entry dated after the verifier's clock ($RIPA_CLOCK on a test register); a real-clock register verifies clean")
    func futureDatedEntries() throws {
        // Everything written in 2030, verified by a clock in 2026.
        var ahead = try CLI.withRegister(clock: "2030-01-01T09:00:00Z")
        defer { ahead.cleanUp() }
        try ahead.enrol("ivan", roles: "investigator")
        ahead.clock = "2026-06-01T09:00:00Z"
        let flagged = try ahead.run(["verify"])
        #expect(flagged.status == 1)
        #expect(flagged.stderr.contains("entry 0: future-time"), "\(flagged.stderr)")
        #expect(flagged.stderr.contains("2030-01-01T09:00:00.000Z") && flagged.stderr.contains("5 minutes"))
        let json = try JSONValue(parsing: try ahead.run(["verify", "--json"]).stdout)
        #expect(json["ok"] == false && json["check"] == "future-time" && json["index"] == 0)
        // Within the five minutes' skew it passes.
        ahead.clock = "2030-01-01T08:56:00Z"
        try ahead.ok(["verify"])

        // One entry pushed ahead among honest ones: the first such index is named.
        var mixed = try CLI.withRegister(clock: "2026-01-10T09:00:00Z")
        defer { mixed.cleanUp() }
        try mixed.enrol("ivan", roles: "investigator")
        let honest = try #require(try Bad.size(mixed))
        mixed.clock = "2031-01-01T00:00:00Z"
        try mixed.enrol("mo", roles: "monitoring-officer")
        mixed.clock = "2026-01-11T09:00:00Z"
        let result = try mixed.run(["verify", "--json"])
        #expect(result.status == 1)
        #expect(try JSONValue(parsing: result.stdout)["index"] == .integer(honest))

        // A test register on the real clock verifies clean.
        let real = try CLI.withRegister()
        defer { real.cleanUp() }
        #expect(try real.ok(["verify"]).contains("TEST REGISTER"))
    }

    // MARK: §7 URN order

    @Test("status, due and the central record list cases by type, year and number")
    func multiYearMultiTypeOrder() throws {
        var cli = try LifecycleCLI.register(at: "2026-12-30T09:00:00Z")
        defer { cli.cleanUp() }
        var urns: [String] = []
        for type in ["directed-surveillance", "juvenile-chis", "chis"] {
            urns.append(try LifecycleCLI.apply(cli, LifecycleCLI.application(type: type)))
        }
        cli.clock = "2027-01-02T09:00:00Z"
        for type in ["chis", "directed-surveillance", "directed-surveillance"] {
            urns.append(try LifecycleCLI.apply(cli, LifecycleCLI.application(type: type)))
        }
        let expected = ["CHIS-2026-0001", "CHIS-2027-0001", "DS-2026-0001", "DS-2027-0001", "DS-2027-0002", "JCHIS-2026-0001"]
        #expect(Set(urns) == Set(expected))
        cli.clock = "2027-01-03T09:00:00Z"
        for urn in urns.reversed() { try LifecycleCLI.grant(cli, urn) }
        for urn in urns { try LifecycleCLI.judicial(cli, urn, at: "2027-01-03T09:00:00Z") }
        cli.clock = "2027-02-15T09:00:00Z"
        let status = try JSONValue(parsing: try cli.ok(["status", "--json"])).arrayValue?.compactMap { $0["urn"]?.stringValue }
        #expect(status == expected)
        let due = try LifecycleCLI.due(cli).filter { $0[1] == "review-overdue" }.map { $0[0] }
        #expect(due == expected)
        let central = try JSONValue(parsing: try cli.ok(["record", "central", "--format", "json"]))["authorisations"]?.arrayValue?.compactMap { $0["urn"]?.stringValue }
        #expect(central == expected)
        let table = try cli.ok(["status"])
        let positions = expected.compactMap { table.range(of: $0)?.lowerBound }
        #expect(positions.count == expected.count && positions == positions.sorted())
    }
}
