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
            Sessions hold a user's unsealed key in memory only: they end on sign-out, after
            --idle-minutes without a request, after --lifetime-hours, or when the server stops.
            """)
    @OptionGroup var register: RegisterOptions

    @Option(help: ArgumentHelp("The address and port to listen on.", valueName: "HOST:PORT")) var listen = "127.0.0.1:8080"
    @Option(help: ArgumentHelp("PEM certificate chain for TLS (with --tls-key).", valueName: "FILE")) var tlsCert: String?
    @Option(help: ArgumentHelp("PEM private key for TLS (with --tls-cert).", valueName: "FILE")) var tlsKey: String?
    @Flag(help: "A reverse proxy terminates TLS in front of this server: mark cookies Secure.") var behindTLSProxy = false
    @Option(help: "Minutes without a request before a session ends.") var idleMinutes = 15
    @Option(help: "Hours after sign-in before a session ends however busy.") var lifetimeHours = 8

    func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("give both --tls-cert and --tls-key, or neither") }
        _ = try Self.hostAndPort(listen)
        guard (1...480).contains(idleMinutes) else { throw ValidationError("--idle-minutes \(idleMinutes) is out of range: give 1 to 480") }
        guard (1...24).contains(lifetimeHours) else { throw ValidationError("--lifetime-hours \(lifetimeHours) is out of range: give 1 to 24") }
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
        var arguments = ServerArguments(
            services: services, host: host, port: port,
            tls: tlsCert.map { ServerArguments.TLSFiles(certificate: $0, key: tlsKey!) },
            sessionLimits: SessionLimits(idle: .seconds(idleMinutes * 60), lifetime: .seconds(lifetimeHours * 3600)))
        arguments.behindTLSProxy = behindTLSProxy
        try await RegisterServer.serve(arguments)
    }
}
