extension PolicyRules {
    /// How long a signed-in session and a proof of the passphrase last (`sessions`, issue 10
    /// §3): the web server ends a session after `idleMinutes` without a request or
    /// `lifetimeHours` after sign-in, and every decision that commits the authority must be
    /// signed within `stepUpMinutes` of the signer giving their passphrase
    /// (`SignerAuthentication`), from the web or the CLI alike.
    ///
    /// Not statute: RIPA and the Code of Practice say nothing of sessions. The upper bounds
    /// below are the register's own floor, taken from NIST SP 800-63B (Digital Identity
    /// Guidelines, Authentication and Lifecycle Management) §4.2.3, reauthentication at
    /// authenticator assurance level 2 — a key that signs an authority's decisions under RIPA
    /// deserves at least that: after at most 30 minutes of inactivity, and at least once every
    /// 12 hours however busy. A pack may shorten them, never lengthen them.
    public struct Sessions: Sendable, Hashable, Codable {
        /// Minutes without a request before a session ends.
        public var idleMinutes: Int
        /// Hours after sign-in before a session ends however busy.
        public var lifetimeHours: Int
        /// Minutes a decision may be signed after the signer last gave their passphrase.
        public var stepUpMinutes: Int
        /// Where the rule comes from.
        public var source: String

        /// The longest idle timeout a pack may set: NIST SP 800-63B §4.2.3 (AAL2), 30 minutes.
        public static let maximumIdleMinutes = 30
        /// The longest lifetime a pack may set: NIST SP 800-63B §4.2.3 (AAL2), 12 hours.
        public static let maximumLifetimeHours = 12
        /// The longest step-up window a pack may set: no longer than the longest idle timeout,
        /// or a key left unattended past its session's end could still sign.
        public static let maximumStepUpMinutes = 30
        /// The source of the three maxima.
        public static let boundsSource = "NIST SP 800-63B §4.2.3 (reauthentication at AAL2): the register's own floor, not statute"

        /// The rule when a pack does not set it: what `ripa serve` did before packs carried
        /// it — 15 minutes idle, 8 hours in all (a working day), 15 minutes to sign.
        public static let standard = Sessions(
            idleMinutes: 15, lifetimeHours: 8, stepUpMinutes: 15,
            source: "the register's defaults (issue 10 §3), within NIST SP 800-63B §4.2.3 (AAL2)")

        /// Creates the rule.
        public init(idleMinutes: Int, lifetimeHours: Int, stepUpMinutes: Int, source: String) {
            self.idleMinutes = idleMinutes
            self.lifetimeHours = lifetimeHours
            self.stepUpMinutes = stepUpMinutes
            self.source = source
        }

        /// The step-up window in milliseconds, as entry times count.
        public var stepUpMilliseconds: Int64 { Int64(stepUpMinutes) * 60_000 }

        private enum CodingKeys: String, CodingKey {
            case idleMinutes = "idle_minutes", lifetimeHours = "lifetime_hours", stepUpMinutes = "step_up_minutes", source
        }

        /// Every bound the rule breaks, as `StatutoryFloor` reports a pack's: each names the
        /// pack's key, the value and the limit with its source.
        public func violations() -> [StatutoryFloor.Violation] {
            var found: [StatutoryFloor.Violation] = []
            func check(_ key: String, _ value: Int, _ maximum: Int, _ unit: String) {
                if value < 1 {
                    found.append(.init(path: "sessions.\(key)", message: "\(value) \(unit) is not a limit: give at least 1", source: Self.boundsSource))
                } else if value > maximum {
                    found.append(.init(
                        path: "sessions.\(key)", message: "\(value) \(unit) is longer than the \(maximum) \(unit) the register allows",
                        source: Self.boundsSource))
                }
            }
            check("idle_minutes", idleMinutes, Self.maximumIdleMinutes, "minutes")
            check("lifetime_hours", lifetimeHours, Self.maximumLifetimeHours, "hours")
            check("step_up_minutes", stepUpMinutes, Self.maximumStepUpMinutes, "minutes")
            return found
        }
    }

    /// The session rule in force under this pack: its `sessions` section, or
    /// ``Sessions/standard`` for a pack written before the section existed.
    public var sessionRules: Sessions { sessions ?? .standard }
}
