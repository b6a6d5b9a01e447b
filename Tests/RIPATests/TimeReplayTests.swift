import Foundation
import Ledger
import RegisterStorage
import Testing

@testable import RIPA

/// The attacker who holds the database and a user's key appends entries that keep the log
/// intact but break issue 8's rules; `verify --replay` names each one, and `verify` names an
/// entry dated after the verifier's clock.
@Suite struct TimeReplayTests {
    enum Forgery: String, CaseIterable, Sendable {
        case judicialDecidedAfterItsEntry
        case judicialDecidedBeforeTheGrant
        case cessationBeforeTheGrant
        case firstReviewBeyondTheInterval
        case intervalLongerThanThePack
        case nextReviewBeyondTheInterval
        case chisRenewalWithoutReview
        case adoptionBelowTheStatute
        case adoptionWithoutANewVersion
    }

    static func chisApplication(_ scene: ReplayScene) async throws -> String {
        var application = try scene.application()
        application.type = .chis
        guard case .accepted(let urn, _, _) = try await scene.register.apply(application, by: scene.ivan) else {
            throw RIPAError(.badInput, "the CHIS application was refused")
        }
        return urn
    }

    /// An approved directed surveillance case: applied 10 Jan, granted 12 Jan, approved 14 Jan.
    static func approved(_ scene: ReplayScene, chis: Bool = false) async throws -> String {
        let urn = await chis ? try chisApplication(scene) : try scene.apply()
        scene.clock.set("2026-01-12T10:00:00.000Z")
        try await scene.grant(urn)
        scene.clock.set("2026-01-14T11:00:00.000Z")
        try await scene.register.decide(.judicialDecision, LifecycleFixture.judicial(urn, at: "2026-01-14T10:30:00.000Z"), by: scene.ivan)
        return urn
    }

    func forge(_ forgery: Forgery, in scene: ReplayScene) async throws -> (UInt64, String) {
        switch forgery {
        case .judicialDecidedAfterItsEntry:
            let urn = try await scene.apply()
            scene.clock.set("2026-01-12T10:00:00.000Z")
            try await scene.grant(urn)
            scene.clock.set("2026-01-14T11:00:00.000Z")
            // Recorded on the 14th, claiming a hearing in 2030: after its own entry's time.
            return await (try scene.forge(.judicialDecision, LifecycleFixture.judicial(urn, at: "2030-01-01T10:00:00.000Z"), signedBy: scene.ivan), "is in the future")
        case .judicialDecidedBeforeTheGrant:
            let urn = try await scene.apply()
            scene.clock.set("2026-01-12T10:00:00.000Z")
            try await scene.grant(urn)
            scene.clock.set("2026-01-14T11:00:00.000Z")
            return await (try scene.forge(.judicialDecision, LifecycleFixture.judicial(urn, at: "2026-01-11T10:00:00.000Z"), signedBy: scene.ivan), "before the grant")
        case .cessationBeforeTheGrant:
            let urn = try await Self.approved(scene)
            scene.clock.set("2026-02-01T09:00:00.000Z")
            let body = CancellationRecord(urn: urn, reason: "Done", valueObtained: "Little", ceasedAt: LifecycleFixture.time("2026-01-11T09:00:00.000Z"))
            return await (try scene.forge(.authorisationCancelled, body, signedBy: scene.mo), "cannot be before the grant")
        case .firstReviewBeyondTheInterval:
            let urn = try await scene.apply()
            scene.clock.set("2026-01-12T10:00:00.000Z")
            var body = LifecycleFixture.grant(urn)
            body.firstReview = LifecycleFixture.day("2026-12-31")
            return await (try scene.forge(.authorisationGranted, body, signedBy: scene.mo), "2026-02-09 at the latest")
        case .intervalLongerThanThePack:
            let urn = try await scene.apply()
            scene.clock.set("2026-01-12T10:00:00.000Z")
            var body = LifecycleFixture.grant(urn)
            body.reviewIntervalDays = 90
            return await (try scene.forge(.authorisationGranted, body, signedBy: scene.mo), "longer than the 28 days")
        case .nextReviewBeyondTheInterval:
            let urn = try await Self.approved(scene)
            scene.clock.set("2026-02-01T10:00:00.000Z")
            let body = ReviewRecord(urn: urn, findings: "Seen twice", stillNecessary: true, nextReview: LifecycleFixture.day("2026-06-01"))
            return await (try scene.forge(.authorisationReviewed, body, signedBy: scene.mo), "2026-03-01 at the latest")
        case .chisRenewalWithoutReview:
            let urn = try await Self.approved(scene, chis: true)
            scene.clock.set("2026-06-01T10:00:00.000Z")
            return await (try scene.forge(.authorisationRenewed, LifecycleFixture.renewal(urn), signedBy: scene.mo), "RIPA s.43(6A)")
        case .adoptionBelowTheStatute:
            var policy = try await scene.register.policyInForce().policy
            policy.rules.version += 1
            policy.rules.durations.directedSurveillance.months = 12
            let admin = try await scene.register.unlock(userID: "admin", passphrase: "velvet orbit lantern benjo")
            return await (try scene.forge(.policyAdopted, try PolicyAdoption(policy: policy, files: ["lax.yaml"]), signedBy: admin), "RIPA s.43(3)(c)")
        case .adoptionWithoutANewVersion:
            var policy = try await scene.register.policyInForce().policy
            policy.rules.seriousCrimeThreshold.minimumCustodyMonths = 12
            let admin = try await scene.register.unlock(userID: "admin", passphrase: "velvet orbit lantern benjo")
            return await (try scene.forge(.policyAdopted, try PolicyAdoption(policy: policy, files: ["same-version.yaml"]), signedBy: admin), "versions only increase")
        }
    }

    @Test("an intact log whose entry breaks issue 8's rules: verify passes, verify --replay names the entry and the rule", arguments: Forgery.allCases)
    func forged(forgery: Forgery) async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z", onDisk: true)
        defer { scene.cleanUp() }
        let verifier = RegisterVerifier(store: scene.register.store)
        let (index, phrase) = try await forge(forgery, in: scene)
        let now = LifecycleFixture.time("2026-11-01T00:00:00.000Z")
        #expect(try await verifier.verify(now: now).size == index + 1)
        let failure = await #expect(throws: VerificationFailure.self) { try await verifier.verify(replay: true, now: now) }
        #expect(failure?.check == .replay)
        #expect(failure?.index == index)
        #expect(failure?.message.contains(phrase) == true, "\(failure?.message ?? "no failure")")
        let result = try ReplayTests.ripa(["verify", "--replay", "--json", "--db", scene.db])
        #expect(result.status == 1)
        #expect(try JSONValue(parsing: result.stdout)["index"] == .integer(Int64(index)))
    }

    @Test("the live register refuses the same entries: each rule runs at the append too")
    func liveRefusesThem() async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z")
        defer { scene.cleanUp() }
        let urn = try await Self.approved(scene, chis: true)
        scene.clock.set("2026-06-01T10:00:00.000Z")
        let renewal = await #expect(throws: RIPAError.self) { try await scene.register.decide(.authorisationRenewed, LifecycleFixture.renewal(urn), by: scene.mo) }
        #expect(renewal?.message.contains("s.43(6A)") == true)
        var policy = try await scene.register.policyInForce().policy
        let admin = try await scene.register.unlock(userID: "admin", passphrase: "velvet orbit lantern benjo")
        let sameVersion = await #expect(throws: RIPAError.self) { try await scene.register.adopt(policy, files: ["again.yaml"], by: admin) }
        #expect(sameVersion?.message.contains("versions only increase") == true)
        policy.rules.version += 1
        policy.rules.seriousCrimeThreshold.minimumCustodyMonths = 3
        let lax = await #expect(throws: RIPAError.self) { try await scene.register.adopt(policy, files: ["lax.yaml"], by: admin) }
        #expect(lax?.message.contains("SI 2010/521 art. 7A(3)(a)") == true)
        policy.rules.seriousCrimeThreshold.minimumCustodyMonths = 12
        try await scene.register.adopt(policy, files: ["stricter.yaml"], by: admin)
        await #expect(try scene.register.policyInForce().policy.rules.version == 2)
    }

    // MARK: Entries dated after the verifier's clock

    @Test("verify names the first entry dated after its clock, allowing five minutes' skew")
    func futureDatedEntry() async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z")
        defer { scene.cleanUp() }
        let honest = try await scene.register.store.read { try $0.size() }
        // The attacker's clock runs ahead: a look "recorded" in 2030.
        scene.clock.set("2030-01-01T09:00:00.000Z")
        _ = try await scene.register.view(address: "https://www.facebook.com/sam.subject", caseRef: "HB/2026/17", purpose: "Look", urn: nil, by: scene.ivan)
        let verifier = RegisterVerifier(store: scene.register.store)
        let failure = await #expect(throws: VerificationFailure.self) { try await verifier.verify(now: LifecycleFixture.time("2026-01-10T10:00:00.000Z")) }
        #expect(failure?.check == .futureTime)
        #expect(failure?.index == honest)
        #expect(failure?.message.contains("2030-01-01T09:00:00.000Z") == true)
        // Within the skew it passes; a minute beyond it does not.
        let entryTime = LifecycleFixture.time("2030-01-01T09:00:00.000Z")
        let withinSkew = EntryTime(millisecondsSince1970: entryTime.millisecondsSince1970 - RegisterVerifier.allowedClockSkewMilliseconds)
        #expect(try await verifier.verify(now: withinSkew).size == honest + 1)
        let beyond = EntryTime(millisecondsSince1970: withinSkew.millisecondsSince1970 - 60_000)
        await #expect(throws: VerificationFailure.self) { try await verifier.verify(now: beyond) }
        #expect(RegisterVerifier.allowedClockSkewMilliseconds == 300_000)
    }

    // MARK: URN order past 9999

    @Test("Register.authorisations() and `ripa status` list DS-2026-10000 after DS-2026-9999 (10,000 real applications)")
    func tenThousandApplications() async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z", onDisk: true)
        defer { scene.cleanUp() }
        let adopted = try await scene.register.policyInForce()
        let application = try scene.application()
        let threshold = try SeriousCrimeThreshold.evaluate(type: .directedSurveillance, offenceIDs: application.offences, policy: adopted.policy)
        // Built as `apply` builds them and appended in one batch, each checked by Casework as
        // it is projected (a wrong URN would be refused).
        let pending = try (1...10_000).map { number in
            let body = ApplicationSubmission(
                urn: URN(type: .directedSurveillance, year: 2026, number: number).description, application: application,
                threshold: threshold, policyHash: adopted.hash)
            return (kind: EntryKind.applicationSubmitted.rawValue, body: try JSONValue(encoding: body)) as RegisterWriter.PendingEntry
        }
        try await scene.register.write { writer in
            _ = try writer.append(contentsOf: pending, signedBy: scene.ivan.key) { entry in try Projector.apply(entry, to: writer) }
        }
        let urns = try await scene.register.authorisations().map(\.urn)
        #expect(urns.count == 10_000)
        #expect(urns.suffix(2) == ["DS-2026-9999", "DS-2026-10000"])
        #expect(urns == urns.sorted(by: URN.areInIncreasingOrder))
        let status = try ReplayTests.ripa(["status", "--json", "--db", scene.db])
        #expect(status.status == 0, "\(status.stderr)")
        let listed = try JSONValue(parsing: status.stdout).arrayValue?.compactMap { $0["urn"]?.stringValue } ?? []
        #expect(listed.suffix(3) == ["DS-2026-9998", "DS-2026-9999", "DS-2026-10000"])
        #expect(listed.first == "DS-2026-0001")
    }
}
