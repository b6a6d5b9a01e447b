import Foundation
import Ledger
import MemoryStorage
import RegisterFiles
import RegisterStorage
import Synchronization
import Testing

@testable import RIPA

/// A clock the test moves: the register stamps entries with it.
final class ReplayClock: Sendable {
    private let value: Mutex<EntryTime>
    init(_ text: String) { value = Mutex(LifecycleFixture.time(text)) }
    func set(_ text: String) { value.withLock { $0 = LifecycleFixture.time(text) } }
    var now: EntryTime { value.withLock { $0 } }
}

/// A register built through the library, with `admin`, investigator `ivan` and monitoring
/// officer `mo`: in memory (the domain's tests), or `onDisk` in a temporary folder where a
/// test also runs the `ripa` binary on it.
struct ReplayScene {
    let directory: URL
    let register: Register
    let clock: ReplayClock
    private let ivanUnlocked: Actor
    private let moUnlocked: Actor
    /// `ivan` and `mo` as each `ripa` command has them: the key unsealed with the passphrase
    /// just typed, at the clock's time (a decision must be signed within the pack's step-up
    /// window of the unlock, `SignerAuthentication`).
    var ivan: Actor { Actor(user: ivanUnlocked.user, key: ivanUnlocked.key, authenticatedAt: clock.now) }
    var mo: Actor { Actor(user: moUnlocked.user, key: moUnlocked.key, authenticatedAt: clock.now) }
    var db: String { directory.appendingPathComponent("register.db").path }

    init(at start: String, ivanRoles: [Role] = [.investigator], onDisk: Bool = false) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ripa-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let clock = ReplayClock(start)
        self.clock = clock
        let policy = try LifecycleFixture.policy()
        let origin = "ripa.test-council.gov.uk/register"
        let founder = NewUser(userID: "admin", name: "Ada Admin", roles: [.administrator], rank: "Administrator")
        let (register, _, founders) = onDisk
            ? try await RegisterFiles.create(
                databasePath: directory.appendingPathComponent("register.db").path, origin: origin,
                administrators: [founder], policy: (policy, ShippedPolicy.fileNames), testRegister: true, clock: .test { clock.now })
            : try await Register.build(
                store: RegisterStore(backend: MemoryBackend(origin: origin)), keyStore: MemoryKeyStore(),
                administrators: [founder], policy: (policy, ShippedPolicy.fileNames), testRegister: true, clock: .test { clock.now })
        self.register = register
        try await register.acceptInvitation(userID: "admin", code: founders[0].code.description, passphrase: "velvet orbit lantern benjo")
        let admin = try await register.unlock(userID: "admin", passphrase: "velvet orbit lantern benjo")
        for (id, name, roles, rank) in [("ivan", "Ivan", ivanRoles, "Investigation Officer"), ("mo", "Mo", [Role.monitoringOfficer], "Director of Law")] {
            let invitation = try await register.invite(NewUser(userID: id, name: name, roles: roles, rank: rank), by: admin)
            try await register.acceptInvitation(userID: id, code: invitation.code.description, passphrase: "copper kettle tide " + String(id.reversed()))
        }
        ivanUnlocked = try await register.unlock(userID: "ivan", passphrase: "copper kettle tide navi")
        moUnlocked = try await register.unlock(userID: "mo", passphrase: "copper kettle tide om")
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    func application(offences: [String] = ["fraud-act-2006-s1"]) throws -> Application {
        Application(
            type: .directedSurveillance, operation: "Op Kestrel", purpose: "To detect fraud",
            subjects: [Subject(name: "Sam Subject", onlineIdentities: [try OnlineIdentity(address: "https://www.facebook.com/sam.subject")])],
            offences: offences, necessity: "Needed", proportionality: "Limited", collateralIntrusion: "Minimal",
            confidentialInformationLikely: false, team: ["ivan"])
    }

    /// Applies as `ivan` through the rules; returns the URN.
    func apply() async throws -> String {
        guard case .accepted(let urn, _, _) = try await register.apply(try application(), by: ivan) else {
            throw RIPAError(.badInput, "the test application was refused")
        }
        return urn
    }

    func grant(_ urn: String) async throws {
        try await register.decide(.authorisationGranted, LifecycleFixture.grant(urn), by: mo)
    }

    /// Appends an entry straight through the store: no role check, no Casework, no projection.
    /// This is what someone holding the database and a user's key could do.
    func forge(_ kind: EntryKind, _ body: some Encodable, signedBy actor: Actor) async throws -> UInt64 {
        let key = try register.keyStore.load(matching: try await register.verifierKey().description)
        // Stamped as the register stamps it, so each forgery breaks only the rule it is about.
        let encoded = try JSONValue(encoding: body)
        let json = SignerAuthentication.kinds.contains(kind)
            ? SignerAuthentication.stamp(encoded, with: clock.now) : encoded
        let entry = try await register.store.append(checkpointSigners: [key], now: clock.now) { writer in
            try writer.append(kind: kind.rawValue, body: json, signedBy: actor.key)
        }
        return entry.seq
    }
}

/// `verify --replay` plays the auditor against an attacker who appends entries that keep the
/// log intact (signed, chained, checkpointed, by a user holding the role) but break a rule.
@Suite struct ReplayTests {
    enum Forgery: String, CaseIterable, Sendable {
        case grantByApplicant
        case submissionFailingThreshold
        case reviewOfUnapprovedAuthorisation
        case renewalAfterExpiry
        case repeatedInitialView
        case viewUnderUnapprovedAuthorisation
        case grantWithPastFirstReview
        case submissionLongerThanStatute
    }

    /// Builds a legitimate register, then forges one entry; returns its index and a phrase the
    /// replay's message must contain.
    func forge(_ forgery: Forgery, in scene: ReplayScene) async throws -> (UInt64, String) {
        switch forgery {
        case .grantByApplicant:
            // ivan holds both roles, so the authority check passes; separation of duties does not.
            let urn = try await scene.apply()
            scene.clock.set("2026-01-12T10:00:00.000Z")
            return await (try scene.forge(.authorisationGranted, LifecycleFixture.grant(urn), signedBy: scene.ivan), "ivan applied for \(urn)")
        case .submissionFailingThreshold:
            let adopted = try await scene.register.policyInForce()
            let application = try scene.application(offences: ["epa-1990-s87", "ssaa-1992-s112"])
            var threshold = try SeriousCrimeThreshold.evaluate(type: .directedSurveillance, offenceIDs: application.offences, policy: adopted.policy)
            threshold.passes = true  // the lie
            let body = ApplicationSubmission(urn: "DS-2026-0001", application: application, threshold: threshold, policyHash: adopted.hash)
            return await (try scene.forge(.applicationSubmitted, body, signedBy: scene.ivan), "serious crime threshold fails")
        case .reviewOfUnapprovedAuthorisation:
            let urn = try await scene.apply()
            scene.clock.set("2026-01-12T10:00:00.000Z")
            try await scene.grant(urn)
            scene.clock.set("2026-02-12T10:00:00.000Z")
            let body = ReviewRecord(urn: urn, findings: "Seen twice", stillNecessary: true, nextReview: LifecycleFixture.day("2026-03-12"))
            return await (try scene.forge(.authorisationReviewed, body, signedBy: scene.mo), "granted-awaiting-approval")
        case .renewalAfterExpiry:
            let urn = try await scene.apply()
            scene.clock.set("2026-01-12T10:00:00.000Z")
            try await scene.grant(urn)
            scene.clock.set("2026-01-14T11:00:00.000Z")
            try await scene.register.decide(.judicialDecision, LifecycleFixture.judicial(urn, at: "2026-01-14T10:30:00.000Z"), by: scene.ivan)
            scene.clock.set("2026-04-20T09:00:00.000Z")
            return await (try scene.forge(.authorisationRenewed, LifecycleFixture.renewal(urn), signedBy: scene.mo), "expired at 2026-04-13T22:59:59.999Z")
        case .repeatedInitialView:
            let address = "https://www.facebook.com/sam.subject"
            let first = try await scene.register.view(address: address, caseRef: "HB/2026/17", purpose: "Initial check", urn: nil, by: scene.ivan)
            #expect(first.decision.basis == .initialExamination)
            scene.clock.set("2026-01-11T09:00:00.000Z")
            let body = ViewBody(profile: first.profile, address: address, caseRef: "HB/2026/17", purpose: "Another look", urn: nil, basis: .initialExamination, reason: nil)
            return await (try scene.forge(.viewRecorded, body, signedBy: scene.ivan), "already had its 1 initial examination")
        case .viewUnderUnapprovedAuthorisation:
            let urn = try await scene.apply()
            scene.clock.set("2026-01-12T10:00:00.000Z")
            try await scene.grant(urn)
            let profile = try OnlineIdentity(address: "https://www.facebook.com/sam.subject").profile
            let body = ViewBody(profile: profile, address: "https://www.facebook.com/sam.subject", caseRef: "HB/2026/17", purpose: "Look", urn: urn, basis: .authorisation, reason: nil)
            return await (try scene.forge(.viewRecorded, body, signedBy: scene.ivan), "until a JP approves it")
        case .grantWithPastFirstReview:
            let urn = try await scene.apply()
            scene.clock.set("2026-01-12T10:00:00.000Z")
            var body = LifecycleFixture.grant(urn)
            body.firstReview = LifecycleFixture.day("2026-01-01")
            return await (try scene.forge(.authorisationGranted, body, signedBy: scene.mo), "first review date 2026-01-01")
        case .submissionLongerThanStatute:
            let adopted = try await scene.register.policyInForce()
            var application = try scene.application()
            application.requestedDurationMonths = 6
            let threshold = try SeriousCrimeThreshold.evaluate(type: .directedSurveillance, offenceIDs: application.offences, policy: adopted.policy)
            let body = ApplicationSubmission(urn: "DS-2026-0001", application: application, threshold: threshold, policyHash: adopted.hash)
            return await (try scene.forge(.applicationSubmitted, body, signedBy: scene.ivan), "longer than the 3 months")
        }
    }

    @Test("an intact log whose decision breaks a rule: verify passes, verify --replay names the entry", arguments: Forgery.allCases)
    func forgedDecision(forgery: Forgery) async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z", ivanRoles: forgery == .grantByApplicant ? [.investigator, .monitoringOfficer] : [.investigator], onDisk: true)
        defer { scene.cleanUp() }
        let verifier = RegisterVerifier(store: scene.register.store)
        let (index, phrase) = try await forge(forgery, in: scene)

        // The log itself is intact: every signature, link, role and checkpoint checks out.
        let report = try await verifier.verify()
        #expect(report.size == index + 1)
        #expect(report.replayedDecisions == nil)

        let failure = await #expect(throws: VerificationFailure.self) { try await verifier.verify(replay: true) }
        #expect(failure?.check == .replay)
        #expect(failure?.index == index)
        #expect(failure?.message.contains(phrase) == true, "\(failure?.message ?? "no failure")")

        // The same through the binary.
        let result = try Self.ripa(["verify", "--replay", "--json", "--db", scene.db])
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        let json = try JSONValue(parsing: result.stdout)
        #expect(json["ok"] == false)
        #expect(json["check"] == "replay")
        #expect(json["index"] == .integer(Int64(index)))
        #expect(result.stderr.contains("entry \(index): replay"))
        #expect(try Self.ripa(["verify", "--json", "--db", scene.db]).status == 0, "without --replay the log verifies")
    }

    @Test("the same registers without the forgery replay cleanly, counting each decision")
    func honestRegisterReplays() async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z", onDisk: true)
        defer { scene.cleanUp() }
        let urn = try await scene.apply()
        scene.clock.set("2026-01-12T10:00:00.000Z")
        try await scene.grant(urn)
        scene.clock.set("2026-01-14T11:00:00.000Z")
        try await scene.register.decide(.judicialDecision, LifecycleFixture.judicial(urn, at: "2026-01-14T10:30:00.000Z"), by: scene.ivan)
        _ = try await scene.register.view(address: "https://www.facebook.com/sam.subject", caseRef: "HB/2026/17", purpose: "Look", urn: urn, by: scene.ivan)
        scene.clock.set("2026-04-01T09:00:00.000Z")
        try await scene.register.decide(.authorisationRenewed, LifecycleFixture.renewal(urn), by: scene.mo)
        // The threshold refusal is a decision too.
        guard case .refused = try await scene.register.apply(try scene.application(offences: ["epa-1990-s87"]), by: scene.ivan) else {
            Issue.record("a fine-only offence passed the threshold")
            return
        }
        let report = try await RegisterVerifier(store: scene.register.store).verify(replay: true)
        // policy, application, grant, judicial, view, renewal, refusal.
        #expect(report.replayedDecisions == 7)
        let result = try Self.ripa(["verify", "--replay", "--json", "--db", scene.db])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try JSONValue(parsing: result.stdout)["replayed_decisions"] == 7)
    }

    @Test("a forged refusal at the threshold for offences that pass is caught too")
    func refusalThatShouldHavePassed() async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z")
        defer { scene.cleanUp() }
        let adopted = try await scene.register.policyInForce()
        var threshold = try SeriousCrimeThreshold.evaluate(type: .directedSurveillance, offenceIDs: ["fraud-act-2006-s1"], policy: adopted.policy)
        threshold.passes = false
        let body = ApplicationRefusal(type: .directedSurveillance, operation: "Op Kestrel", threshold: threshold, reason: "refused", policyHash: adopted.hash)
        let index = try await scene.forge(.applicationRefused, body, signedBy: scene.ivan)
        let failure = await #expect(throws: VerificationFailure.self) { try await RegisterVerifier(store: scene.register.store).verify(replay: true) }
        #expect(failure?.index == index && failure?.check == .replay)
    }

    // MARK: The binary

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `ripa` binary: $RIPA_BIN, else the checkout's .build/debug/ripa.
    static var binary: String {
        ProcessInfo.processInfo.environment["RIPA_BIN"] ?? LifecycleFixture.root.appendingPathComponent(".build/debug/ripa").path
    }

    static func ripa(_ arguments: [String]) throws -> Run {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "no ripa binary at \(binary); set $RIPA_BIN")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "RIPA_CLOCK")
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}
