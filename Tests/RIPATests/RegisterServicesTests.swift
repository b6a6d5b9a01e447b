import Foundation
import Ledger
import MemoryStorage
import RegisterStorage
import Testing

@testable import RIPA

/// A register in memory (`MemoryBackend`, `MemoryKeyStore`) with `admin`, investigators
/// `ivan` and `ivy` and monitoring officer `mo`, under a clock the test moves; the services
/// as a front end gets them.
struct ServiceScene {
    let services: RegisterServices
    let register: Register
    let clock: ReplayClock
    private let unlocked: [String: Actor]
    /// Each as a front end has them for a decision: the key unsealed with the passphrase just
    /// given, at the clock's time (within the pack's step-up window, `SignerAuthentication`).
    var ivan: Actor { fresh("ivan") }
    var ivy: Actor { fresh("ivy") }
    var mo: Actor { fresh("mo") }
    private func fresh(_ id: String) -> Actor {
        let actor = unlocked[id]!
        return Actor(user: actor.user, key: actor.key, authenticatedAt: clock.now)
    }

    init(at start: String) async throws {
        let clock = ReplayClock(start)
        self.clock = clock
        let (register, _, founders) = try await Register.build(
            store: RegisterStore(backend: MemoryBackend(origin: "ripa.test-council.gov.uk/register")), keyStore: MemoryKeyStore(),
            administrators: [NewUser(userID: "admin", name: "Ada Admin", roles: [.administrator], rank: "Administrator")],
            policy: (try LifecycleFixture.policy(), ShippedPolicy.fileNames), testRegister: true, clock: .test { clock.now })
        self.register = register
        services = RegisterServices(register: register)
        try await register.acceptInvitation(userID: "admin", code: founders[0].code.description, passphrase: "velvet orbit lantern benjo")
        let admin = try await register.unlock(userID: "admin", passphrase: "velvet orbit lantern benjo")
        let people: [(String, String, [Role], String)] = [
            ("ivan", "Ivan", [.investigator], "Investigation Officer"), ("ivy", "Ivy", [.investigator], "Investigation Officer"),
            ("mo", "Mo Officer", [.monitoringOfficer], "Director of Law"),
        ]
        for (id, name, roles, rank) in people {
            let invitation = try await register.invite(NewUser(userID: id, name: name, roles: roles, rank: rank), by: admin)
            try await register.acceptInvitation(userID: id, code: invitation.code.description, passphrase: "copper kettle tide " + String(id.reversed()))
        }
        unlocked = [
            "ivan": try await register.unlock(userID: "ivan", passphrase: "copper kettle tide navi"),
            "ivy": try await register.unlock(userID: "ivy", passphrase: "copper kettle tide yvi"),
            "mo": try await register.unlock(userID: "mo", passphrase: "copper kettle tide om"),
        ]
    }

    static let profile = "https://www.facebook.com/sam.subject"

    func application(offences: [String] = ["fraud-act-2006-s1"], team: [String] = ["ivan"]) -> Application {
        Application(
            type: .directedSurveillance, operation: "Op Kestrel", purpose: "To detect fraud",
            subjects: [Subject(name: "Sam Subject", onlineIdentities: [try! OnlineIdentity(address: Self.profile)])],
            offences: offences, necessity: "Needed", proportionality: "Limited", collateralIntrusion: "Minimal",
            confidentialInformationLikely: false, team: team)
    }

    /// Applies as `ivan`; the URN.
    func apply(team: [String] = ["ivan"]) async throws -> String {
        try #require(try await services.casework.apply(application(team: team), by: ivan).urn)
    }

    /// Applies, grants and has a JP approve, at the clock's time; the URN.
    func approved(team: [String] = ["ivan"]) async throws -> String {
        let urn = try await apply(team: team)
        _ = try await services.casework.grant(urn: urn, reasons: "Necessary", reviewInterval: nil, firstReview: nil, directlyInvolved: false, by: mo)
        _ = try await services.casework.recordJudicial(
            urn: urn, decision: .approved, court: "Leeds Magistrates", magistrate: "J. Bench", decidedAt: clock.now, order: nil, by: ivan)
        return urn
    }

    /// The entry at `seq`, from the log, its personal fields opened as the register reads them.
    func entry(_ seq: UInt64) async throws -> Entry {
        try await register.store.read { try $0.opened(try $0.entry(at: seq)).entry }
    }

    func policyRules() async throws -> PolicyRules {
        try await register.policyInForce().policy.rules
    }
}

/// The casework service's typed commands and queries, on the in-memory backend.
@Suite("Casework service")
struct CaseworkServiceTests {
    @Test func applyAcceptsOrRecordsTheThresholdRefusal() async throws {
        let scene = try await ServiceScene(at: "2026-03-02T09:00:00.000Z")
        let accepted = try await scene.services.casework.apply(scene.application(), by: scene.ivan)
        #expect(accepted.urn == "DS-2026-0001" && accepted.accepted && accepted.threshold.passes)
        #expect(try await scene.entry(accepted.seq).kind == EntryKind.applicationSubmitted.rawValue)

        let refused = try await scene.services.casework.apply(scene.application(offences: ["epa-1990-s87"]), by: scene.ivan)
        #expect(refused.urn == nil && !refused.accepted && !refused.threshold.passes)
        #expect(try await scene.entry(refused.seq).kind == EntryKind.applicationRefused.rawValue)

        // The CLI's --json shapes: the URN when accepted, "refused": true when not.
        #expect(try JSONValue(encoding: accepted)["urn"] == "DS-2026-0001")
        #expect(try JSONValue(encoding: accepted)["refused"] == nil)
        #expect(try JSONValue(encoding: refused)["refused"] == true)
        #expect(try JSONValue(encoding: refused)["urn"] == nil)
    }

    /// The first review is counted from the time the grant entry carries, which the writer
    /// takes inside the transaction: with the clock behind the last entry (entry times never
    /// go backwards), that is the last entry's day, not the clock's.
    @Test func grantDefaultsTheFirstReviewFromTheEntryTimeInsideTheTransaction() async throws {
        let scene = try await ServiceScene(at: "2026-03-02T09:00:00.000Z")
        let urn = try await scene.apply()
        scene.clock.set("2026-02-20T09:00:00.000Z")
        // Unlocked under the clock behind the log: the unlock, like the entry, takes the log's time.
        let mo = try await scene.register.unlock(userID: "mo", passphrase: "copper kettle tide om")
        #expect(mo.authenticatedAt == LifecycleFixture.time("2026-03-02T09:00:00.000Z"))
        let granted = try await scene.services.casework.grant(
            urn: urn, reasons: "Necessary", reviewInterval: nil, firstReview: nil, directlyInvolved: false, by: mo)
        let rules = try await scene.policyRules()
        let entry = try await scene.entry(granted.seq)
        #expect(entry.time == LifecycleFixture.time("2026-03-02T09:00:00.000Z"))
        #expect(granted.reviewIntervalDays == rules.reviews.defaultIntervalDays)
        #expect(granted.firstReview == LifecycleFixture.day("2026-03-02").adding(days: rules.reviews.defaultIntervalDays))
        // What the entry records is what the service reports.
        #expect(try entry.body.decode(GrantDecision.self).firstReview == granted.firstReview)
        #expect(try await scene.services.casework.authorisation(urn).decision?.firstReview == granted.firstReview)
    }

    /// The day is the pack's (Europe/London): 23:30 UTC in summer is already the next day there.
    @Test func grantCountsTheDayInThePacksTimeZone() async throws {
        let scene = try await ServiceScene(at: "2026-07-01T09:00:00.000Z")
        let urn = try await scene.apply()
        scene.clock.set("2026-07-01T23:30:00.000Z")
        let granted = try await scene.services.casework.grant(
            urn: urn, reasons: "Necessary", reviewInterval: 7, firstReview: nil, directlyInvolved: true, by: scene.mo)
        #expect(granted.reviewIntervalDays == 7)
        #expect(granted.firstReview == LifecycleFixture.day("2026-07-09"))
        #expect(try await scene.services.casework.authorisation(urn).decision?.directlyInvolved == true)
    }

    @Test(arguments: [(0, "at least 1 day"), (366, "1 to 365"), (Int.max, "1 to 365")])
    func grantRefusesAnIntervalOutOfBounds(interval: Int, message: String) async throws {
        let scene = try await ServiceScene(at: "2026-03-02T09:00:00.000Z")
        let urn = try await scene.apply()
        let error = await #expect(throws: RIPAError.self) {
            try await scene.services.casework.grant(urn: urn, reasons: "x", reviewInterval: interval, firstReview: nil, directlyInvolved: false, by: scene.mo)
        }
        #expect(error?.message.contains(message) == true)
        #expect(try await scene.services.casework.authorisation(urn).decision == nil)
    }

    @Test func grantByTheApplicantIsRefusedAndNothingIsWritten() async throws {
        let scene = try await ServiceScene(at: "2026-03-02T09:00:00.000Z")
        let urn = try await scene.apply(team: ["ivan", "ivy"])
        let size = try await scene.register.store.read { try $0.size() }
        await #expect(throws: RIPAError.self) {
            try await scene.services.casework.grant(urn: urn, reasons: "x", reviewInterval: nil, firstReview: nil, directlyInvolved: false, by: scene.ivan)
        }
        #expect(try await scene.register.store.read { try $0.size() } == size)
    }

    @Test func judicialApprovalReportsThePeriodAndKeepsTheOrder() async throws {
        let scene = try await ServiceScene(at: "2026-01-10T09:00:00.000Z")
        let urn = try await scene.apply()
        _ = try await scene.services.casework.grant(urn: urn, reasons: "Necessary", reviewInterval: nil, firstReview: nil, directlyInvolved: false, by: scene.mo)
        scene.clock.set("2026-01-10T12:00:00.000Z")
        let order = Array("the JP's order".utf8)
        let recorded = try await scene.services.casework.recordJudicial(
            urn: urn, decision: .approved, court: "Leeds Magistrates", magistrate: "J. Bench", decidedAt: LifecycleFixture.time("2026-01-10T11:00:00.000Z"),
            order: order, by: scene.ivan)
        #expect(recorded.order == DocumentStore.hash(order) && recorded.orderBytes == order.count)
        #expect(recorded.period?.firstDay == LifecycleFixture.day("2026-01-10"))
        #expect(recorded.period?.lastDay == LifecycleFixture.day("2026-04-09"))
        #expect(recorded.period?.expiresAt == LifecycleFixture.time("2026-04-09T22:59:59.999Z"))
        #expect(try await scene.register.document(hash: recorded.order!) == order)
    }

    @Test func judicialRefusalHasNoPeriod() async throws {
        let scene = try await ServiceScene(at: "2026-01-10T09:00:00.000Z")
        let urn = try await scene.apply()
        _ = try await scene.services.casework.grant(urn: urn, reasons: "Necessary", reviewInterval: nil, firstReview: nil, directlyInvolved: false, by: scene.mo)
        let recorded = try await scene.services.casework.recordJudicial(
            urn: urn, decision: .refused, court: "Leeds Magistrates", magistrate: "J. Bench", decidedAt: scene.clock.now, order: nil, by: scene.ivan)
        #expect(recorded.period == nil && recorded.order == nil)
        #expect(try await scene.services.casework.status(of: urn).state == .refused)
    }

    /// The next review is counted from the review entry's day, plus the case's own interval.
    @Test func reviewDefaultsTheNextReviewFromTheEntryTime() async throws {
        let scene = try await ServiceScene(at: "2026-01-10T09:00:00.000Z")
        let urn = try await scene.apply()
        _ = try await scene.services.casework.grant(urn: urn, reasons: "Necessary", reviewInterval: 14, firstReview: nil, directlyInvolved: false, by: scene.mo)
        _ = try await scene.services.casework.recordJudicial(
            urn: urn, decision: .approved, court: "Leeds Magistrates", magistrate: "J. Bench", decidedAt: scene.clock.now, order: nil, by: scene.ivan)
        scene.clock.set("2026-01-20T10:00:00.000Z")
        let reviewed = try await scene.services.casework.review(urn: urn, findings: "Some", stillNecessary: true, nextReview: nil, by: scene.mo)
        #expect(reviewed.nextReview == LifecycleFixture.day("2026-02-03"))
        #expect(try await scene.entry(reviewed.seq).body.decode(ReviewRecord.self).nextReview == reviewed.nextReview)
        let given = try await scene.services.casework.review(
            urn: urn, findings: "More", stillNecessary: false, nextReview: LifecycleFixture.day("2026-01-25"), by: scene.mo)
        #expect(given.nextReview == LifecycleFixture.day("2026-01-25") && !given.stillNecessary)
    }

    /// Without a time of ceasing, the cancellation carries its own entry's time.
    @Test func cancelDefaultsCeasedAtToTheEntryTime() async throws {
        let scene = try await ServiceScene(at: "2026-01-10T09:00:00.000Z")
        let urn = try await scene.approved()
        scene.clock.set("2026-02-01T15:45:00.000Z")
        let cancelled = try await scene.services.casework.cancel(urn: urn, reason: "Done", valueObtained: "Evidence", ceasedAt: nil, by: scene.mo)
        let entry = try await scene.entry(cancelled.seq)
        #expect(cancelled.ceasedAt == entry.time)
        #expect(cancelled.ceasedAt == LifecycleFixture.time("2026-02-01T15:45:00.000Z"))
        #expect(try entry.body.decode(CancellationRecord.self).ceasedAt == entry.time)
        #expect(try await scene.services.casework.status(of: urn).state == .cancelled)
    }

    @Test func refuseAndRenew() async throws {
        let scene = try await ServiceScene(at: "2026-01-10T09:00:00.000Z")
        let refusedURN = try await scene.apply()
        let refused = try await scene.services.casework.refuse(urn: refusedURN, reasons: "Not proportionate", by: scene.mo)
        #expect(refused.urn == refusedURN)
        #expect(try await scene.services.casework.status(of: refusedURN).state == .refused)

        let urn = try await scene.approved()
        scene.clock.set("2026-04-01T09:00:00.000Z")
        let renewed = try await scene.services.casework.renew(urn: urn, changes: "None", valueSoFar: "Some", reasons: "Still needed", by: scene.mo)
        #expect(try await scene.entry(renewed.seq).kind == EntryKind.authorisationRenewed.rawValue)
        #expect(try await scene.services.casework.authorisation(urn).pendingRenewal != nil)
    }

    @Test func statusAtAMomentAndTheList() async throws {
        let scene = try await ServiceScene(at: "2026-01-10T09:00:00.000Z")
        let urn = try await scene.approved()
        _ = try await scene.services.gate.look(at: ServiceScene.profile, caseRef: "FR/1", purpose: "first", authorisation: nil, by: scene.ivan)
        scene.clock.set("2026-01-11T09:00:00.000Z")
        _ = try await scene.services.gate.look(at: ServiceScene.profile, caseRef: "FR/1", purpose: "again", authorisation: urn, by: scene.ivan)

        let status = try await scene.services.casework.status(of: urn)
        #expect(status.state == .active && status.timeZone == "Europe/London" && status.testRegister)
        #expect(status.views.map(\.outcome) == [.authorised])
        let json = try JSONValue(encoding: status)
        #expect(json["urn"] == .string(urn) && json["state"] == "active" && json["test_register"] == true)
        #expect(json["views"]?.arrayValue?.first?["case_ref"] == "FR/1")

        let before = try await scene.services.casework.status(of: urn, at: LifecycleFixture.time("2026-01-10T09:30:00.000Z"))
        // Approved at 09:00; the look under it came the next day.
        #expect(before.state == .active && before.views.isEmpty)
        await #expect(throws: RIPAError.self) {
            try await scene.services.casework.status(of: urn, at: LifecycleFixture.time("2026-01-01T00:00:00.000Z"))
        }
        await #expect(throws: RIPAError.self) { try await scene.services.casework.status(of: "DS-2026-0099") }

        let list = try await scene.services.casework.statuses()
        #expect(list.cases.map(\.urn) == [urn] && list.cases[0].state == .active && list.cases[0].expiresAt != nil)
        #expect(try await scene.services.casework.statuses(at: LifecycleFixture.time("2026-01-01T00:00:00.000Z")).cases.isEmpty)
    }

    @Test func dueListsTheNextReview() async throws {
        let scene = try await ServiceScene(at: "2026-01-10T09:00:00.000Z")
        let urn = try await scene.approved()
        let report = try await scene.services.casework.due(at: LifecycleFixture.time("2026-02-05T09:00:00.000Z"), within: 14)
        #expect(report.items.contains { $0.urn == urn && $0.kind == .reviewDue })
        #expect(try JSONValue(encoding: report.items).arrayValue?.first?["kind"] == "review-due")
        await #expect(throws: RIPAError.self) { try await scene.services.casework.due(within: -1) }
    }
}

/// The gate service: looks decided and recorded, decisions alone, histories across aliases.
@Suite("Gate service")
struct GateServiceTests {
    @Test func aFirstLookIsTheInitialExaminationAndARepeatIsRefused() async throws {
        let scene = try await ServiceScene(at: "2026-01-10T09:00:00.000Z")
        let before = try await scene.services.gate.decide(address: "fb.com/sam.subject", authorisation: nil, viewer: "ivan")
        #expect(before.allowed && before.basis == .initialExamination && before.profile == "facebook:samsubject")
        // Deciding records nothing.
        #expect(try await scene.services.gate.looks().looks.isEmpty)

        let first = try await scene.services.gate.look(at: ServiceScene.profile, caseRef: "FR/1", purpose: "check", authorisation: nil, by: scene.ivan)
        #expect(first.allowed && first.basis == .initialExamination && first.reason == nil)
        let again = try await scene.services.gate.look(at: "https://m.facebook.com/sam.subject/", caseRef: "FR/2", purpose: "again", authorisation: nil, by: scene.ivy)
        #expect(!again.allowed && again.reason != nil && again.profile == first.profile)
        #expect(try await scene.entry(again.seq).kind == EntryKind.viewRefused.rawValue)

        // --json keeps every key, null where there is none.
        let json = try JSONValue(encoding: first)
        #expect(json["urn"] == .null && json["reason"] == .null && json["basis"] == "initial-examination")

        let all = try await scene.services.gate.looks(profile: "fb.com/sam.subject")
        #expect(all.profile == "facebook:samsubject" && all.looks.map(\.outcome) == [.initial, .refused])
        #expect(try await scene.services.gate.looks(caseRef: "FR/2").looks.map(\.viewer) == ["ivy"])
        #expect(try JSONValue(encoding: all.looks[0])["urn"] == .null)
    }

    @Test func anAliasJoinsTwoProfilesHistories() async throws {
        let scene = try await ServiceScene(at: "2026-01-10T09:00:00.000Z")
        let handle = "https://x.com/samsubject", id = "https://x.com/i/user/123456789"
        _ = try await scene.services.gate.look(at: handle, caseRef: "FR/1", purpose: "check", authorisation: nil, by: scene.ivan)
        let alias = try await scene.services.gate.alias(handle, id, evidence: "The profile page shows both", by: scene.mo)
        #expect(alias.profiles.count == 2 && Set(alias.group) == Set(alias.profiles))
        let key = try await scene.services.gate.profileKey(address: id)
        #expect(alias.profiles.contains(key))

        // A look at the other identifier is a repeat look at the same account.
        let repeatLook = try await scene.services.gate.look(at: id, caseRef: "FR/1", purpose: "again", authorisation: nil, by: scene.ivy)
        #expect(!repeatLook.allowed)
        #expect(try await scene.services.gate.looks(profile: id).looks.count == 2)

        let aliases = try await scene.services.gate.aliases()
        #expect(aliases.map(\.seq) == [alias.seq] && aliases[0].recordedBy == "mo" && aliases[0].evidence == "The profile page shows both")
        #expect(try JSONValue(encoding: aliases[0])["recorded_by"] == "mo")

        // Only a monitoring officer records an alias.
        await #expect(throws: RIPAError.self) {
            try await scene.services.gate.alias("https://x.com/other", "https://x.com/i/user/987", evidence: "x", by: scene.ivan)
        }
    }
}

/// The record service: the central record and the annual statistics, computed from the log.
@Suite("Record service")
struct RecordServiceTests {
    @Test func centralRecordRowsAndFilters() async throws {
        let scene = try await ServiceScene(at: "2026-01-10T09:00:00.000Z")
        let urn = try await scene.approved()
        let record = try await scene.services.records.central()
        #expect(record.authorisations.map(\.urn) == [urn] && record.timeZone == "Europe/London" && record.testRegister)
        #expect(record.asAt == "2026-01-10 09:00")
        #expect(record.csv.hasPrefix(CSV.record(CentralRecordRow.fieldTitles)))
        let json = try JSONValue(encoding: record)
        #expect(json["from"] == .null && json["to"] == .null && json["as_at"] == "2026-01-10 09:00")

        let later = try await scene.services.records.central(from: LifecycleFixture.day("2026-02-01"), to: nil)
        #expect(later.authorisations.isEmpty && later.from == LifecycleFixture.day("2026-02-01"))
        await #expect(throws: RIPAError.self) {
            try await scene.services.records.central(from: LifecycleFixture.day("2026-02-01"), to: LifecycleFixture.day("2026-01-01"))
        }
    }

    /// The service gathers the statistics' input itself: the cases and the threshold refusals.
    @Test func statisticsCountTheCasesAndTheThresholdRefusals() async throws {
        let scene = try await ServiceScene(at: "2026-01-10T09:00:00.000Z")
        _ = try await scene.approved()
        _ = try await scene.services.casework.apply(scene.application(offences: ["epa-1990-s87"]), by: scene.ivan)
        let report = try await scene.services.records.statistics(year: 2026)
        #expect(report.statistics.year == 2026 && report.asAt == "2026-01-10 09:00")
        #expect(report.statistics.applications.total == 2)
        #expect(report.statistics.applications.refusedAtThreshold == 1)
        #expect(report.statistics.refusals.seriousCrimeThreshold == 1)
        #expect(report.statistics.grants.directedSurveillance == 1)
        #expect(try await scene.services.records.statistics(year: 2025).statistics.applications.total == 0)
        await #expect(throws: RIPAError.self) { try await scene.services.records.statistics(year: 99999) }
    }
}
