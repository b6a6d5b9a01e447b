import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import RIPA
import Synchronization
import Testing

@testable import RegisterServer

/// A monotonic clock the test moves by hand, for sessions.
final class ManualSessionClock: Sendable {
    private let start = ContinuousClock.now
    private let offset = Mutex(Duration.zero)
    func advance(minutes: Int) { offset.withLock { $0 += .seconds(minutes * 60) } }
    var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
    var clock: SessionClock { SessionClock { [self] in self.now } }
}

extension WebScene {
    /// The application timed by `clock`, with an optional `ripa serve` override.
    func app(sessionClock: ManualSessionClock, override: SessionLimits? = nil) async throws -> some ApplicationProtocol {
        var logger = Logger(label: "ripa-serve-test")
        logger.logLevel = .error
        var arguments = ServerArguments(services: services, port: 0, sessionLimits: override)
        arguments.sessionClock = sessionClock.clock
        return try await buildApplication(arguments, logger: logger)
    }

    /// Adopts the pack in force with a `sessions` section, as `alice`.
    func adoptSessions(idle: Int, lifetime: Int, stepUp: Int = 15) async throws {
        let alice = try await services.users.unlock(userID: "alice", passphrase: Self.passphrases["alice"]!)
        var policy = try await services.policy.inForce().policy
        policy.rules.version += 1
        policy.rules.sessions = PolicyRules.Sessions(idleMinutes: idle, lifetimeHours: lifetime, stepUpMinutes: stepUp, source: "test pack")
        _ = try await services.policy.adopt(policy, files: ["sessions.yaml"], by: alice)
    }

    /// The last entry, parsed from its signed bytes.
    func lastEntry() async throws -> JSONValue {
        let size = try await services.verification.size()
        var leaf = ""
        try await services.verification.log(from: size - 1, described: false) { lines in leaf = lines.last?.leaf ?? leaf }
        return try JSONValue(parsing: leaf)
    }
}

/// Issue 10 §3: the session limits are the policy pack's, and the step-up time is what the entry records.
@Suite struct SessionPolicyTests {
    @Test func aSessionExpiresByThePacksIdleLimit() async throws {
        let scene = try await WebScene()
        try await scene.adoptSessions(idle: 5, lifetime: 1)
        let clock = ManualSessionClock()
        try await scene.app(sessionClock: clock).test(.router) { client in
            var browser = Browser(client)
            try await browser.signIn("ivan")
            #expect(try await browser.get("/").status == .ok)
            clock.advance(minutes: 4)
            #expect(try await browser.get("/").status == .ok, "4 minutes idle is inside the pack's 5")
            clock.advance(minutes: 5)
            let expired = try await browser.get("/")
            #expect(expired.status == .seeOther, "5 minutes idle ends the session under a pack of 5 (the default would be 15)")
            #expect(expired.headers[.location]?.hasPrefix("/sign-in") == true)
        }
    }

    @Test func aSessionEndsAtThePacksLifetimeHoweverBusy() async throws {
        let scene = try await WebScene()
        try await scene.adoptSessions(idle: 5, lifetime: 1)
        let clock = ManualSessionClock()
        try await scene.app(sessionClock: clock).test(.router) { client in
            var browser = Browser(client)
            try await browser.signIn("ivan")
            for _ in 0..<14 {
                clock.advance(minutes: 4)
                #expect(try await browser.get("/").status == .ok)
            }
            clock.advance(minutes: 4)  // 60 minutes after sign-in
            #expect(try await browser.get("/").status == .seeOther, "an hour after sign-in the session ends, however busy")
        }
    }

    @Test func sessionsFollowThePackInForceWhenTheyBegan() async throws {
        let scene = try await WebScene()
        let clock = ManualSessionClock()
        try await scene.app(sessionClock: clock).test(.router) { client in
            var before = Browser(client)
            try await before.signIn("ivan")
            try await scene.adoptSessions(idle: 20, lifetime: 8)
            var after = Browser(client)
            try await after.signIn("ivy")
            clock.advance(minutes: 16)
            #expect(try await before.get("/").status == .seeOther, "begun under the pack without the section: 15 minutes")
            #expect(try await after.get("/").status == .ok, "begun under the new pack: 20 minutes")
        }
    }

    @Test func theServeOverrideShortensThePackNeverLengthensIt() async throws {
        let scene = try await WebScene()
        try await scene.adoptSessions(idle: 20, lifetime: 8)
        let longer = ManualSessionClock()
        try await scene.app(sessionClock: longer, override: SessionLimits(idle: .seconds(60 * 60), lifetime: .seconds(12 * 3600))).test(.router) { client in
            var browser = Browser(client)
            try await browser.signIn("ivan")
            longer.advance(minutes: 21)
            #expect(try await browser.get("/").status == .seeOther, "an override of 60 minutes does not lengthen the pack's 20")
        }
        let shorter = ManualSessionClock()
        try await scene.app(sessionClock: shorter, override: SessionLimits(idle: .seconds(2 * 60), lifetime: .seconds(8 * 3600))).test(.router) { client in
            var browser = Browser(client)
            try await browser.signIn("ivan")
            shorter.advance(minutes: 3)
            #expect(try await browser.get("/").status == .seeOther, "an override of 2 minutes shortens the pack's 20")
        }
        #expect(SessionLimits(idle: .seconds(60), lifetime: .seconds(60)).shortened(to: nil) == SessionLimits(idle: .seconds(60), lifetime: .seconds(60)))
    }

    @Test func theStepUpTimeIsTheOneTheDecisionRecords() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let urn = try await ivan.applied()
            var mo = Browser(client)
            try await mo.signIn("mo")  // at 09:00
            // Forty minutes on, the key unsealed at sign-in is far outside the 15-minute window;
            // the step-up unseals it again, and that is the time recorded.
            try scene.clock.set("2026-03-02T09:40:00.000Z")
            let granted = try await mo.decide(urn, "grant", [("reasons", "Necessary and proportionate")], passphrase: WebScene.passphrases["mo"])
            #expect(granted.headers[.location] == "/cases/\(urn)?done=granted")
            let entry = try await scene.lastEntry()
            #expect(entry["kind"] == .string("authorisation.granted"))
            // Not personal data: it stays readable when the body's personal fields are sealed.
            #expect(entry["body"]?["authenticated_at"] == .string("2026-03-02T09:40:00.000Z"))
            // An administrator's decision records its step-up in the same way.
            try scene.clock.set("2026-03-02T09:50:00.000Z")
            var alice = Browser(client)
            try await alice.signIn("alice")
            try scene.clock.set("2026-03-02T10:20:00.000Z")
            let revoke = try await alice.get("/people/ivy/revoke")
            #expect(revoke.status == .ok)
            let check = try await alice.submit("/people/ivy/revoke/check", from: revoke, [("reason", "Left the council")])
            #expect(check.status == .ok, "\(check.body.prefix(300))")
            let done = try await alice.submit("/people/ivy/revoke", from: check, check.hiddenFields + [("passphrase", WebScene.passphrases["alice"]!)])
            #expect(done.status == .seeOther, "\(done.body.prefix(400))")
            let revoked = try await scene.lastEntry()
            #expect(revoked["kind"] == .string("user.revoked"))
            #expect(revoked["body"]?["authenticated_at"] == .string("2026-03-02T10:20:00.000Z"))
        }
    }
}
