import Foundation

/// Locks an account, and separately the address it was tried from, after repeated failed
/// sign-ins (NIST SP 800-63B-4 §3.2.2, rate limiting), so a passphrase cannot be guessed
/// online. Administrators see the lockouts.
actor SignInThrottle {
    /// A lockout in force, as administrators see it.
    struct Lockout: Sendable, Hashable {
        /// `user` or `address`.
        var kind: String
        /// The user id or the address.
        var subject: String
        /// When it ends.
        var until: Date
    }

    private let rule: LockoutRule
    private var failures: [String: [Date]] = [:]
    private var locked: [String: Date] = [:]

    init(rule: LockoutRule) { self.rule = rule }

    private static func keys(user: String, address: String) -> [String] { ["user:" + user, "address:" + address] }

    /// When sign-in for the user or from the address is locked, the time it ends.
    func lockedUntil(user: String, address: String, now: Date = Date()) -> Date? {
        Self.keys(user: user, address: address).compactMap { key -> Date? in
            guard let until = locked[key] else { return nil }
            if until <= now { locked[key] = nil; return nil }
            return until
        }.max()
    }

    /// Counts a failure; locks the account and the address once either reaches the rule's count.
    func failed(user: String, address: String, now: Date = Date()) {
        let window = TimeInterval(rule.window.components.seconds)
        for key in Self.keys(user: user, address: address) {
            var times = failures[key, default: []].filter { now.timeIntervalSince($0) < window }
            times.append(now)
            failures[key] = times
            if times.count >= rule.failures {
                locked[key] = now.addingTimeInterval(TimeInterval(rule.duration.components.seconds))
                failures[key] = nil
            }
        }
    }

    /// Clears the account's count after a success (the address keeps its count).
    func succeeded(user: String) { failures["user:" + user] = nil }

    /// The lockouts in force.
    func lockouts(now: Date = Date()) -> [Lockout] {
        locked.filter { $0.value > now }.map { key, until in
            let parts = key.split(separator: ":", maxSplits: 1)
            return Lockout(kind: String(parts[0]), subject: String(parts[1]), until: until)
        }.sorted { ($0.kind, $0.subject) < ($1.kind, $1.subject) }
    }

    /// Lifts a lockout (an administrator's action).
    func lift(kind: String, subject: String) { locked[kind + ":" + subject] = nil }
}
