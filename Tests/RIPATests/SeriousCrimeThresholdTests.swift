import Foundation
import Testing

@testable import RIPA

/// A pack bound to directed surveillance only, with offences at the edges of the 6-month test.
private enum ThresholdFixture {
    static let catalogue = """
        schema: ripa-register/offence-catalogue/v1
        offences:
          - {id: ten-years, title: ten years, statute: Test Act 2026, section: s.1, maximum: {years: 10}, exempt: false, source: "https://example.org/1"}
          - {id: three-months, title: three months, statute: Test Act 2026, section: s.2, maximum: {months: 3}, exempt: false, source: "https://example.org/2"}
          - {id: six-months, title: six months, statute: Test Act 2026, section: s.3, maximum: {months: 6}, exempt: false, source: "https://example.org/3"}
          - {id: five-months, title: five months, statute: Test Act 2026, section: s.4, maximum: {months: 5}, exempt: false, source: "https://example.org/4"}
          - {id: year-and-half, title: eighteen months, statute: Test Act 2026, section: s.5, maximum: {years: 1, months: 6}, exempt: false, source: "https://example.org/5"}
          - {id: life-offence, title: life, statute: Test Act 2026, section: s.6, maximum: life, exempt: false, source: "https://example.org/6"}
          - {id: fine-offence, title: fine only, statute: Test Act 2026, section: s.7, maximum: fine-only, exempt: false, source: "https://example.org/7"}
          - {id: pack-exempt, title: exempt by the pack, statute: Test Act 2026, section: s.8, maximum: fine-only, exempt: false, source: "https://example.org/8"}
          - {id: flag-exempt, title: exempt by its flag, statute: Test Act 2026, section: s.9, maximum: fine-only, exempt: true, source: "https://example.org/9"}

        """

    static let pack = PolicyFixtures.replacing("    - underage-sale", with: "    - pack-exempt", in: PolicyFixtures.pack)

    static let policy: Policy = {
        do {
            return try PolicyLoader.load(files: [("pack.yaml", pack), ("offences.yaml", catalogue)])
        } catch {
            fatalError("threshold fixture does not load: \(error)")
        }
    }()
}

/// One application's offences and what the threshold must decide.
struct ThresholdCase: Sendable, CustomTestStringConvertible {
    var name: String
    var type: AuthorisationType
    var offences: [String]
    var applies: Bool
    var passes: Bool
    /// Per offence: whether it passes and a phrase its reason must contain.
    var findings: [(passes: Bool, reason: String)]
    var testDescription: String { name }
}

@Suite("Serious crime threshold (SI 2010/521 art. 7A)")
struct SeriousCrimeThresholdTests {
    static let cases: [ThresholdCase] = [
        ThresholdCase(
            name: "ten years passes", type: .directedSurveillance, offences: ["ten-years"], applies: true, passes: true,
            findings: [(true, "maximum 10 years meets the 6 months SI 2010/521 art. 7A(3)(a) requires")]),
        ThresholdCase(
            name: "three months fails", type: .directedSurveillance, offences: ["three-months"], applies: true, passes: false,
            findings: [(false, "maximum 3 months is below the 6 months SI 2010/521 art. 7A(3)(a) requires")]),
        ThresholdCase(
            name: "exactly six months passes", type: .directedSurveillance, offences: ["six-months"], applies: true, passes: true,
            findings: [(true, "maximum 6 months meets")]),
        ThresholdCase(
            name: "five months fails", type: .directedSurveillance, offences: ["five-months"], applies: true, passes: false,
            findings: [(false, "maximum 5 months is below")]),
        ThresholdCase(
            name: "a year and six months passes", type: .directedSurveillance, offences: ["year-and-half"], applies: true, passes: true,
            findings: [(true, "maximum 1 year 6 months meets")]),
        ThresholdCase(
            name: "life passes", type: .directedSurveillance, offences: ["life-offence"], applies: true, passes: true,
            findings: [(true, "life imprisonment")]),
        ThresholdCase(
            name: "fine only fails", type: .directedSurveillance, offences: ["fine-offence"], applies: true, passes: false,
            findings: [(false, "fine only: no term of imprisonment")]),
        ThresholdCase(
            name: "exempt by the pack's list passes", type: .directedSurveillance, offences: ["pack-exempt"], applies: true, passes: true,
            findings: [(true, "exempt underage-sales offence, SI 2010/521 art. 7A(3)(b)")]),
        ThresholdCase(
            name: "exempt by the catalogue flag passes", type: .directedSurveillance, offences: ["flag-exempt"], applies: true, passes: true,
            findings: [(true, "art. 7A(3)(b)")]),
        ThresholdCase(
            name: "several offences where one passes", type: .directedSurveillance,
            offences: ["fine-offence", "three-months", "ten-years"], applies: true, passes: true,
            findings: [(false, "fine only"), (false, "below"), (true, "meets")]),
        ThresholdCase(
            name: "several offences all failing", type: .directedSurveillance,
            offences: ["fine-offence", "three-months", "five-months"], applies: true, passes: false,
            findings: [(false, "fine only"), (false, "3 months is below"), (false, "5 months is below")]),
        ThresholdCase(
            name: "a repeated offence is counted once", type: .directedSurveillance,
            offences: ["three-months", "three-months"], applies: true, passes: false,
            findings: [(false, "below")]),
        ThresholdCase(
            name: "no offences fails directed surveillance", type: .directedSurveillance, offences: [], applies: true, passes: false,
            findings: []),
        ThresholdCase(
            name: "CHIS is not bound", type: .chis, offences: ["fine-offence"], applies: false, passes: true, findings: []),
        ThresholdCase(
            name: "juvenile CHIS is not bound", type: .juvenileCHIS, offences: ["three-months"], applies: false, passes: true, findings: []),
        ThresholdCase(
            name: "CHIS with no offences is not bound", type: .chis, offences: [], applies: false, passes: true, findings: []),
    ]

    @Test("decisions at the edges of art. 7A(3)", arguments: cases)
    func decides(_ c: ThresholdCase) throws {
        let result = try SeriousCrimeThreshold.evaluate(type: c.type, offenceIDs: c.offences, policy: ThresholdFixture.policy)
        #expect(result.type == c.type)
        #expect(result.applies == c.applies)
        #expect(result.passes == c.passes)
        #expect(result.minimumCustodyMonths == 6)
        try #require(result.findings.count == c.findings.count, "\(result.findings)")
        for (finding, expected) in zip(result.findings, c.findings) {
            #expect(finding.passes == expected.passes, "\(finding.offenceID)")
            #expect(finding.reason.contains(expected.reason), "\(finding.reason) should contain \(expected.reason)")
        }
        #expect(result.summary.hasPrefix(c.passes ? (c.applies ? "Threshold met" : "The serious crime threshold does not apply") : "Refused"))
        #expect(result.summary.contains("art. 7A"))
    }

    @Test("a refusal names every offence, its maximum and why it fails")
    func refusalSummary() throws {
        let result = try SeriousCrimeThreshold.evaluate(
            type: .directedSurveillance, offenceIDs: ["fine-offence", "three-months"], policy: ThresholdFixture.policy)
        #expect(!result.passes)
        #expect(result.summary.contains("fine-offence: fine only"))
        #expect(result.summary.contains("three-months: maximum 3 months is below the 6 months"))
        let finding = try #require(result.findings.last)
        #expect(finding.offenceID == "three-months")
        #expect(finding.statute == "Test Act 2026")
        #expect(finding.section == "s.2")
        #expect(finding.maximum == .term(months: 3))
        #expect(!finding.exempt)
    }

    @Test("no offences for directed surveillance is refused with art. 7A(2)")
    func emptyOffenceList() throws {
        let result = try SeriousCrimeThreshold.evaluate(type: .directedSurveillance, offenceIDs: [], policy: ThresholdFixture.policy)
        #expect(!result.passes)
        #expect(result.summary.contains("art. 7A(2)"))
        #expect(result.summary.contains("none was given"))
    }

    @Test("an unknown offence id says how to add it, for every type", arguments: AuthorisationType.allCases)
    func unknownOffence(type: AuthorisationType) throws {
        let error = #expect(throws: PolicyError.self) {
            try SeriousCrimeThreshold.evaluate(type: type, offenceIDs: ["ten-years", "fruad"], policy: ThresholdFixture.policy)
        }
        let found = try #require(error)
        #expect(found.code == .unknownOffence)
        #expect(found.message.contains("`fruad`"))
        #expect(found.message.contains("Policies/offences.yaml"))
        #expect(found.message.contains("statute, section, maximum"))
        #expect(found.message.contains("adopt the pack and catalogue again"))
        #expect(!found.message.contains("ripa "), "the domain names no command: the CLI's hint does")
    }

    @Test("the threshold binds whatever types the pack lists")
    func packDecidesWhatIsBound() throws {
        let pack = PolicyFixtures.replacing("[directed-surveillance]", with: "[directed-surveillance, chis]", in: ThresholdFixture.pack)
        let policy = try PolicyLoader.load(files: [("pack.yaml", pack), ("offences.yaml", ThresholdFixture.catalogue)])
        let chis = try SeriousCrimeThreshold.evaluate(type: .chis, offenceIDs: ["fine-offence"], policy: policy)
        #expect(chis.applies)
        #expect(!chis.passes)
    }

    @Test("the pack's minimum is the one applied")
    func packDecidesTheMinimum() throws {
        let pack = PolicyFixtures.replacing("minimum_custody_months: 6", with: "minimum_custody_months: 12", in: ThresholdFixture.pack)
        let policy = try PolicyLoader.load(files: [("pack.yaml", pack), ("offences.yaml", ThresholdFixture.catalogue)])
        let result = try SeriousCrimeThreshold.evaluate(type: .directedSurveillance, offenceIDs: ["year-and-half", "six-months"], policy: policy)
        #expect(result.passes)
        #expect(result.findings.map(\.passes) == [true, false])
        #expect(result.findings[1].reason.contains("below the 1 year"))
    }

    /// RIPA.md §6: every shipped catalogue row with its threshold column (pass, fail or exempt).
    static let shippedRows: [(id: String, verdict: String)] = [
        ("fraud-act-2006-s1", "pass"), ("theft-act-1968-s17", "pass"), ("ssaa-1992-s111a", "pass"),
        ("ssaa-1992-s112", "fail"), ("psh-fraud-2013-s1-1", "fail"), ("psh-fraud-2013-s1-2", "pass"),
        ("epa-1990-s33", "pass"), ("epa-1990-s34", "fail"), ("epa-1990-s87", "fail"), ("epa-1990-s80-4", "fail"),
        ("tma-1994-s92", "pass"), ("cdpa-1988-s107", "pass"), ("cpr-2008-reg8", "pass"),
        ("gpsr-2005-reg20-1", "pass"), ("gpsr-2005-reg20-2", "fail"), ("fshr-2013-reg19", "pass"),
        ("ha-2004-s72-1", "fail"), ("pfea-1977-s1", "pass"), ("rtra-1984-s117", "fail"), ("fsma-2000-s23", "pass"),
        ("la-2003-s136", "pass"), ("la-2003-s146", "exempt"), ("la-2003-s147", "exempt"), ("la-2003-s147a", "exempt"),
        ("cypa-1933-s7", "exempt"), ("cfa-2014-s91", "exempt"), ("cfa-2014-s92", "exempt"),
        ("cja-1988-s141a", "pass"), ("awa-2006-s4", "pass"),
    ]

    @Test("the shipped catalogue gives RIPA.md §6's verdict for every row", arguments: shippedRows)
    func shippedCatalogue(id: String, verdict: String) throws {
        let policy = try RepositoryFiles.shippedPolicy()
        let result = try SeriousCrimeThreshold.evaluate(type: .directedSurveillance, offenceIDs: [id], policy: policy)
        let finding = try #require(result.findings.first)
        #expect(result.passes == (verdict != "fail"))
        #expect(finding.exempt == (verdict == "exempt"))
    }

    @Test("every shipped offence is in the table above")
    func shippedTableIsComplete() throws {
        let policy = try RepositoryFiles.shippedPolicy()
        #expect(Set(policy.offences.offences.map(\.id)) == Set(Self.shippedRows.map(\.id)))
    }

    @Test("a result encodes with snake_case keys and no floating-point numbers")
    func resultEncoding() throws {
        let result = try SeriousCrimeThreshold.evaluate(
            type: .directedSurveillance, offenceIDs: ["year-and-half"], policy: ThresholdFixture.policy)
        let data = try JSONEncoder().encode(result)
        let json = try JSONDecoder().decode(PlainJSON.self, from: data)
        #expect(!json.containsFloat)
        guard case .object(let top) = json, case .array(let findings)? = top["findings"], case .object(let first)? = findings.first else {
            Issue.record("unexpected shape \(json)")
            return
        }
        #expect(top["type"] == .string("directed-surveillance"))
        #expect(top["minimum_custody_months"] == .int(6))
        #expect(first["offence_id"] == .string("year-and-half"))
        #expect(first["maximum"] == .object(["years": .int(1), "months": .int(6)]))
        #expect(try JSONDecoder().decode(ThresholdResult.self, from: data) == result)
    }
}
