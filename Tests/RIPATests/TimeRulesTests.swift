import Foundation
import Ledger
import Testing

@testable import RIPA

/// Issue 8 §1 (dates strict, user times bounded), §7 (CHIS renewal needs a review) and the
/// statutory floor of §2, as the lifecycle and the loader enforce them.
@Suite struct TimeRulesTests {
    typealias F = LifecycleFixture

    // MARK: Dates, read strictly

    @Test("a date given to the register is a real day in 2000-2199, never rolled over", arguments: [
        ("2026-02-28", true), ("2028-02-29", true), ("2000-01-01", true), ("2199-12-31", true),
        ("2026-02-30", false), ("2027-02-29", false), ("2026-04-31", false), ("2026-13-01", false),
        ("1999-12-31", false), ("2200-01-01", false), ("0226-01-01", false), ("9999-12-31", false),
        ("2026-1-01", false), ("2026-01-01T00:00", false),
    ])
    func civilDateInput(text: String, valid: Bool) throws {
        #expect((CivilDate(parsingInput: text) != nil) == valid)
        // A body carrying such a date does not decode either (replay reads them so).
        let json = Data("[\"\(text)\"]".utf8)
        #expect((try? JSONDecoder().decode([CivilDate].self, from: json)) != nil || !valid)
        if !valid { #expect(throws: DecodingError.self) { try JSONDecoder().decode([CivilDate].self, from: json) } }
    }

    @Test("a date of birth is a real day from 1900 on", arguments: [
        ("1980-02-03", true), ("1900-01-01", true), ("1980-02-30", false), ("1899-12-31", false),
        ("03/02/1980", false), ("unknown", false), ("1980-2-3", false),
    ])
    func dateOfBirth(text: String, valid: Bool) throws {
        let application = Application(
            type: .directedSurveillance, operation: "Op", purpose: "p", subjects: [Subject(name: "Sam", dateOfBirth: text)],
            offences: ["fraud-act-2006-s1"], necessity: "n", proportionality: "p", collateralIntrusion: "c",
            confidentialInformationLikely: false, team: ["ivan"])
        if valid {
            try application.validate()
        } else {
            let error = #expect(throws: RIPAError.self) { try application.validate() }
            #expect(error?.message.contains("date of birth '\(text)'") == true)
        }
    }

    // MARK: Review dates within the interval, intervals within the pack

    static func rules(mayShorten: Bool?) throws -> PolicyRules {
        var rules = try F.policy().rules
        rules.reviews.officerMayShorten = mayShorten
        return rules
    }

    @Test("the first review falls within the interval of the day of the grant; the interval only shortens where the pack allows", arguments: [
        // (interval, first review, pack lets the officer shorten, allowed, phrase)
        (28, "2026-02-09", true as Bool?, true, ""),
        (28, "2026-02-10", true, false, "2026-02-09 at the latest"),
        (28, "2199-12-31", true, false, "later than the review interval allows"),
        (7, "2026-01-19", true, true, ""),
        (7, "2026-01-20", true, false, "at most 7 days"),
        (7, "2026-01-19", false, false, "does not let an officer shorten it"),
        (7, "2026-01-19", nil, false, "does not let an officer shorten it"),
        (28, "2026-02-09", false, true, ""),
        (29, "2026-02-09", true, false, "longer than the 28 days"),
        (90, "2026-02-09", true, false, "may not lengthen it"),
    ])
    func firstReviewAndInterval(interval: Int, firstReview: String, mayShorten: Bool?, allowed: Bool, phrase: String) throws {
        let rules = try Self.rules(mayShorten: mayShorten)
        let a = try F.applied(at: "2026-01-12T10:00:00.000Z", policy: try F.policy())
        var body = F.grant(a.urn)
        body.reviewIntervalDays = interval
        body.firstReview = F.day(firstReview)
        if allowed {
            try a.requireFirstReview(body, at: F.time("2026-01-12T10:00:00.000Z"), rules: rules)
        } else {
            let error = #expect(throws: RIPAError.self) { try a.requireFirstReview(body, at: F.time("2026-01-12T10:00:00.000Z"), rules: rules) }
            #expect(error?.message.contains(phrase) == true, "\(error?.message ?? "")")
        }
    }

    @Test("the next review falls within the authorisation's interval of the day of the review")
    func nextReviewWithinInterval() throws {
        let policy = try F.policy()
        var a = try F.approved(grantedAt: "2026-01-12T10:00:00.000Z", approvedAt: "2026-01-14T10:00:00.000Z", policy: policy)
        a.decision?.reviewIntervalDays = 14
        let at = F.time("2026-02-01T10:00:00.000Z")
        var late = a
        let error = #expect(throws: RIPAError.self) {
            try late.review(ReviewRecord(urn: a.urn, findings: "x", stillNecessary: true, nextReview: F.day("2026-02-16")), by: F.mo, at: at, rules: policy.rules)
        }
        #expect(error?.message.contains("at most 14 days after today (2026-02-01), so 2026-02-15 at the latest") == true, "\(error?.message ?? "")")
        try a.review(ReviewRecord(urn: a.urn, findings: "x", stillNecessary: true, nextReview: F.day("2026-02-15")), by: F.mo, at: at, rules: policy.rules)
        #expect(a.reviews.count == 1)
    }

    // MARK: User times bounded by the entry's time and the step they follow

    @Test("a JP's decision is not after the entry recording it, nor before the grant; an instruction to cease likewise")
    func userTimesBounded() throws {
        let policy = try F.policy()
        var a = try F.applied(at: "2026-01-10T09:00:00.000Z", policy: policy)
        try a.grant(F.grant(a.urn), by: F.mo, headOfPaidService: false, at: F.time("2026-01-12T10:00:00.000Z"))
        let recordedAt = F.time("2026-01-14T11:00:00.000Z")
        for (decided, phrase) in [
            ("2026-01-14T11:00:00.001Z", "in the future"), ("2199-01-01T00:00:00.000Z", "in the future"),
            ("2026-01-12T09:59:59.999Z", "before the grant"), ("2000-01-01T00:00:00.000Z", "before the grant"),
        ] {
            var copy = a
            let error = #expect(throws: RIPAError.self) { try copy.recordJudicial(F.judicial(a.urn, at: decided), by: "ivan", at: recordedAt, rules: policy.rules) }
            #expect(error?.message.contains(phrase) == true, "\(decided): \(error?.message ?? "")")
        }
        try a.recordJudicial(F.judicial(a.urn, at: "2026-01-14T11:00:00.000Z"), by: "ivan", at: recordedAt, rules: policy.rules)
        let cancelAt = F.time("2026-02-01T09:00:00.000Z")
        for (ceased, phrase) in [("2026-02-01T09:00:00.001Z", "later than now"), ("2026-01-12T09:59:59.999Z", "before the grant")] {
            var copy = a
            let error = #expect(throws: RIPAError.self) {
                try copy.cancel(CancellationRecord(urn: a.urn, reason: "Done", valueObtained: "Some", ceasedAt: F.time(ceased)), by: F.mo, at: cancelAt)
            }
            #expect(error?.message.contains(phrase) == true, "\(ceased): \(error?.message ?? "")")
        }
    }

    // MARK: A CHIS renewal needs a review (RIPA s.43(6A))

    @Test("a CHIS or juvenile CHIS renewal needs a review since the grant or the last renewal; directed surveillance does not",
          arguments: AuthorisationType.allCases)
    func chisRenewalNeedsReview(type: AuthorisationType) throws {
        let policy = try F.policy()
        var a = try F.approved(type, grantedAt: "2026-01-12T10:00:00.000Z", approvedAt: "2026-01-14T10:00:00.000Z", policy: policy)
        let binds = type != .directedSurveillance
        func renew(at: String) throws { try a.renew(F.renewal(a.urn), by: F.mo, headOfPaidService: false, at: F.time(at)) }
        func review(at: String, next: String) throws {
            try a.review(ReviewRecord(urn: a.urn, findings: "Tasked", stillNecessary: true, nextReview: F.day(next)), by: F.mo, at: F.time(at), rules: policy.rules)
        }
        if binds {
            let error = #expect(throws: RIPAError.self) { try renew(at: "2026-02-01T10:00:00.000Z") }
            #expect(error?.code == .wrongState)
            #expect(error?.message.contains("no review since the grant (2026-01-12T10:00:00.000Z)") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("RIPA s.43(6A)") == true)
            #expect(a.periods.count == 1, "a refused step changes nothing")
            try review(at: "2026-02-01T09:00:00.000Z", next: "2026-02-20")
        }
        try renew(at: "2026-02-01T10:00:00.000Z")
        try a.recordJudicial(F.judicial(a.urn, at: "2026-02-02T10:00:00.000Z"), by: "ivan", at: F.time("2026-02-02T10:00:00.000Z"), rules: policy.rules)
        // The review before the first renewal does not count for the next.
        if binds {
            let error = #expect(throws: RIPAError.self) { try renew(at: "2026-02-10T10:00:00.000Z") }
            #expect(error?.message.contains("since the last renewal (2026-02-01T10:00:00.000Z)") == true, "\(error?.message ?? "")")
            try review(at: "2026-02-10T09:00:00.000Z", next: "2026-02-20")
        }
        try renew(at: "2026-02-10T10:00:00.000Z")
        #expect(a.pendingRenewal != nil)
    }

    // MARK: The statutory floor

    /// The shipped pack's text with one value changed, and the key and source the refusal names.
    struct BadPack: Sendable, CustomTestStringConvertible {
        let old: String
        let new: String
        let path: String
        let source: String
        var testDescription: String { "\(path): \(new)" }
    }

    static let badPacks: [BadPack] = [
        BadPack(old: "minimum_custody_months: 6", new: "minimum_custody_months: 5", path: "serious_crime_threshold.minimum_custody_months", source: "SI 2010/521 art. 7A(3)(a)"),
        BadPack(old: "applies_to: [directed-surveillance]", new: "applies_to: [chis]", path: "serious_crime_threshold.applies_to", source: "SI 2010/521 art. 7A(1)"),
        BadPack(old: "directed_surveillance:\n    months: 3", new: "directed_surveillance:\n    months: 4", path: "durations.directed_surveillance.months", source: "RIPA s.43(3)(c)"),
        BadPack(old: "juvenile_chis:\n    months: 4", new: "juvenile_chis:\n    months: 5", path: "durations.juvenile_chis.months", source: "SI 2000/2793 art. 6"),
        BadPack(old: "judicial_approval:\n  required: true", new: "judicial_approval:\n  required: false", path: "judicial_approval.required", source: "RIPA s.32A"),
        BadPack(old: "urgent_oral_authorisations:\n  allowed: false", new: "urgent_oral_authorisations:\n  allowed: true", path: "urgent_oral_authorisations.allowed", source: "RIPA s.43(1A)"),
    ]

    static func shippedPack() throws -> String {
        try String(contentsOfFile: RepositoryFiles.packPath, encoding: .utf8)
    }

    @Test("the shipped pack keeps to the statute; a pack changed in one value below it is refused by the loader, naming the key, the line and the source",
          arguments: badPacks)
    func loaderRefusesBelowStatute(bad: BadPack) throws {
        #expect(StatutoryFloor.violations(of: try RepositoryFiles.shippedPolicy().rules).isEmpty)
        let shipped = try Self.shippedPack()
        #expect(shipped.contains(bad.old), "the shipped pack no longer has \(bad.old)")
        let text = shipped.replacingOccurrences(of: bad.old, with: bad.new)
        let catalogue = try String(contentsOfFile: RepositoryFiles.cataloguePath, encoding: .utf8)
        let error = #expect(throws: PolicyError.self) { try PolicyLoader.load(files: [("pack.yaml", text), ("offences.yaml", catalogue)]) }
        #expect(error?.code == .belowStatute)
        #expect(error?.file == "pack.yaml")
        #expect(error?.message.contains("`\(bad.path)`") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(bad.source) == true, "\(error?.message ?? "")")
        let changedLine = text.components(separatedBy: "\n").firstIndex { $0.contains(bad.new.components(separatedBy: "\n").last!) }.map { $0 + 1 }
        #expect(error?.line == changedLine, "line \(error?.line.map(String.init) ?? "none")")
    }

    @Test("the same floors bind a pack built in code, and versions only increase")
    func requireAdoptable() throws {
        let shipped = try RepositoryFiles.shippedPolicy().rules
        try StatutoryFloor.requireAdoptable(shipped, replacing: nil)
        var longCHIS = shipped
        longCHIS.durations.chis.months = 13
        let error = #expect(throws: RIPAError.self) { try StatutoryFloor.requireAdoptable(longCHIS, replacing: nil) }
        #expect(error?.code == .policy)
        #expect(error?.message.contains("RIPA s.43(3)(b)") == true)
        var shortRetention = shipped
        shortRetention.retention.years = 2
        #expect(StatutoryFloor.violations(of: shortRetention).map(\.path) == ["retention.years"])
        // Stricter than the statute is fine.
        var stricter = shipped
        stricter.seriousCrimeThreshold.minimumCustodyMonths = 12
        stricter.durations.directedSurveillance.months = 2
        #expect(StatutoryFloor.violations(of: stricter).isEmpty)

        var next = shipped
        next.version = shipped.version + 1
        try StatutoryFloor.requireAdoptable(next, replacing: shipped)
        for version in [shipped.version, shipped.version - 1] {
            var stale = shipped
            stale.version = version
            let error = #expect(throws: RIPAError.self) { try StatutoryFloor.requireAdoptable(stale, replacing: shipped) }
            #expect(error?.message.contains("versions only increase") == true)
        }
    }

    @Test("only the art. 7A(3)(b) offences may be exempt, however the pack or catalogue marks them")
    func statutoryExemptions() throws {
        let shipped = try RepositoryFiles.shippedPolicy()
        #expect(StatutoryFloor.violations(of: shipped).isEmpty)
        #expect(shipped.offences.offences.filter(StatutoryFloor.isStatutoryExemption).map(\.id).sorted()
            == ["cfa-2014-s91", "cfa-2014-s92", "cypa-1933-s7", "la-2003-s146", "la-2003-s147", "la-2003-s147a"])
        var viaPack = shipped
        viaPack.rules.seriousCrimeThreshold.exemptOffences.append("epa-1990-s87")
        #expect(StatutoryFloor.violations(of: viaPack).map(\.path) == ["serious_crime_threshold.exempt_offences"])
        var viaCatalogue = shipped
        let index = try #require(viaCatalogue.offences.offences.firstIndex { $0.id == "epa-1990-s34" })
        viaCatalogue.offences.offences[index].exempt = true
        let error = #expect(throws: RIPAError.self) { try StatutoryFloor.requireAdoptable(viaCatalogue, replacing: nil) }
        #expect(error?.message.contains("offences[epa-1990-s34].exempt") == true, "\(error?.message ?? "")")
    }

    @Test("officer_may_shorten is optional: absent, the recorded JSON and its hash are as before")
    func mayShortenIsOptional() throws {
        var rules = try RepositoryFiles.shippedPolicy().rules
        #expect(rules.reviews.officerMayShorten == true)
        rules.reviews.officerMayShorten = nil
        let json = try JSONValue(encoding: rules)
        #expect(json["reviews"]?["officer_may_shorten"] == nil)
        #expect(!rules.reviews.mayShorten)
        let decoded = try JSONDecoder().decode(PolicyRules.self, from: Data(json.canonicalBytes))
        #expect(decoded == rules)
    }
}
