import Foundation
import Ledger
import MemoryStorage
import RegisterStorage
import Testing

@testable import RIPA

/// Issue 10 §3: every decision that commits the authority records when its signer last gave
/// their passphrase (`authenticated_at`), within the pack's step-up window of the entry — live,
/// and again in `verify --replay` against an insider who writes such entries by hand.
@Suite struct SignerAuthenticationTests {
    static let adminPassphrase = "velvet orbit lantern benjo"
    static let moPassphrase = "copper kettle tide om"
    static let ivanPassphrase = "copper kettle tide navi"

    /// The entry at `seq`.
    static func entry(_ scene: ReplayScene, _ seq: UInt64) async throws -> Entry {
        try await scene.register.store.read { try $0.entry(at: seq) }
    }

    static func size(_ scene: ReplayScene) async throws -> UInt64 {
        try await scene.register.store.read { try $0.size() }
    }

    /// Appends an entry straight through the store, with `authenticated_at` as given (or left
    /// out), and projects it as an old version of the register would have: no role check, no
    /// authentication check. What someone holding the database and a user's key can do.
    static func forge(
        _ scene: ReplayScene, _ kind: EntryKind, _ body: some Encodable, authenticatedAt: JSONValue?, signedBy actor: Actor, project: Bool = false
    ) async throws -> UInt64 {
        let key = try scene.register.keyStore.load(matching: try await scene.register.verifierKey().description)
        guard case .object(var members) = try JSONValue(encoding: body) else { throw RIPAError(.badInput, "not an object") }
        members[SignerAuthentication.member] = authenticatedAt
        let json = JSONValue.object(members)
        let entry = try await scene.register.store.append(checkpointSigners: [key], now: scene.clock.now) { writer in
            let entry = try writer.append(kind: kind.rawValue, body: json, signedBy: actor.key)
            if project { try Projector.apply(entry, to: writer) }
            return entry
        }
        return entry.seq
    }

    // MARK: Live

    @Test("a decision records the moment its signer's key was unsealed, not the entry's time")
    func decisionsCarryTheUnlockTime() async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z")
        defer { scene.cleanUp() }
        let urn = try await scene.apply()
        scene.clock.set("2026-01-12T10:00:00.000Z")
        let mo = try await scene.register.unlock(userID: "mo", passphrase: Self.moPassphrase)
        #expect(mo.authenticatedAt == LifecycleFixture.time("2026-01-12T10:00:00.000Z"))
        scene.clock.set("2026-01-12T10:07:00.000Z")
        let grant = try await scene.register.decide(.authorisationGranted, LifecycleFixture.grant(urn), by: mo)
        #expect(grant.time == LifecycleFixture.time("2026-01-12T10:07:00.000Z"))
        #expect(grant.body[SignerAuthentication.member] == .string("2026-01-12T10:00:00.000Z"))
        #expect(try grant.body.decode(GrantDecision.self).authenticatedAt == LifecycleFixture.time("2026-01-12T10:00:00.000Z"))

        // Accounts, the pack and the register key carry it too.
        let admin = try await scene.register.unlock(userID: "admin", passphrase: Self.adminPassphrase)
        let invitation = try await scene.register.invite(NewUser(userID: "ivy", name: "Ivy", roles: [.investigator], rank: "Investigator"), by: admin)
        #expect(try invitation.entry.body.decode(UserInvitation.self).authenticatedAt == admin.authenticatedAt)
        var policy = try await scene.register.policyInForce().policy
        policy.rules.version += 1
        let adoption = try await scene.register.adopt(policy, files: ["next.yaml"], by: admin)
        #expect(try adoption.body.decode(PolicyAdoption.self).authenticatedAt == admin.authenticatedAt)
        // The member is not part of the pack's hash, which names the rules only.
        #expect(try adoption.body.decode(PolicyAdoption.self).hash == PolicyAdoption.hash(of: policy))
        _ = try await scene.register.rotateKey(reason: "scheduled", by: admin)
        let rotation = try await Self.entry(scene, try await Self.size(scene) - 1)
        #expect(rotation.kind == EntryKind.registerKeyRotated.rawValue)
        #expect(try rotation.body.decode(RegisterKeyRotation.self).authenticatedAt == admin.authenticatedAt)

        // A look does not carry it, and neither do the register key's own entries at `init`.
        let look = try await scene.register.view(address: "https://www.facebook.com/sam.subject", caseRef: "HB/1", purpose: "Check", urn: nil, by: scene.ivan)
        #expect(look.entry.body[SignerAuthentication.member] == nil)
        #expect(try await Self.entry(scene, 1).body[SignerAuthentication.member] == nil)
        #expect(try await RegisterVerifier(store: scene.register.store).verify(replay: true).size == (try await Self.size(scene)))
    }

    @Test("a key unsealed and left in memory signs no decision once the step-up window has passed; nothing is written")
    func aStaleKeyIsRefusedLive() async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z")
        defer { scene.cleanUp() }
        let urn = try await scene.apply()
        scene.clock.set("2026-01-12T09:00:00.000Z")
        let mo = try await scene.register.unlock(userID: "mo", passphrase: Self.moPassphrase)
        scene.clock.set("2026-01-12T09:15:00.001Z")
        let before = try await Self.size(scene)
        let stale = await #expect(throws: RIPAError.self) { try await scene.register.decide(.authorisationGranted, LifecycleFixture.grant(urn), by: mo) }
        #expect(stale?.reason == .authenticationStale)
        #expect(stale?.values["step_up_minutes"] == "15")
        #expect(stale?.values["authenticated_at"] == "2026-01-12T09:00:00.000Z")
        #expect(try await Self.size(scene) == before)
        // Exactly at the window's end it is still in time.
        scene.clock.set("2026-01-12T09:00:00.000Z")
        let fresh = try await scene.register.unlock(userID: "mo", passphrase: Self.moPassphrase)
        scene.clock.set("2026-01-12T09:15:00.000Z")
        try await scene.register.decide(.authorisationGranted, LifecycleFixture.grant(urn), by: fresh)
        // An actor made by hand, with no record of a passphrase, signs no decision at all.
        let handMade = Actor(user: fresh.user, key: fresh.key)
        let missing = await #expect(throws: RIPAError.self) {
            try await scene.register.decide(.authorisationRefused, RefusalDecision(urn: urn, reasons: "No"), by: handMade)
        }
        #expect(missing?.reason == .authenticationMissing)
    }

    @Test("the front end cannot choose the time: the register stamps the actor's over whatever the body says")
    func theBodyCannotBackdateIt() async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z")
        defer { scene.cleanUp() }
        let urn = try await scene.apply()
        scene.clock.set("2026-01-12T09:00:00.000Z")
        let mo = try await scene.register.unlock(userID: "mo", passphrase: Self.moPassphrase)
        scene.clock.set("2026-01-12T17:00:00.000Z")
        var body = LifecycleFixture.grant(urn)
        body.authenticatedAt = LifecycleFixture.time("2026-01-12T16:59:00.000Z")  // a claim of a fresh step-up
        let refused = await #expect(throws: RIPAError.self) { try await scene.register.decide(.authorisationGranted, body, by: mo) }
        #expect(refused?.reason == .authenticationStale)
        #expect(refused?.values["authenticated_at"] == "2026-01-12T09:00:00.000Z")
    }

    @Test("the window is the pack's sessions.step_up_minutes, from the pack in force")
    func theWindowIsThePacks() async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z")
        defer { scene.cleanUp() }
        let urn = try await scene.apply()
        let admin = try await scene.register.unlock(userID: "admin", passphrase: Self.adminPassphrase)
        var policy = try await scene.register.policyInForce().policy
        policy.rules.version += 1
        policy.rules.sessions = PolicyRules.Sessions(idleMinutes: 10, lifetimeHours: 4, stepUpMinutes: 5, source: "test: a stricter council")
        try await scene.register.adopt(policy, files: ["strict.yaml"], by: admin)
        scene.clock.set("2026-01-12T09:00:00.000Z")
        let mo = try await scene.register.unlock(userID: "mo", passphrase: Self.moPassphrase)
        scene.clock.set("2026-01-12T09:06:00.000Z")
        let refused = await #expect(throws: RIPAError.self) { try await scene.register.decide(.authorisationGranted, LifecycleFixture.grant(urn), by: mo) }
        #expect(refused?.reason == .authenticationStale)
        #expect(refused?.values["step_up_minutes"] == "5")
        scene.clock.set("2026-01-12T09:01:00.000Z")
        let again = try await scene.register.unlock(userID: "mo", passphrase: Self.moPassphrase)
        scene.clock.set("2026-01-12T09:05:00.000Z")
        try await scene.register.decide(.authorisationGranted, LifecycleFixture.grant(urn), by: again)
    }

    @Test("a pack that lets a key sit unlocked longer than the register's bound is refused live, naming the rule")
    func aLaxSessionPackIsRefused() async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z")
        defer { scene.cleanUp() }
        let admin = try await scene.register.unlock(userID: "admin", passphrase: Self.adminPassphrase)
        var policy = try await scene.register.policyInForce().policy
        policy.rules.version += 1
        policy.rules.sessions = PolicyRules.Sessions(idleMinutes: 15, lifetimeHours: 8, stepUpMinutes: 600, source: "lax")
        let refused = await #expect(throws: RIPAError.self) { try await scene.register.adopt(policy, files: ["lax.yaml"], by: admin) }
        #expect(refused?.message.contains("sessions.step_up_minutes") == true, "\(refused?.message ?? "")")
        #expect(refused?.message.contains("NIST SP 800-63B") == true)
    }

    // MARK: Replay

    enum Forgery: String, CaseIterable, Sendable {
        case afterTheEntry
        case olderThanTheWindow
        case notATime
        case droppedAfterTheRegisterRecordedIt
        case staleRevocation
    }

    @Test("an intact log whose decision breaks the authentication rule: verify passes, verify --replay names the entry", arguments: Forgery.allCases)
    func forged(forgery: Forgery) async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z", onDisk: true)
        defer { scene.cleanUp() }
        let urn = try await scene.apply()
        scene.clock.set("2026-01-12T10:00:00.000Z")
        let mo = try await scene.register.unlock(userID: "mo", passphrase: Self.moPassphrase)
        let index: UInt64, phrase: String
        switch forgery {
        case .afterTheEntry:
            index = try await Self.forge(scene, .authorisationGranted, LifecycleFixture.grant(urn), authenticatedAt: .string("2026-01-12T10:01:00.000Z"), signedBy: mo)
            phrase = "after the entry itself"
        case .olderThanTheWindow:
            index = try await Self.forge(scene, .authorisationGranted, LifecycleFixture.grant(urn), authenticatedAt: .string("2026-01-12T09:44:59.999Z"), signedBy: mo)
            phrase = "more than the pack's 15 minutes"
        case .notATime:
            index = try await Self.forge(scene, .authorisationGranted, LifecycleFixture.grant(urn), authenticatedAt: .string("this morning"), signedBy: mo)
            phrase = "is not an entry time"
        case .droppedAfterTheRegisterRecordedIt:
            // The invitations of ivan and mo already carried it: no later decision may drop it.
            index = try await Self.forge(scene, .authorisationGranted, LifecycleFixture.grant(urn), authenticatedAt: nil, signedBy: mo)
            phrase = "does not record when its signer last gave their passphrase"
        case .staleRevocation:
            let admin = try await scene.register.unlock(userID: "admin", passphrase: Self.adminPassphrase)
            scene.clock.set("2026-01-12T17:00:00.000Z")
            index = try await Self.forge(scene, .userRevoked, UserRevocation(userID: "ivan", reason: "left"), authenticatedAt: .string("2026-01-12T10:00:00.000Z"), signedBy: admin)
            phrase = "more than the pack's 15 minutes"
        }
        let verifier = RegisterVerifier(store: scene.register.store)
        let now = LifecycleFixture.time("2026-11-01T00:00:00.000Z")
        #expect(try await verifier.verify(now: now).size == index + 1)
        let failure = await #expect(throws: VerificationFailure.self) { try await verifier.verify(replay: true, now: now) }
        #expect(failure?.check == .replay)
        #expect(failure?.index == index)
        #expect(failure?.message.contains(phrase) == true, "\(failure?.message ?? "no failure")")
        // The CLI says the same, with the entry's index, for scripts.
        let result = try ReplayTests.ripa(["verify", "--replay", "--json", "--db", scene.db])
        #expect(result.status == 1)
        #expect(try JSONValue(parsing: result.stdout)["index"] == .integer(Int64(index)))
    }

    @Test("entries written before the member existed still verify and replay; the first one that carries it starts the rule")
    func oldEntriesStillReplay() async throws {
        // A register whose first decisions were written by a version without the member: its
        // invitations and grant are appended and projected without it.
        let clock = ReplayClock("2026-01-10T09:00:00.000Z")
        let (register, _, founders) = try await Register.build(
            store: RegisterStore(backend: MemoryBackend(origin: "ripa.test-council.gov.uk/register")), keyStore: MemoryKeyStore(),
            administrators: [NewUser(userID: "admin", name: "Ada Admin", roles: [.administrator], rank: "Administrator")],
            policy: (try LifecycleFixture.policy(), ShippedPolicy.fileNames), testRegister: true, clock: .test { clock.now })
        let scene = ReplaySceneShim(register: register, clock: clock)
        try await register.acceptInvitation(userID: "admin", code: founders[0].code.description, passphrase: Self.adminPassphrase)
        let admin = try await register.unlock(userID: "admin", passphrase: Self.adminPassphrase)
        for (id, roles, passphrase) in [("ivan", [Role.investigator], Self.ivanPassphrase), ("mo", [Role.monitoringOfficer], Self.moPassphrase)] {
            let code = InvitationCode.generate()
            let body = NewUser(userID: id, name: id, roles: roles, rank: "Officer").invitation(code: code, at: clock.now, rule: .standard)
            _ = try await scene.forge(.userInvited, body, signedBy: admin)
            try await register.acceptInvitation(userID: id, code: code.description, passphrase: passphrase)
        }
        let ivan = try await register.unlock(userID: "ivan", passphrase: Self.ivanPassphrase)
        let application = Application(
            type: .directedSurveillance, operation: "Op Kestrel", purpose: "To detect fraud", subjects: [Subject(name: "Sam Subject")],
            offences: ["fraud-act-2006-s1"], necessity: "Needed", proportionality: "Limited", collateralIntrusion: "Minimal",
            confidentialInformationLikely: false, team: ["ivan"])
        guard case .accepted(let urn, _, _) = try await register.apply(application, by: ivan) else { throw RIPAError(.badInput, "refused") }
        clock.set("2026-01-12T10:00:00.000Z")
        let mo = try await register.unlock(userID: "mo", passphrase: Self.moPassphrase)
        let oldGrant = try await scene.forge(.authorisationGranted, LifecycleFixture.grant(urn), signedBy: mo)
        #expect(try await register.store.read { try $0.entry(at: oldGrant) }.body[SignerAuthentication.member] == nil)
        let verifier = RegisterVerifier(store: register.store)
        #expect(try await verifier.verify(replay: true).size == oldGrant + 1)

        // The upgraded register records it from now on…
        clock.set("2026-01-14T11:00:00.000Z")
        let freshIvan = try await register.unlock(userID: "ivan", passphrase: Self.ivanPassphrase)
        let judicial = try await register.decide(.judicialDecision, LifecycleFixture.judicial(urn, at: "2026-01-14T10:30:00.000Z"), by: freshIvan)
        #expect(judicial.body[SignerAuthentication.member] == .string("2026-01-14T11:00:00.000Z"))
        #expect(try await verifier.verify(replay: true).size == judicial.seq + 1)
        // …and a decision that drops it after that is named.
        clock.set("2026-02-01T10:00:00.000Z")
        let moNow = try await register.unlock(userID: "mo", passphrase: Self.moPassphrase)
        let review = ReviewRecord(urn: urn, findings: "Seen twice", stillNecessary: true, nextReview: LifecycleFixture.day("2026-02-15"))
        let dropped = try await scene.forge(.authorisationReviewed, review, signedBy: moNow)
        let failure = await #expect(throws: VerificationFailure.self) { try await verifier.verify(replay: true) }
        #expect(failure?.index == dropped)
        #expect(failure?.message.contains("does not record when its signer") == true, "\(failure?.message ?? "")")
    }

    /// Forging and projecting on a register built by hand (not a `ReplayScene`).
    struct ReplaySceneShim {
        let register: Register
        let clock: ReplayClock

        /// Appends and projects an entry as a version of the register without the member did.
        func forge(_ kind: EntryKind, _ body: some Encodable, signedBy actor: Actor) async throws -> UInt64 {
            let key = try register.keyStore.load(matching: try await register.verifierKey().description)
            let json = try JSONValue(encoding: body)
            return try await register.store.append(checkpointSigners: [key], now: clock.now) { writer in
                let entry = try writer.append(kind: kind.rawValue, body: json, signedBy: actor.key)
                try Projector.apply(entry, to: writer)
                return entry
            }.seq
        }
    }

    // MARK: The rule itself

    @Test("the rule, at its edges: equal times pass, one millisecond outside the window fails, register-key entries at init are exempt")
    func theRuleAtItsEdges() throws {
        let rule = PolicyRules.Sessions.standard
        func entry(time: String, authenticatedAt: JSONValue?) throws -> Entry {
            var members: [String: JSONValue] = ["urn": .string("DS-2026-0001")]
            members[SignerAuthentication.member] = authenticatedAt
            return Entry.sign(seq: 5, time: LifecycleFixture.time(time), kind: "authorisation.refused", prev: .zero, body: .object(members), with: SigningKey())
        }
        #expect(try SignerAuthentication.check(entry(time: "2026-01-12T10:00:00.000Z", authenticatedAt: .string("2026-01-12T10:00:00.000Z")), rule: rule, required: true) != nil)
        #expect(try SignerAuthentication.check(entry(time: "2026-01-12T10:15:00.000Z", authenticatedAt: .string("2026-01-12T10:00:00.000Z")), rule: rule, required: true) != nil)
        #expect(throws: RIPAError.self) {
            try SignerAuthentication.check(entry(time: "2026-01-12T10:15:00.001Z", authenticatedAt: .string("2026-01-12T10:00:00.000Z")), rule: rule, required: true)
        }
        // A non-canonical spelling of a time is refused: one value, one encoding.
        #expect(throws: RIPAError.self) {
            try SignerAuthentication.check(entry(time: "2026-01-12T10:00:00.000Z", authenticatedAt: .string("2026-01-12T10:00:00Z")), rule: rule, required: true)
        }
        #expect(throws: RIPAError.self) {
            try SignerAuthentication.check(entry(time: "2026-01-12T10:00:00.000Z", authenticatedAt: .integer(1)), rule: rule, required: true)
        }
        #expect(try SignerAuthentication.check(entry(time: "2026-01-12T10:00:00.000Z", authenticatedAt: nil), rule: rule, required: false) == nil)
        #expect(!SignerAuthentication.applies(to: .policyAdopted, signedByRegisterKey: true))
        #expect(!SignerAuthentication.applies(to: .userInvited, signedByRegisterKey: true))
        #expect(SignerAuthentication.applies(to: .registerKeyRotated, signedByRegisterKey: true))
        #expect(SignerAuthentication.applies(to: .userInvited, signedByRegisterKey: false))
        #expect(!SignerAuthentication.applies(to: .viewRecorded, signedByRegisterKey: false))
        #expect(!SignerAuthentication.applies(to: .userAccepted, signedByRegisterKey: false))
        #expect(SignerAuthentication.applies(to: .personalDataDestroyed, signedByRegisterKey: false))
        #expect(SignerAuthentication.applies(to: .retentionHoldPlaced, signedByRegisterKey: false))
    }
}
