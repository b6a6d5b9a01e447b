import Foundation
import Ledger
import RegisterStorage
import Testing

@testable import RIPA

/// A `CaseContext` holding only what the gate reads: cases, the times of earlier allowed
/// looks (initial or authorised) and alias groups. It counts views at or after `since`, as
/// the live projection (`time_ms >= ?`) and the replay do, across the profile's alias group,
/// and remembers the `since` it was asked for so the tests can check the window the gate computes.
private final class GateContext: CaseContext {
    var cases: [String: Authorisation] = [:]
    var initialViews: [String: [EntryTime]] = [:]
    var aliases: [[String]] = []
    private(set) var askedSince: [EntryTime?] = []

    init(cases: [Authorisation] = [], initialViews: [String: [EntryTime]] = [:], aliases: [[String]] = []) {
        for authorisation in cases { self.cases[authorisation.urn] = authorisation }
        self.initialViews = initialViews
        self.aliases = aliases
    }

    func user(publicKey: PublicKey) throws -> UserRecord? { nil }
    func user(id: String) throws -> UserRecord? { nil }
    func policy() throws -> AdoptedPolicy? { nil }
    func authorisation(urn: String) throws -> Authorisation? { cases[urn] }
    func urnCount(type: AuthorisationType, year: Int) throws -> Int { 0 }
    func authorisations(coveringProfile profile: String) throws -> [Authorisation] {
        cases.values.filter { $0.covers(profile: profile) }.sorted { $0.urn < $1.urn }
    }
    func allowedViewCount(profile: String, since: EntryTime?, at time: EntryTime) throws -> Int {
        askedSince.append(since)
        let times = try aliasGroup(of: profile).flatMap { initialViews[$0] ?? [] }
        guard let since else { return times.count }
        return times.count { $0 >= since }
    }
    func aliasGroup(of profile: String) throws -> [String] {
        aliases.first { $0.contains(profile) } ?? [profile]
    }
}

private func time(_ text: String) -> EntryTime {
    guard let time = try? EntryTime(parsing: text) else { fatalError("bad time in test: \(text)") }
    return time
}

private func plus(_ time: EntryTime, ms: Int64) -> EntryTime {
    EntryTime(millisecondsSince1970: time.millisecondsSince1970 + ms)
}

private let day: Int64 = 86_400_000
private let jo = "facebook:jobloggs"

/// The decision of the viewing gate (RIPA.md §5), against a context built by hand.
@Suite("Viewing gate decisions (RIPA.md §5)")
struct ViewingGateTests {
    static let applied = time("2026-01-10T09:00:00.000Z")
    static let granted = time("2026-01-10T10:00:00.000Z")
    static let approved = time("2026-01-10T12:00:00.000Z")
    /// Approved on 10 January 2026: three months (s.43(3)) to the end of 9 April, which is in
    /// British Summer Time, so 22:59:59.999 UTC.
    static let expiry = time("2026-04-09T22:59:59.999Z")
    static let now = time("2026-02-01T12:00:00.000Z")

    static func rules(allowed: Int = 1, windowDays: Int? = nil) throws -> PolicyRules {
        var rules = try RepositoryFiles.shippedPolicy().rules
        rules.openSourceViewing = .init(unauthorisedViewsAllowed: allowed, windowDays: windowDays, source: "test")
        return rules
    }

    /// ivan's directed surveillance case for the given profiles, through the real lifecycle
    /// steps: applied 09:00, granted 10:00 (unless `granted` is false), and the JP's
    /// `judicial` decision recorded at 12:00 on 10 January 2026 (none if nil).
    static func authorisation(
        urn: String = "DS-2026-0001", addresses: [String] = ["https://www.facebook.com/jo.bloggs"], team: [String] = ["ivan"],
        judicial: JudicialOutcome? = .approved, granted grant: Bool = true
    ) throws -> Authorisation {
        let policy = try RepositoryFiles.shippedPolicy()
        let application = Application(
            type: .directedSurveillance, operation: "Operation Ledger", purpose: "detecting fraud",
            subjects: [Subject(name: "Jo Bloggs", onlineIdentities: try addresses.map { try OnlineIdentity(address: $0) })],
            offences: ["fraud-act-2006-s1"], necessity: "n", proportionality: "p", collateralIntrusion: "c",
            confidentialInformationLikely: false, team: team)
        let threshold = try SeriousCrimeThreshold.evaluate(type: .directedSurveillance, offenceIDs: application.offences, policy: policy)
        var authorisation = Authorisation(
            submission: ApplicationSubmission(urn: urn, application: application, threshold: threshold, policyHash: "test"),
            applicant: "ivan", at: applied)
        guard grant else { return authorisation }
        let mo = Authorisation.Officer(userID: "mo", name: "Mo", rank: "Director of Law")
        try authorisation.grant(
            GrantDecision(urn: urn, reasons: "necessary", reviewIntervalDays: 28, firstReview: CivilDate(parsing: "2026-02-07")!, directlyInvolved: false),
            by: mo, headOfPaidService: false, at: granted)
        if let judicial {
            try authorisation.recordJudicial(
                JudicialDecision(urn: urn, decision: judicial, court: "Westminster", magistrate: "DJ Smith", decidedAt: approved),
                by: "mo", at: approved, rules: try rules())
        }
        return authorisation
    }

    // MARK: The allowance

    @Test(
        "Views without an authorisation, by allowance and earlier initial examinations",
        arguments: [
            (0, 0, false), (1, 0, true), (1, 1, false), (1, 5, false),
            (2, 0, true), (2, 1, true), (2, 2, false), (2, 3, false),
        ])
    func allowance(allowed: Int, earlier: Int, expected: Bool) throws {
        let context = GateContext(initialViews: [jo: Array(repeating: Self.applied, count: earlier)])
        let decision = try ViewingGate.decide(
            profile: jo, viewer: "ivan", urn: nil, at: Self.now, rules: try Self.rules(allowed: allowed), context: context)
        #expect(decision.allowed == expected)
        #expect(decision.basis == (expected ? .initialExamination : nil))
        #expect((decision.reason == nil) == expected)
        if !expected {
            let reason = try #require(decision.reason)
            #expect(decision.refusal?.reason == (allowed == 0 ? .gateNoAllowance : .gateInitialAllowanceUsed))
            #expect(decision.refusal?.values["profile"] == jo)
            #expect(decision.refusal?.values["live_authorisations"] == nil, "no authorisation to cite")
            #expect(reason.contains("needs a directed surveillance authorisation"), "\(reason)")
            #expect(reason.contains(jo))
        }
        #expect(context.askedSince == [nil], "no window: counted over all time")
    }

    @Test func allowanceZeroNeedsAnAuthorisationForEveryLookAndSaysSo() throws {
        let rules = try Self.rules(allowed: 0)
        let live = try Self.authorisation()
        let context = GateContext(cases: [live])
        let bare = try ViewingGate.decide(profile: jo, viewer: "ivan", urn: nil, at: Self.now, rules: rules, context: context)
        #expect(!bare.allowed)
        let reason = try #require(bare.reason)
        #expect(!reason.contains("already had"), "a first look is not a repeat: \(reason)")
        #expect(reason.contains("without an authorisation"), "\(reason)")
        #expect(bare.refusal?.reason == .gateNoAllowance)
        #expect(bare.refusal?.values == ["profile": jo, "live_authorisations": "DS-2026-0001"])
        #expect(reason.contains("a live authorisation covers it and you: DS-2026-0001"), "\(reason)")
        let cited = try ViewingGate.decide(profile: jo, viewer: "ivan", urn: live.urn, at: Self.now, rules: rules, context: context)
        #expect(cited == .init(allowed: true, basis: .authorisation, refusal: nil))
    }

    @Test func theRefusalCountsWhatThePolicyAllows() throws {
        let two = try ViewingGate.decide(
            profile: jo, viewer: "ivan", urn: nil, at: Self.now, rules: try Self.rules(allowed: 2, windowDays: 30),
            context: GateContext(initialViews: [jo: [Self.applied, Self.applied]]))
        #expect(two.reason?.contains("2 initial examinations in the last 30 days") == true, "\(two.reason ?? "")")
        let one = try ViewingGate.decide(
            profile: jo, viewer: "ivan", urn: nil, at: Self.now, rules: try Self.rules(allowed: 1),
            context: GateContext(initialViews: [jo: [Self.applied]]))
        #expect(one.reason?.contains("1 initial examination;") == true, "\(one.reason ?? "")")
    }

    @Test func otherProfilesDoNotCount() throws {
        let context = GateContext(initialViews: ["facebook:jobloggs2": [Self.applied], "instagram:jo.bloggs": [Self.applied]])
        let decision = try ViewingGate.decide(profile: jo, viewer: "ivan", urn: nil, at: Self.now, rules: try Self.rules(), context: context)
        #expect(decision.allowed && decision.basis == .initialExamination)
    }

    // MARK: The window

    @Test(
        "An earlier look counts while it is within the window, its first millisecond included",
        arguments: [
            (7 * day + 1, true),  // just outside
            (7 * day, false),  // exactly window_days ago: still inside
            (7 * day - 1, false),
            (1, false),
            (0, false),
            (8 * day, true),
            (365 * day, true),
        ])
    func window(earlierBy: Int64, expected: Bool) throws {
        let context = GateContext(initialViews: [jo: [plus(Self.now, ms: -earlierBy)]])
        let decision = try ViewingGate.decide(
            profile: jo, viewer: "ivan", urn: nil, at: Self.now, rules: try Self.rules(allowed: 1, windowDays: 7), context: context)
        #expect(decision.allowed == expected)
        #expect(context.askedSince == [plus(Self.now, ms: -7 * day)])
        if !expected { #expect(decision.reason?.contains("in the last 7 days") == true) }
    }

    // MARK: The authorisation at the exact millisecond

    @Test func theExpiryIsTheEndOfTheLastDayInLondon() throws {
        #expect(try Self.authorisation().expiresAt(at: Self.now) == Self.expiry)
    }

    @Test(
        "A cited authorisation is live from its JP approval to its last millisecond",
        arguments: [
            (ViewingGateTests.granted, "granted-awaiting-approval"),
            (plus(ViewingGateTests.approved, ms: -1), "granted-awaiting-approval"),
            (ViewingGateTests.approved, nil),
            (ViewingGateTests.now, nil),
            (plus(ViewingGateTests.expiry, ms: -1), nil),
            (ViewingGateTests.expiry, nil),
            (plus(ViewingGateTests.expiry, ms: 1), "is expired"),
            (plus(ViewingGateTests.expiry, ms: 30 * day), "is expired"),
        ] as [(EntryTime, String?)])
    func stateAt(_ at: EntryTime, refusal: String?) throws {
        let context = GateContext(cases: [try Self.authorisation()])
        let decision = try ViewingGate.decide(
            profile: jo, viewer: "ivan", urn: "DS-2026-0001", at: at, rules: try Self.rules(), context: context)
        #expect(decision.allowed == (refusal == nil))
        #expect(decision.basis == (refusal == nil ? .authorisation : nil))
        if let refusal {
            #expect(decision.reason?.contains(refusal) == true, "\(decision.reason ?? "")")
        }
        // Citing an authorisation does not use up the initial examination.
        #expect(context.askedSince.isEmpty)
    }

    @Test(arguments: [(-1 as Int64, true), (0, false), (1, false)])
    func cancellationTakesEffectAtItsMillisecond(offset: Int64, allowed: Bool) throws {
        var authorisation = try Self.authorisation()
        let mo = Authorisation.Officer(userID: "mo", name: "Mo", rank: "Director of Law")
        try authorisation.cancel(
            CancellationRecord(urn: authorisation.urn, reason: "done", valueObtained: "some", ceasedAt: Self.now), by: mo, at: Self.now)
        let decision = try ViewingGate.decide(
            profile: jo, viewer: "ivan", urn: authorisation.urn, at: plus(Self.now, ms: offset), rules: try Self.rules(),
            context: GateContext(cases: [authorisation]))
        #expect(decision.allowed == allowed)
        if !allowed { #expect(decision.reason?.contains("is cancelled") == true) }
    }

    // MARK: What the authorisation must name

    enum Unfit: String, CaseIterable {
        case unknown, notGranted, refusedByJP, quashed, wrongProfile, wrongTeam
    }

    @Test(arguments: Unfit.allCases)
    func aCitedAuthorisationMustBeLiveAndNameTheProfileAndTheViewer(_ unfit: Unfit) throws {
        var viewer = "ivan"
        var cases: [Authorisation] = []
        let fragment: String
        switch unfit {
        case .unknown:
            fragment = "is not a case"
        case .notGranted:
            cases = [try Self.authorisation(granted: false)]
            fragment = "is applied"
        case .refusedByJP:
            cases = [try Self.authorisation(judicial: .refused)]
            fragment = "is refused"
        case .quashed:
            cases = [try Self.authorisation(judicial: .quashed)]
            fragment = "is refused"
        case .wrongProfile:
            cases = [try Self.authorisation(addresses: ["https://www.facebook.com/jo.bloggs2", "https://www.instagram.com/jo.bloggs"])]
            fragment = "does not name \(jo)"
        case .wrongTeam:
            cases = [try Self.authorisation()]
            viewer = "ivy"
            fragment = "ivy is not on the team"
        }
        let decision = try ViewingGate.decide(
            profile: jo, viewer: viewer, urn: "DS-2026-0001", at: Self.now, rules: try Self.rules(), context: GateContext(cases: cases))
        #expect(!decision.allowed)
        #expect(decision.basis == nil)
        #expect(decision.reason?.contains(fragment) == true, "\(decision.reason ?? "")")
    }

    @Test func aTeamMemberOtherThanTheApplicantIsCovered() throws {
        let context = GateContext(cases: [try Self.authorisation(team: ["ivan", "ivy"])])
        let decision = try ViewingGate.decide(profile: jo, viewer: "ivy", urn: "DS-2026-0001", at: Self.now, rules: try Self.rules(), context: context)
        #expect(decision.allowed && decision.basis == .authorisation)
    }

    // MARK: What the refusal tells the investigator

    @Test func theRefusalNamesOnlyLiveAuthorisationsTheViewerMayCite() throws {
        let live = try Self.authorisation(urn: "DS-2026-0001")
        let second = try Self.authorisation(urn: "DS-2026-0002", addresses: ["fb.com/jo.bloggs"])
        let awaiting = try Self.authorisation(urn: "DS-2026-0003", judicial: nil)
        let elsewhere = try Self.authorisation(urn: "DS-2026-0004", addresses: ["https://www.facebook.com/someone.else"])
        let context = GateContext(cases: [live, second, awaiting, elsewhere], initialViews: [jo: [Self.applied]])
        let rules = try Self.rules()

        let ivan = try ViewingGate.decide(profile: jo, viewer: "ivan", urn: nil, at: Self.now, rules: rules, context: context)
        #expect(!ivan.allowed)
        #expect(ivan.refusal?.reason == .gateInitialAllowanceUsed)
        #expect(ivan.refusal?.values["live_authorisations"] == "DS-2026-0001,DS-2026-0002")
        #expect(ivan.reason?.hasSuffix("a live authorisation covers it and you: DS-2026-0001 or DS-2026-0002") == true, "\(ivan.reason ?? "")")

        // ivy is on none of the teams: she is told to apply.
        let ivy = try ViewingGate.decide(profile: jo, viewer: "ivy", urn: nil, at: Self.now, rules: rules, context: context)
        #expect(ivy.refusal?.values["live_authorisations"] == nil)
        #expect(ivy.reason?.contains("needs a directed surveillance authorisation") == true)
        #expect(ivy.reason?.contains("DS-2026") == false)

        // After expiry, nothing is live.
        let later = try ViewingGate.decide(profile: jo, viewer: "ivan", urn: nil, at: plus(Self.expiry, ms: 1), rules: rules, context: context)
        #expect(later.refusal?.values["live_authorisations"] == nil)
        #expect(later.reason?.contains("needs a directed surveillance authorisation") == true)
        #expect(later.reason?.contains("DS-2026") == false)
    }

    // MARK: Aliases (issue 8 §3.4)

    @Test func viewsOfAnAliasCountAsViewsOfTheProfile() throws {
        let handle = "x:jobloggs", id = "x:id:12"
        let aliased = GateContext(initialViews: [id: [Self.applied]], aliases: [[id, handle]])
        let refused = try ViewingGate.decide(profile: handle, viewer: "ivan", urn: nil, at: Self.now, rules: try Self.rules(), context: aliased)
        #expect(!refused.allowed)
        #expect(refused.reason?.contains("already had its 1 initial examination") == true, "\(refused.reason ?? "")")
        // Without the alias the two keys are two profiles.
        let separate = try ViewingGate.decide(
            profile: handle, viewer: "ivan", urn: nil, at: Self.now, rules: try Self.rules(),
            context: GateContext(initialViews: [id: [Self.applied]]))
        #expect(separate.allowed && separate.basis == .initialExamination)
    }

    @Test func anAuthorisationNamingEitherAliasCoversBoth() throws {
        let live = try Self.authorisation(addresses: ["https://x.com/i/user/12"])
        let handle = "x:jobloggs"
        let cited = try ViewingGate.decide(
            profile: handle, viewer: "ivan", urn: live.urn, at: Self.now, rules: try Self.rules(),
            context: GateContext(cases: [live], aliases: [["x:id:12", handle]]))
        #expect(cited == .init(allowed: true, basis: .authorisation, refusal: nil))
        let uncovered = try ViewingGate.decide(
            profile: handle, viewer: "ivan", urn: live.urn, at: Self.now, rules: try Self.rules(), context: GateContext(cases: [live]))
        #expect(!uncovered.allowed && uncovered.reason?.contains("does not name x:jobloggs") == true)
        // The refusal of an uncited repeat names the authorisation that covers the alias.
        let hint = try ViewingGate.decide(
            profile: handle, viewer: "ivan", urn: nil, at: Self.now, rules: try Self.rules(),
            context: GateContext(cases: [live], initialViews: [handle: [Self.applied]], aliases: [["x:id:12", handle]]))
        #expect(hint.refusal?.values["live_authorisations"] == live.urn, "\(hint.reason ?? "")")
        #expect(hint.reason?.hasSuffix("a live authorisation covers it and you: \(live.urn)") == true, "\(hint.reason ?? "")")
    }
}
