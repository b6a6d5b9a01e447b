import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import RIPA

/// The web application: every route, on the same services as the CLI. `ripa serve` runs it;
/// tests call it too (HummingbirdTesting's `.router` and `.live`).
///
/// The register is verified (with replay) before the first request is served; if it fails,
/// the server still starts, refuses every write and shows administrators the finding.
public func buildApplication(_ arguments: ServerArguments, logger: Logger? = nil) async throws -> some ApplicationProtocol {
    let logger = logger ?? Logger(label: "ripa-serve")
    var state = ServerState(
        services: arguments.services,
        // The pack in force at each sign-in; if it cannot be read, the standard rule (which is
        // within every bound) rather than no limit.
        sessions: SessionStore(
            rule: { [services = arguments.services] in (try? await services.policy.inForce().policy.rules.sessionRules) ?? .standard },
            override: arguments.sessionLimits, clock: arguments.sessionClock),
        throttle: SignInThrottle(rule: arguments.lockout),
        integrity: IntegrityMonitor(services: arguments.services, logger: logger, enabled: arguments.verifiesContinuously), pages: try await Pages.load(),
        secureCookies: arguments.secureCookies, logger: logger)
    state.behindProxy = arguments.behindTLSProxy
    await state.integrity.verifyNow()
    let router = buildRouter(state)
    let configuration = ApplicationConfiguration(address: .hostname(arguments.host, port: arguments.port), serverName: "ripa-register")
    let server: HTTPServerBuilder
    if let tls = arguments.tls {
        var tlsConfiguration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.key, format: .pem)))
        tlsConfiguration.minimumTLSVersion = .tlsv12
        server = try .tls(.http1(), tlsConfiguration: tlsConfiguration)
    } else {
        server = .http1()
    }
    return Application(router: router, server: server, configuration: configuration, logger: logger)
}

/// Every route and middleware.
func buildRouter(_ state: ServerState) -> Router<WebContext> {
    let router = Router(context: WebContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: SessionMiddleware(state: state))
    Assets.addRoutes(to: router)
    SignIn(state: state).addRoutes(to: router)
    Home(state: state).addRoutes(to: router)
    API(state: state).addRoutes(to: router)
    Applications(state: state).addRoutes(to: router)
    Decisions(state: state).addRoutes(to: router)
    Looks(state: state).addRoutes(to: router)
    Records(state: state).addRoutes(to: router)
    Evidence(state: state).addRoutes(to: router)
    People(state: state).addRoutes(to: router)
    PolicyPages(state: state).addRoutes(to: router)
    RegisterKeyPages(state: state).addRoutes(to: router)
    RetentionPages(state: state).addRoutes(to: router)
    CalendarFeed(state: state).addRoutes(to: router)
    Tiles(state: state).addRoutes(to: router)
    return router
}

/// Builds the application and runs it until SIGINT or SIGTERM (`ripa serve`).
public func serve(_ arguments: ServerArguments, logger: Logger? = nil) async throws {
    let app = try await buildApplication(arguments, logger: logger)
    // Checkpoints go to the register's witnesses in the background (docs/witnesses.md).
    let witnessSync = WitnessSyncLoop(services: arguments.services, logger: logger ?? Logger(label: "ripa-serve"))
    let syncing = Task { await witnessSync.run() }
    defer { syncing.cancel() }
    try await app.runService()
}
