import Foundation
import Ledger
import RIPA
import Synchronization

/// A signed-in user's session. The unsealed key lives only here, in the server's memory: it
/// is never written anywhere, and it is gone on sign-out, expiry or restart.
struct WebSession: Sendable {
    /// The cookie's value: 32 random bytes, base64url.
    let id: String
    /// The user and their unsealed key.
    var actor: Actor
    /// The token every form of this session carries (CSRF).
    var csrfToken: String
    /// When the user signed in, on the session clock.
    let started: ContinuousClock.Instant
    /// The last request.
    var lastSeen: ContinuousClock.Instant
    /// The limits this session runs under: the pack's in force at sign-in, shortened by any
    /// `ripa serve` override. A pack adopted later applies to sessions started after it.
    let limits: SessionLimits

    /// When the user last gave their passphrase (sign-in or a step-up), on the register's
    /// clock: the time each decision they sign records (`authenticated_at`).
    var authenticatedAt: EntryTime? { actor.authenticatedAt }
    var userID: String { actor.userID }
    func holds(_ role: Role) -> Bool { actor.holds(role) }
}

/// The sessions of a running server, in memory only.
///
/// A lock, not an actor: every request looks its session up, and a hop to an actor's executor
/// and back costs each request two thread switches on a busy server, for a dictionary read.
final class SessionStore: Sendable {
    private let sessions = Mutex<[String: WebSession]>([:])
    /// The pack's session rule in force now.
    private let rule: @Sendable () async -> PolicyRules.Sessions
    /// `ripa serve`'s override, which can only shorten the pack's limits.
    private let override: SessionLimits?
    private let clock: SessionClock

    /// - Parameters:
    ///   - rule: the session rule of the pack in force (read at each sign-in).
    ///   - override: limits that shorten the pack's, never lengthen them; `nil` for the pack's.
    ///   - clock: the monotonic clock sessions are timed by (a test moves its own).
    init(rule: @escaping @Sendable () async -> PolicyRules.Sessions, override: SessionLimits?, clock: SessionClock) {
        self.rule = rule
        self.override = override
        self.clock = clock
    }

    /// A new session for a user who has just given their passphrase: a new id every time, so
    /// an id planted before sign-in (session fixation) is never promoted. It runs under the
    /// limits of the pack in force now.
    func start(_ actor: Actor) async -> WebSession {
        let limits = SessionLimits(await rule()).shortened(to: override)
        let now = clock.now()
        let session = WebSession(
            id: Token.random(), actor: actor, csrfToken: Token.random(), started: now, lastSeen: now, limits: limits)
        sessions.withLock { $0[session.id] = session }
        return session
    }

    /// The session with this id, if it has neither idled out nor outlived its lifetime; the
    /// request counts as activity.
    func session(_ id: String) -> WebSession? {
        let now = clock.now()
        return sessions.withLock { sessions in
            guard var session = sessions[id] else { return nil }
            guard now - session.lastSeen < session.limits.idle, now - session.started < session.limits.lifetime else {
                sessions[id] = nil
                return nil
            }
            session.lastSeen = now
            sessions[id] = session
            return session
        }
    }

    /// Records a step-up: the passphrase given again, with the key it unsealed.
    func steppedUp(_ id: String, actor: Actor) {
        sessions.withLock { $0[id]?.actor = actor }
    }

    /// Ends a session (sign-out).
    func end(_ id: String) { sessions.withLock { $0[id] = nil } }

    /// Ends every session of a user (their passphrase changed, or they were revoked).
    func endAll(of userID: String) { sessions.withLock { $0 = $0.filter { $0.value.userID != userID } } }

    /// How many sessions are live (for the administrator's page and tests).
    var count: Int { sessions.withLock { $0.count } }
}

/// Random tokens for session ids and CSRF tokens.
enum Token {
    /// 32 bytes from the system's CSPRNG (getrandom on Linux), base64url without padding.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Compares two tokens in time independent of where they differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
