import Foundation
import Ledger
import MemoryStorage
import RegisterStorage
import Testing

@testable import RIPA

/// A test register in memory with two founding administrators (`alice`, `bob`), investigator
/// `ivan` and monitoring officer `mo`, under a clock the test moves. Actors are unlocked afresh
/// each time (`actor(_:)`): a decision's step-up is counted from the unlock.
struct RetentionScene {
    static let passphrases = [
        "alice": "amber lantern over quiet meadows", "bob": "seven copper kettles hum softly",
        "ivan": "violet harbour under winter stars", "mo": "granite owls guard the orchard",
    ]
    static let profile = "https://www.facebook.com/sam.subject"

    let register: Register
    let services: RegisterServices
    let clock: ReplayClock

    init(at start: String = "2026-03-02T09:00:00.000Z", administrators: [String] = ["alice", "bob"]) async throws {
        let clock = ReplayClock(start)
        self.clock = clock
        let (register, _, founders) = try await Register.build(
            store: RegisterStore(backend: MemoryBackend(origin: "ripa.test-council.gov.uk/register")), keyStore: MemoryKeyStore(),
            administrators: administrators.map { NewUser(userID: $0, name: $0.capitalized, roles: [.administrator], rank: "Administrator") },
            policy: (try LifecycleFixture.policy(), ShippedPolicy.fileNames), testRegister: true, clock: .test { clock.now })
        self.register = register
        services = RegisterServices(register: register)
        for founder in founders {
            try await register.acceptInvitation(userID: founder.userID, code: founder.code.description, passphrase: Self.passphrases[founder.userID]!)
        }
        let inviter = try await register.unlock(userID: administrators[0], passphrase: Self.passphrases[administrators[0]]!)
        for (id, roles, rank) in [("ivan", [Role.investigator], "Investigation Officer"), ("mo", [Role.monitoringOfficer], "Director of Law")] {
            let invitation = try await register.invite(NewUser(userID: id, name: id.capitalized, roles: roles, rank: rank), by: inviter)
            try await register.acceptInvitation(userID: id, code: invitation.code.description, passphrase: Self.passphrases[id]!)
        }
        if administrators.count > 1, try await register.store.read({ try $0.account(id: "mo") })?.pending != nil {
            _ = try await register.approve("mo", by: try await register.unlock(userID: administrators[1], passphrase: Self.passphrases[administrators[1]]!))
        }
    }

    func actor(_ userID: String) async throws -> Actor {
        try await register.unlock(userID: userID, passphrase: Self.passphrases[userID]!)
    }

    func application(subject: String = "Sam Subject", profile: String = Self.profile) throws -> Application {
        Application(
            type: .directedSurveillance, operation: "Op Kestrel", purpose: "To detect fraud by \(subject)",
            subjects: [Subject(name: subject, onlineIdentities: [try OnlineIdentity(address: profile)])],
            offences: ["fraud-act-2006-s1"], necessity: "Needed", proportionality: "Limited", collateralIntrusion: "Minimal",
            confidentialInformationLikely: false, team: ["ivan"])
    }

    /// Applies, grants, has a JP approve at the clock's time, then cancels at `cancelAt` (the clock stays there); the URN.
    func cancelledCase(cancelAt: String, subject: String = "Sam Subject", profile: String = Self.profile) async throws -> String {
        let urn = try #require(try await services.casework.apply(application(subject: subject, profile: profile), by: try await actor("ivan")).urn)
        _ = try await services.casework.grant(urn: urn, reasons: "Necessary", reviewInterval: nil, firstReview: nil, directlyInvolved: false, by: try await actor("mo"))
        _ = try await services.casework.recordJudicial(
            urn: urn, decision: .approved, court: "Leeds Magistrates", magistrate: "J. Bench", decidedAt: clock.now, order: nil, by: try await actor("ivan"))
        clock.set(cancelAt)
        _ = try await services.casework.cancel(urn: urn, reason: "No longer needed", valueObtained: "Evidence of trading", ceasedAt: nil, by: try await actor("mo"))
        return urn
    }

    var size: UInt64 { get async throws { try await services.verification.info().size } }

    func verifyReplay() async throws -> VerificationReport {
        try await RegisterVerifier(store: register.store).verify(replay: true, now: clock.now)
    }

    /// Appends an entry straight through the store, signed by `actor`: no role check and no
    /// retention rule. What an administrator holding the database and their own key could do.
    func forge(_ kind: EntryKind, _ body: some Encodable, signedBy actor: Actor) async throws -> UInt64 {
        let key = try register.keyStore.load(matching: try await register.verifierKey().description)
        let json = try JSONValue(encoding: body)
        return try await register.store.append(checkpointSigners: [key], now: clock.now) { writer in
            try writer.append(kind: kind.rawValue, body: json, signedBy: actor.key)
        }.seq
    }
}

@Suite("Retention") struct RetentionTests {
    typealias S = RetentionScene

    @Test("the day after the period's last, in the pack's time zone", arguments: [
        ("2026-03-10T12:00:00.000Z", 60, "2031-03-11"),
        ("2028-02-29T12:00:00.000Z", 12, "2029-03-01"),  // no 29 February in 2029: the 28th is the last day
        ("2026-07-31T23:30:00.000Z", 1, "2026-09-02"),   // 00:30 on 1 August in London; no 1 September + 0
        ("2026-01-31T10:00:00.000Z", 1, "2026-03-01"),   // 31 January + 1 month = 28 February
    ])
    func dueDay(from: String, months: Int, expected: String) {
        let zone = TimeZone(identifier: "Europe/London")!
        #expect(RetentionSchedule.dueOn(LifecycleFixture.time(from), months: months, zone: zone).description == expected)
    }

    @Test("due is computed from the pack: the central record from the cancellation, looks from the last look; nothing before its day")
    func dueFromThePack() async throws {
        let s = try await S()
        let urn = try await s.cancelledCase(cancelAt: "2026-04-10T10:00:00.000Z")
        s.clock.set("2026-04-11T10:00:00.000Z")
        _ = try await s.services.gate.look(at: "https://www.facebook.com/other.person", caseRef: "FR/2026/017", purpose: "confirm the trading name", authorisation: nil, by: try await s.actor("ivan"))

        #expect(try await s.services.retention.due().cases.isEmpty)
        let listed = try await s.services.retention.list().cases
        #expect(listed.first { $0.caseName == urn }?.state == .running)
        #expect(listed.first { $0.caseName == urn }?.dueOn?.description == "2031-04-11", "5 years (the shipped pack) after the cancellation, the day after")
        #expect(listed.first { $0.caseName == "case:FR/2026/017" }?.dueOn?.description == "2027-04-12", "12 months after the last look")

        s.clock.set("2027-04-11T22:59:59.000Z")  // 23:59:59 BST on the 11th: not yet
        #expect(try await s.services.retention.due().cases.isEmpty)
        s.clock.set("2027-04-11T23:00:00.000Z")  // midnight in London: the 12th begins
        let looks = try await s.services.retention.due().cases
        #expect(looks.map(\.caseName) == ["case:FR/2026/017"] && looks[0].rule == .looksWithoutAuthorisation && looks[0].months == 12)

        s.clock.set("2031-04-11T00:00:00.000Z")
        let both = try await s.services.retention.due()
        #expect(both.cases.map(\.caseName) == [urn, "case:FR/2026/017"].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        let central = try #require(both.cases.first { $0.caseName == urn })
        #expect(central.rule == .centralRecord && central.months == 60 && !central.held && central.from == LifecycleFixture.time("2026-04-10T10:00:00.000Z"))
        #expect(central.source.contains("para 8.1"))
    }

    @Test("an authorisation refused by the officer runs under the refused-applications rule; a live one is never due")
    func refusedAndLive() async throws {
        let s = try await S()
        let refused = try #require(try await s.services.casework.apply(s.application(), by: try await s.actor("ivan")).urn)
        _ = try await s.services.casework.refuse(urn: refused, reasons: "Not proportionate", by: try await s.actor("mo"))
        let live = try #require(try await s.services.casework.apply(s.application(subject: "Pat Other"), by: try await s.actor("ivan")).urn)
        s.clock.set("2040-01-01T00:00:00.000Z")
        let due = try await s.services.retention.due().cases
        #expect(due.map(\.caseName) == [refused] && due[0].rule == .refusedApplication && due[0].dueOn.description == "2027-03-03")
        #expect(try await s.services.retention.state(of: live).state == .notBegun)
    }

    @Test("a held case is never destroyed: left out of the request, and a hold placed after the request stops the approval")
    func heldCaseNotDestroyed() async throws {
        let s = try await S()
        let first = try await s.cancelledCase(cancelAt: "2026-04-10T10:00:00.000Z")
        let second = try await s.cancelledCase(cancelAt: "2026-04-10T11:00:00.000Z", subject: "Pat Other", profile: "https://x.com/patother")
        s.clock.set("2032-01-05T09:00:00.000Z")
        let hold = try await s.services.retention.hold(first, reason: "IPT complaint IPT/26/0042", by: try await s.actor("mo"))
        let due = try await s.services.retention.due().cases
        #expect(due.first { $0.caseName == first }?.held == true && due.first { $0.caseName == second }?.held == false)

        let requested = try await s.services.retention.request(by: try await s.actor("alice"))
        #expect(requested.request.cases.map(\.caseName) == [second] && requested.heldBack.map(\.caseName) == [first])

        // A hold on the requested case, placed before the second administrator approves.
        _ = try await s.services.retention.hold(second, reason: "litigation: claim HQ26X01234", by: try await s.actor("alice"))
        let before = try await s.size
        await #expect(throws: RIPAError.self) { _ = try await s.services.retention.approve(request: requested.request.seq, by: try await s.actor("bob")) }
        #expect(try await s.size == before, "the refusal wrote nothing")
        #expect(try await s.register.store.read { try $0.dataKey(second) }.map { if case .key = $0 { true } else { false } } == true)

        // Released, the case goes in a new request and is destroyed; the held one is not.
        _ = try await s.services.retention.release(second, hold: nil, reason: "claim withdrawn", by: try await s.actor("mo"))
        let again = try await s.services.retention.request(by: try await s.actor("bob"))
        #expect(again.request.cases.map(\.caseName) == [second])
        let approved = try await s.services.retention.approve(request: again.request.seq, by: try await s.actor("alice"))
        #expect(approved.cases.map(\.caseName) == [second] && approved.compacted)
        #expect(try await s.services.retention.state(of: first).state == .held)
        #expect(try await s.services.retention.state(of: first).holds.map(\.seq) == [hold.seq])
        #expect(try await s.services.retention.state(of: second).state == .destroyed)
        // A destroyed case cannot be held: nothing is left to keep.
        await #expect(throws: RIPAError.self) { _ = try await s.services.retention.hold(second, reason: "late claim", by: try await s.actor("mo")) }
        #expect(try await s.verifyReplay().size == (try await s.size))
    }

    @Test("two-person control: the requester cannot approve their own request while another administrator exists")
    func requesterCannotApprove() async throws {
        let s = try await S()
        let urn = try await s.cancelledCase(cancelAt: "2026-04-10T10:00:00.000Z")
        s.clock.set("2032-01-05T09:00:00.000Z")
        let requested = try await s.services.retention.request(by: try await s.actor("alice"))
        let before = try await s.size
        do {
            _ = try await s.services.retention.approve(request: requested.request.seq, by: try await s.actor("alice"))
            Issue.record("alice approved her own request")
        } catch let error as RIPAError {
            #expect(error.code == .separationOfDuties && error.reason == .retentionSameApprover)
        }
        #expect(try await s.size == before)
        // Only an administrator approves: not the monitoring officer.
        await #expect(throws: RIPAError.self) { _ = try await s.services.retention.approve(request: requested.request.seq, by: try await s.actor("mo")) }
        let approved = try await s.services.retention.approve(request: requested.request.seq, by: try await s.actor("bob"))
        #expect(approved.requestedBy == "alice" && approved.approvedBy == "bob" && approved.cases.map(\.caseName) == [urn])
        // Approved once only.
        await #expect(throws: RIPAError.self) { _ = try await s.services.retention.approve(request: requested.request.seq, by: try await s.actor("bob")) }
    }

    @Test("a test register with one administrator may approve its own request, as its role approvals may")
    func oneAdministratorTestRegister() async throws {
        let s = try await S(administrators: ["alice"])
        _ = try await s.cancelledCase(cancelAt: "2026-04-10T10:00:00.000Z")
        s.clock.set("2032-01-05T09:00:00.000Z")
        let requested = try await s.services.retention.request(by: try await s.actor("alice"))
        let approved = try await s.services.retention.approve(request: requested.request.seq, by: try await s.actor("alice"))
        #expect(approved.requestedBy == "alice" && approved.approvedBy == "alice")
    }

    @Test("destruction: the key is a tombstone, the case's sealed fields open as destroyed, the projection keeps only what is not personal, and verify --replay passes")
    func destructionMakesDataUnreadable() async throws {
        let s = try await S()
        let urn = try await s.cancelledCase(cancelAt: "2026-04-10T10:00:00.000Z", subject: "Zebedee Quatermass")
        s.clock.set("2032-01-05T09:00:00.000Z")
        let requested = try await s.services.retention.request(by: try await s.actor("alice"))
        let approved = try await s.services.retention.approve(request: requested.request.seq, by: try await s.actor("bob"))

        let lookup = try await s.register.store.read { try $0.dataKey(urn) }
        #expect(lookup == .destroyed(seq: approved.seq))
        let submission = try await s.register.store.read { reader in
            try reader.entries(kind: EntryKind.applicationSubmitted.rawValue).first { $0.body["urn"]?.stringValue == urn }.map { try reader.opened($0) }
        }
        let opened = try #require(submission)
        #expect(opened.state == .destroyed(name: urn, seq: approved.seq))
        #expect(!opened.entry.body.canonicalString.contains("Zebedee"))

        let kept = try await s.services.casework.authorisation(urn)
        #expect(kept.application.subjects.isEmpty && kept.application.purpose == PersonalFields.destroyedText)
        #expect(kept.cancellation?.reason == PersonalFields.destroyedText && kept.decision?.reasons == PersonalFields.destroyedText)
        #expect(kept.urn == urn && kept.type == .directedSurveillance && kept.cancellation?.at == LifecycleFixture.time("2026-04-10T10:00:00.000Z"))
        #expect(kept.decision?.officer.userID == "mo" && kept.periods.first?.isApproved == true, "the non-personal fields stay")

        let report = try await s.verifyReplay()
        #expect(report.size == (try await s.size))
        #expect(try await s.services.retention.due().cases.isEmpty, "a destroyed case is no longer due")
        await #expect(throws: RIPAError.self, "nothing more can be asked for") { _ = try await s.services.retention.request(by: try await s.actor("alice")) }
    }

    /// Every text a value under `value`, the members' and the elements' too.
    static func texts(_ value: JSONValue) -> Set<String> {
        switch value {
        case .string(let text): [text]
        case .array(let elements): elements.reduce(into: []) { $0.formUnion(texts($1)) }
        case .object(let members): members.values.reduce(into: []) { $0.formUnion(texts($1)) }
        default: []
        }
    }

    @Test("destroying a case's personal data blanks in its projection exactly the texts its entries sealed (PersonalFields), and keeps every other")
    func destructionBlanksWhatWasSealed() async throws {
        let s = try await S()
        let application = Application(
            type: .directedSurveillance, operation: "MARK operation", purpose: "MARK purpose", details: "MARK details", informationSought: "MARK sought",
            subjects: [Subject(name: "MARK name", address: "MARK address", dateOfBirth: "1980-01-02", onlineIdentities: [try OnlineIdentity(address: S.profile)])],
            offences: ["fraud-act-2006-s1"], necessity: "MARK necessity", proportionality: "MARK proportionality", collateralIntrusion: "MARK collateral",
            confidentialInformationLikely: false, team: ["ivan"])
        let urn = try #require(try await s.services.casework.apply(application, by: try await s.actor("ivan")).urn)
        _ = try await s.services.casework.grant(urn: urn, reasons: "MARK grant reasons", reviewInterval: nil, firstReview: nil, directlyInvolved: false, by: try await s.actor("mo"))
        _ = try await s.services.casework.recordJudicial(
            urn: urn, decision: .approved, court: "MARK court", magistrate: "MARK magistrate", decidedAt: s.clock.now, order: nil, by: try await s.actor("ivan"))
        s.clock.set("2026-03-20T10:00:00.000Z")
        _ = try await s.services.casework.review(urn: urn, findings: "MARK findings", stillNecessary: true, nextReview: nil, by: try await s.actor("mo"))
        s.clock.set("2026-05-20T10:00:00.000Z")
        _ = try await s.services.casework.renew(urn: urn, changes: "MARK changes", valueSoFar: "MARK value so far", reasons: "MARK renewal reasons", by: try await s.actor("mo"))
        s.clock.set("2026-05-25T10:00:00.000Z")
        _ = try await s.services.casework.cancel(urn: urn, reason: "MARK cancel reason", valueObtained: "MARK value obtained", ceasedAt: nil, by: try await s.actor("mo"))

        // What the case's entries sealed, read back through the split the register seals by.
        let sealed: Set<String> = try await s.register.store.read { reader in
            var sealed: Set<String> = []
            for seq in 0..<(try reader.size()) {
                let entry = try reader.entry(at: seq)
                guard entry.body["sealed"] != nil, entry.body["urn"]?.stringValue == urn, let kind = EntryKind(rawValue: entry.kind) else { continue }
                let opened = try reader.opened(entry).entry
                sealed.formUnion(Self.texts(.object(PersonalFields.plan(of: kind).sealedMembers(of: try #require(opened.body.objectValue)))))
            }
            return sealed
        }
        let before = try await s.services.casework.authorisation(urn)
        let marked = Self.texts(try JSONValue(encoding: before)).filter { $0.hasPrefix("MARK") }
        let after = Self.texts(try JSONValue(encoding: before.withPersonalDataDestroyed()))
        let personal = marked.intersection(sealed)
        #expect(personal.count >= 10 && marked.count > personal.count, "the case holds sealed texts and clear ones: \(marked.sorted())")
        #expect(personal.isDisjoint(with: after), "a sealed text left in the destroyed case: \(personal.intersection(after).sorted())")
        #expect(marked.subtracting(sealed).isSubset(of: after), "a clear text blanked: \(marked.subtracting(sealed).subtracting(after).sorted())")
    }

    @Test("the central record still shows the case, and says its personal data was destroyed on the day under the rule")
    func centralRecordAfterDestruction() async throws {
        let s = try await S()
        let urn = try await s.cancelledCase(cancelAt: "2026-04-10T10:00:00.000Z")
        s.clock.set("2032-01-05T09:00:00.000Z")
        let requested = try await s.services.retention.request(by: try await s.actor("alice"))
        _ = try await s.services.retention.approve(request: requested.request.seq, by: try await s.actor("bob"))
        let row = try #require(try await s.services.records.central().authorisations.first { $0.urn == urn })
        #expect(row.personalDataDestroyed == "personal data destroyed on 2032-01-05 under central-record")
    }
}

/// `verify --replay` against an administrator who writes retention entries behind the
/// service's back: signed, chained and by a user with the role, but breaking the rules.
@Suite("Retention replay") struct RetentionReplayTests {
    typealias S = RetentionScene

    enum Forgery: String, CaseIterable, Sendable {
        /// A request listing a case whose retention has not passed.
        case requestNotDue
        /// A request listing a held case.
        case requestHeld
        /// A request naming another pack than the one in force.
        case requestOtherPack
        /// The requester approving their own request.
        case selfApproval
        /// An approval destroying more than was requested.
        case destroysOtherCases
    }

    @Test(arguments: Forgery.allCases)
    func forged(_ forgery: Forgery) async throws {
        let s = try await S()
        let old = try await s.cancelledCase(cancelAt: "2026-04-10T10:00:00.000Z")
        s.clock.set("2031-06-01T09:00:00.000Z")
        let recent = try await s.cancelledCase(cancelAt: "2031-06-01T10:00:00.000Z", subject: "Pat Other", profile: "https://x.com/patother")
        s.clock.set("2032-01-05T09:00:00.000Z")
        let hash = try await s.register.policyInForce().hash
        let item = { (name: String) in RetentionItem(caseName: name, rule: .centralRecord, dueOn: LifecycleFixture.day(name == old ? "2031-04-11" : "2036-06-02")) }
        let (alice, bob) = (try await s.actor("alice"), try await s.actor("bob"))
        let forgedSeq: UInt64
        switch forgery {
        case .requestNotDue:
            forgedSeq = try await s.forge(.retentionDestructionRequested, DestructionRequest(cases: [item(recent)], policyHash: hash), signedBy: alice)
        case .requestHeld:
            _ = try await s.services.retention.hold(old, reason: "IPT complaint IPT/26/0042", by: try await s.actor("mo"))
            forgedSeq = try await s.forge(.retentionDestructionRequested, DestructionRequest(cases: [item(old)], policyHash: hash), signedBy: alice)
        case .requestOtherPack:
            forgedSeq = try await s.forge(.retentionDestructionRequested, DestructionRequest(cases: [item(old)], policyHash: String(repeating: "0", count: 64)), signedBy: alice)
        case .selfApproval:
            let request = try await s.services.retention.request(by: alice)
            forgedSeq = try await s.forge(.personalDataDestroyed, DestructionRecord(request: request.request.seq, cases: request.request.cases, policyHash: hash), signedBy: alice)
        case .destroysOtherCases:
            let request = try await s.services.retention.request(by: alice)
            forgedSeq = try await s.forge(
                .personalDataDestroyed, DestructionRecord(request: request.request.seq, cases: request.request.cases + [item(recent)], policyHash: hash), signedBy: bob)
        }
        do {
            _ = try await s.verifyReplay()
            Issue.record("replay passed a forged \(forgery)")
        } catch let failure as VerificationFailure {
            #expect(failure.index == forgedSeq && failure.check == .replay, "\(failure)")
        }
        // Without --replay the log itself is intact: signatures, order and roles hold.
        _ = try await RegisterVerifier(store: s.register.store).verify(replay: false, now: s.clock.now)
    }

    @Test("a monitoring officer may place a hold but not ask for destruction; an investigator neither")
    func roles() async throws {
        let s = try await S()
        let urn = try await s.cancelledCase(cancelAt: "2026-04-10T10:00:00.000Z")
        s.clock.set("2032-01-05T09:00:00.000Z")
        await #expect(throws: RIPAError.self) { _ = try await s.services.retention.hold(urn, reason: "complaint", by: try await s.actor("ivan")) }
        await #expect(throws: RIPAError.self) { _ = try await s.services.retention.request(by: try await s.actor("mo")) }
        await #expect(throws: RIPAError.self, "a hold needs a reason") { _ = try await s.services.retention.hold(urn, reason: "  ", by: try await s.actor("mo")) }
        await #expect(throws: RIPAError.self, "a hold on nothing") { _ = try await s.services.retention.hold("DS-2026-0099", reason: "complaint", by: try await s.actor("mo")) }
        _ = try await s.services.retention.hold(urn, reason: "complaint", by: try await s.actor("mo"))
    }
}

@Suite("Retention policy") struct RetentionPolicyTests {
    static func pack(_ retention: String) -> String {
        PolicyFixtures.pack.replacingOccurrences(of: "retention: {years: 5, source: Code of Practice para 8.1}\n", with: retention)
    }

    @Test("a pack without a retention section reads as five years and the defaults")
    func absentSection() throws {
        let policy = try PolicyLoader.load(files: [("pack.yaml", Self.pack("")), ("catalogue.yaml", PolicyFixtures.catalogue)])
        #expect(policy.rules.retention == .standard && policy.rules.retention.years == 5)
        #expect(policy.rules.retention.looks.months == 12 && policy.rules.retention.refused.months == 12 && policy.rules.retention.staff.months == 72)
    }

    @Test("the periods are read with their sources; a pack recorded without them hashes as before")
    func periods() throws {
        let text = Self.pack("""
            retention:
              years: 7
              source: Code of Practice para 8.1
              looks_without_authorisation: {months: 6, source: the council's schedule}
              refused_applications: {months: 24, source: the council's schedule}

            """)
        let rules = try PolicyLoader.load(files: [("pack.yaml", text), ("catalogue.yaml", PolicyFixtures.catalogue)]).rules
        #expect(rules.retention.years == 7 && rules.retention.looks == PolicyRules.RetentionPeriod(months: 6, source: "the council's schedule"))
        #expect(rules.retention.refused.months == 24 && rules.retention.staff.months == 84, "staff data defaults to the central record's period when longer")
        let old = try JSONValue(encoding: PolicyRules.Retention(years: 5, source: "s"))
        #expect(old.canonicalString == #"{"source":"s","years":5}"#)
    }

    @Test("a pack below a floor is refused naming the rule", arguments: [
        ("retention:\n  years: 2\n  source: s\n", "retention.years"),
        ("retention:\n  years: 5\n  source: s\n  staff_data: {months: 24, source: s}\n", "retention.staff_data.months"),
        ("retention:\n  years: 5\n  source: s\n  looks_without_authorisation: {months: 0, source: s}\n", "looks_without_authorisation"),
        ("retention:\n  years: 5\n  source: s\n  kept_forever: true\n", "kept_forever"),
    ])
    func floors(retention: String, names: String) throws {
        do {
            _ = try PolicyLoader.load(files: [("pack.yaml", Self.pack(retention)), ("catalogue.yaml", PolicyFixtures.catalogue)])
            Issue.record("the pack was accepted")
        } catch {
            #expect(error.message.contains(names), "\(error.message)")
        }
    }
}
