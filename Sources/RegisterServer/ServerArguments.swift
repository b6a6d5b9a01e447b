import Foundation
import RIPA

/// What `ripa serve` is started with: the register, where to listen, TLS, and any shortening
/// of the session limits. Tests build one too and call `buildApplication(_:)`.
public struct ServerArguments: Sendable {
    /// The register's services (opened by the caller: a file register for `ripa serve`, any
    /// store for tests).
    public var services: RegisterServices
    /// The address to listen on.
    public var host: String
    /// The port to listen on (0 picks a free one).
    public var port: Int
    /// PEM certificate chain and key for TLS; both or neither.
    public var tls: TLSFiles?
    /// Limits that shorten the pack's `sessions` rule for this server (`--idle-minutes`,
    /// `--lifetime-hours`); `nil` to run sessions by the pack in force alone. An override
    /// longer than the pack is ignored: the pack is the authority's rule.
    public var sessionLimits: SessionLimits?
    /// The clock sessions are timed by: the monotonic clock, which a change of the system
    /// time cannot move; tests move their own.
    public var sessionClock = SessionClock.continuous
    /// Failed sign-ins before a lockout, and how long it lasts.
    public var lockout: LockoutRule

    /// A certificate chain and its key, as PEM files.
    public struct TLSFiles: Sendable {
        public var certificate: String
        public var key: String
        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    /// Makes the arguments with the defaults `ripa serve` documents.
    public init(
        services: RegisterServices, host: String = "127.0.0.1", port: Int = 8080, tls: TLSFiles? = nil,
        sessionLimits: SessionLimits? = nil, lockout: LockoutRule = .init()
    ) {
        self.services = services
        self.host = host
        self.port = port
        self.tls = tls
        self.sessionLimits = sessionLimits
        self.lockout = lockout
    }

    /// Whether cookies must be `Secure`: under TLS, or behind a proxy that terminates it
    /// (`secureCookies` set by `--behind-tls-proxy`).
    public var secureCookies: Bool { tls != nil || behindTLSProxy }
    /// Set when a reverse proxy terminates TLS in front of the server.
    public var behindTLSProxy = false
    /// Verify at start and after writes (fail closed). Only `ripa-bench` turns it off, to
    /// time requests without a verification sharing the cores; `ripa serve` never does.
    public var verifiesContinuously = true
}

/// A session's limits: idle timeout and absolute lifetime.
public struct SessionLimits: Sendable, Equatable {
    /// Ends a session after this long without a request.
    public var idle: Duration
    /// Ends a session this long after sign-in, however busy.
    public var lifetime: Duration
    /// The limits; by default those of a pack without a `sessions` section: 15 minutes idle
    /// and 8 hours in all (a working day).
    public init(idle: Duration = .seconds(15 * 60), lifetime: Duration = .seconds(8 * 3600)) {
        self.idle = idle
        self.lifetime = lifetime
    }

    /// The limits a pack's `sessions` rule sets.
    public init(_ rule: PolicyRules.Sessions) {
        self.init(idle: .seconds(rule.idleMinutes * 60), lifetime: .seconds(rule.lifetimeHours * 3600))
    }

    /// These limits, each shortened to the override's where it is shorter (never lengthened).
    public func shortened(to override: SessionLimits?) -> SessionLimits {
        guard let override else { return self }
        return SessionLimits(idle: min(idle, override.idle), lifetime: min(lifetime, override.lifetime))
    }
}

/// The monotonic clock sessions are timed by.
public struct SessionClock: Sendable {
    /// Now.
    public let now: @Sendable () -> ContinuousClock.Instant
    /// A clock of the caller's (tests).
    public init(now: @escaping @Sendable () -> ContinuousClock.Instant) { self.now = now }
    /// `ContinuousClock`: it keeps counting while the machine sleeps, and no one can set it.
    public static let continuous = SessionClock { .now }
}

/// When repeated failed sign-ins lock an account and an address out.
public struct LockoutRule: Sendable {
    /// Failures within `window` that trigger a lockout.
    public var failures: Int
    /// The window the failures are counted in.
    public var window: Duration
    /// How long the lockout lasts.
    public var duration: Duration
    /// The rule; by default 5 failures in 15 minutes lock out for 15 minutes.
    public init(failures: Int = 5, window: Duration = .seconds(15 * 60), duration: Duration = .seconds(15 * 60)) {
        self.failures = failures
        self.window = window
        self.duration = duration
    }
}
