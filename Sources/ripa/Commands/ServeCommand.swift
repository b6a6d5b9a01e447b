import ArgumentParser
import Foundation
import RIPA
import RegisterServer

/// `ripa serve`: the register in a browser, on the same services as every other command.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the register to browsers (pages and the JSON API under /api/v1).",
        discussion: """
            Listens on 127.0.0.1:8080 unless --listen says otherwise. Give --tls-cert and --tls-key
            (PEM files) to serve HTTPS yourself, or put a reverse proxy that terminates TLS in front
            and pass --behind-tls-proxy so session cookies are marked Secure (README shows nginx).

            The register is verified, with replay, before the first request; if verification fails
            the server refuses every write, shows administrators the finding and keeps serving reads.
            Sessions hold a user's unsealed key in memory only: they end on sign-out, when the
            server stops, or at the limits of the policy pack in force when they began (its
            `sessions` section: idle_minutes without a request, lifetime_hours after sign-in;
            15 minutes and 8 hours for a pack without it). --idle-minutes and --lifetime-hours
            can only shorten those limits on this server, never lengthen them.
            """)
    @OptionGroup var register: RegisterOptions

    @Option(help: ArgumentHelp("The address and port to listen on.", valueName: "HOST:PORT")) var listen = "127.0.0.1:8080"
    @Option(help: ArgumentHelp("PEM certificate chain for TLS (with --tls-key).", valueName: "FILE")) var tlsCert: String?
    @Option(help: ArgumentHelp("PEM private key for TLS (with --tls-cert).", valueName: "FILE")) var tlsKey: String?
    @Flag(help: "A reverse proxy terminates TLS in front of this server: mark cookies Secure.") var behindTLSProxy = false
    @Option(help: "Shorten the pack's idle timeout (sessions.idle_minutes) to this many minutes; it never lengthens it.") var idleMinutes: Int?
    @Option(help: "Shorten the pack's session lifetime (sessions.lifetime_hours) to this many hours; it never lengthens it.") var lifetimeHours: Int?

    func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("give both --tls-cert and --tls-key, or neither") }
        _ = try Self.hostAndPort(listen)
        let idleMost = PolicyRules.Sessions.maximumIdleMinutes, lifetimeMost = PolicyRules.Sessions.maximumLifetimeHours
        if let idleMinutes, !(1...idleMost).contains(idleMinutes) {
            throw ValidationError("--idle-minutes \(idleMinutes) is out of range: give 1 to \(idleMost) (it can only shorten the pack's sessions.idle_minutes)")
        }
        if let lifetimeHours, !(1...lifetimeMost).contains(lifetimeHours) {
            throw ValidationError("--lifetime-hours \(lifetimeHours) is out of range: give 1 to \(lifetimeMost) (it can only shorten the pack's sessions.lifetime_hours)")
        }
    }

    static func hostAndPort(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen '\(text)' is not HOST:PORT, e.g. 127.0.0.1:8080")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("--listen '\(text)' has no host, e.g. 127.0.0.1:8080") }
        return (host, port)
    }

    func run() async throws {
        let (host, port) = try Self.hostAndPort(listen)
        let services = try await register.services()
        // Only what was given shortens; the other limit stays the pack's.
        let override: SessionLimits? = idleMinutes == nil && lifetimeHours == nil ? nil : SessionLimits(
            idle: .seconds((idleMinutes ?? PolicyRules.Sessions.maximumIdleMinutes) * 60),
            lifetime: .seconds((lifetimeHours ?? PolicyRules.Sessions.maximumLifetimeHours) * 3600))
        var arguments = ServerArguments(
            services: services, host: host, port: port,
            tls: tlsCert.map { ServerArguments.TLSFiles(certificate: $0, key: tlsKey!) },
            sessionLimits: override)
        arguments.behindTLSProxy = behindTLSProxy
        try await RegisterServer.serve(arguments)
    }
}
