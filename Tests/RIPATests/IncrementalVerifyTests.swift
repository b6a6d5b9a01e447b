import Foundation
import Ledger
import RegisterStorage
import Testing

@testable import RIPA

/// `verify --save-state` then `verify --since` (issue 12 §5): the saved walk and replay go on
/// exactly where the full verify left them, and the new part is checked as strictly.
@Suite struct IncrementalVerifyTests {
    static let now = LifecycleFixture.time("2026-06-01T09:00:00.000Z")

    /// A register with a case granted and a first look taken.
    func scene() async throws -> (ReplayScene, address: String) {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z")
        let address = "https://www.facebook.com/sam.subject"
        _ = try await scene.register.view(address: address, caseRef: "HB/2026/17", purpose: "Initial check", urn: nil, by: scene.ivan)
        let urn = try await scene.apply()
        scene.clock.set("2026-01-12T10:00:00.000Z")
        try await scene.grant(urn)
        return (scene, address)
    }

    func save(_ scene: ReplayScene, replay: Bool = true, since: VerificationState? = nil) async throws -> (VerificationReport, String) {
        let report = try await RegisterVerifier(store: scene.register.store).verify(replay: replay, now: Self.now, since: since, saveState: true)
        return (report, try #require(report.stateFile))
    }

    @Test func theIncrementalVerifyOfAnHonestRegisterEndsInTheSameStateAsAFullOne() async throws {
        let (scene, _) = try await scene()
        let (before, text) = try await save(scene)
        let state = try VerificationState(parsing: text)
        #expect(state.size == before.size && state.hasReplay)

        // New entries: a judicial approval, a look under the case, a new user.
        let urn = "DS-2026-0001"
        scene.clock.set("2026-01-14T11:00:00.000Z")
        try await scene.register.decide(.judicialDecision, LifecycleFixture.judicial(urn, at: "2026-01-14T10:30:00.000Z"), by: scene.ivan)
        _ = try await scene.register.view(address: "https://www.facebook.com/sam.subject", caseRef: "HB/2026/17", purpose: "Look", urn: urn, by: scene.ivan)

        let (incremental, incrementalText) = try await save(scene, since: state)
        #expect(incremental.sinceSize == before.size)
        #expect(incremental.size > before.size)
        #expect(incremental.summary.contains("\(incremental.size - before.size) new entries verified"), "\(incremental.summary)")
        // Going on from the saved state must reach exactly what walking everything reaches.
        let (full, fullText) = try await save(scene)
        #expect(full.root == incremental.root)
        #expect(full.replayedDecisions == incremental.replayedDecisions)
        #expect(full.kinds == incremental.kinds)
        #expect(fullText == incrementalText)
    }

    @Test func noNewEntriesIsAPassThatSaysSo() async throws {
        let (scene, _) = try await scene()
        let (before, text) = try await save(scene, replay: false)
        let report = try await RegisterVerifier(store: scene.register.store).verify(now: Self.now, since: try VerificationState(parsing: text))
        #expect(report.size == before.size && report.sinceSize == before.size)
        #expect(report.summary.contains("no new entries"))
    }

    /// The forged look is the second initial examination of a profile whose first was in the
    /// old part: only a replay that kept its record of looks can see it.
    @Test func aRepeatedInitialLookInTheNewPartIsCaughtFromTheSavedReplay() async throws {
        let (scene, address) = try await scene()
        let (_, text) = try await save(scene)
        scene.clock.set("2026-01-20T09:00:00.000Z")
        let profile = try OnlineIdentity(address: address).profile
        let body = ViewBody(profile: profile, address: address, caseRef: "HB/2026/17", purpose: "Another look", urn: nil, basis: .initialExamination, reason: nil)
        let forged = try await scene.forge(.viewRecorded, body, signedBy: scene.ivan)

        let verifier = RegisterVerifier(store: scene.register.store)
        let state = try VerificationState(parsing: text)
        // The log is intact, so without --replay the new part passes…
        #expect(try await verifier.verify(now: Self.now, since: state).size == forged + 1)
        // …and with it the forged look is named.
        let failure = await #expect(throws: VerificationFailure.self) { try await verifier.verify(replay: true, now: Self.now, since: state) }
        #expect(failure?.check == .replay)
        #expect(failure?.index == forged)
        #expect(failure?.message.contains("already had its 1 initial examination") == true, "\(failure?.message ?? "")")
    }

    @Test func aGrantByTheApplicantInTheNewPartIsCaught() async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z", ivanRoles: [.investigator, .monitoringOfficer])
        let urn = try await scene.apply()
        let (_, text) = try await save(scene)
        scene.clock.set("2026-01-12T10:00:00.000Z")
        let forged = try await scene.forge(.authorisationGranted, LifecycleFixture.grant(urn), signedBy: scene.ivan)
        let failure = await #expect(throws: VerificationFailure.self) {
            try await RegisterVerifier(store: scene.register.store).verify(replay: true, now: Self.now, since: try VerificationState(parsing: text))
        }
        #expect(failure?.index == forged && failure?.check == .replay)
        #expect(failure?.message.contains("ivan applied for \(urn)") == true, "\(failure?.message ?? "")")
    }

    @Test func aStateSavedWithoutReplayCannotGoOnWithOne() async throws {
        let (scene, _) = try await scene()
        let (_, text) = try await save(scene, replay: false)
        let error = await #expect(throws: RIPAError.self) {
            try await RegisterVerifier(store: scene.register.store).verify(replay: true, now: Self.now, since: try VerificationState(parsing: text))
        }
        #expect(error?.reason == .verifyStateMalformed)
        #expect(error?.message.contains("saved without a replay") == true)
    }

    /// The authority walk goes on from the saved accounts: a user revoked in the old part
    /// cannot sign in the new one.
    @Test func aUserRevokedBeforeTheStateCannotSignAfterIt() async throws {
        let (scene, _) = try await scene()
        let admin = try await scene.register.unlock(userID: "admin", passphrase: "velvet orbit lantern benjo")
        _ = try await scene.register.revoke("ivan", reason: "left the council", by: admin)
        let (_, text) = try await save(scene)
        scene.clock.set("2026-01-20T09:00:00.000Z")
        let forged = try await scene.forge(.viewRecorded, ViewBody(
            profile: try OnlineIdentity(address: "https://www.facebook.com/other").profile, address: "https://www.facebook.com/other",
            caseRef: "HB/2026/18", purpose: "Look", urn: nil, basis: .initialExamination, reason: nil), signedBy: scene.ivan)
        let failure = await #expect(throws: VerificationFailure.self) {
            try await RegisterVerifier(store: scene.register.store).verify(now: Self.now, since: try VerificationState(parsing: text))
        }
        #expect(failure?.index == forged && failure?.check == .authority)
        #expect(failure?.message.contains("revoked") == true, "\(failure?.message ?? "")")
    }

    @Test(arguments: [
        ("", "not JSON"),
        (#"{"format":"something-else","version":1}"#, "format is 'something-else'"),
        (#"{"format":"ripa-verify-state","version":1}"#, "version 1"),
        (#"{"format":"ripa-verify-state","version":3}"#, "version 3"),
        (#"{"format":"ripa-verify-state","version":2}"#, "no state or no digest"),
    ])
    func aStateFileThatIsNotOneIsRefused(text: String, phrase: String) throws {
        let error = #expect(throws: RIPAError.self) { try VerificationState(parsing: text) }
        #expect(error?.code == .badInput)
        #expect(error?.message.contains(phrase) == true, "\(error?.message ?? "")")
    }
}
