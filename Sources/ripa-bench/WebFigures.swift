import Foundation
import Logging
import RIPA
import RegisterServer

/// The web figures (issue 10 §8): the gate through HTTP beside the same decision and record
/// in process, interleaved so both see the same machine; and an authorisation page and the
/// central record's first page under 16 concurrent clients beside a trivial route of the
/// same server.
enum WebFigures {
    static let clients = 16
    static let seconds = 4.0

    static func measure(
        register: Register, admin: Actor, investigator: Actor, workload: inout ViewWorkload, singles: Int, into figures: inout Figures,
        log: (String) -> Void
    ) async throws {
        let services = RegisterServices(register: register)
        // People and cases for the pages: a monitoring officer (approved by the second
        // administrator), an auditor, and 60 granted authorisations.
        let second = try await services.users.unlock(userID: "second", passphrase: "bench passphrase")
        // Unlocked again: the earlier figures may have run past the step-up window of the
        // administrator's first unlock, and an invitation commits the authority.
        let inviter = try await services.users.unlock(userID: admin.userID, passphrase: "bench passphrase")
        for (id, role) in [("mo", Role.monitoringOfficer), ("ada", Role.auditor)] {
            let invitation = try await services.users.invite(userID: id, name: "Bench \(id)", roles: [role], rank: "Officer", by: inviter)
            _ = try await services.users.accept(userID: id, code: invitation.code, passphrase: "bench passphrase")
            if role.isPrivileged { _ = try await services.users.approve(id, by: second) }
        }
        let mo = try await services.users.unlock(userID: "mo", passphrase: "bench passphrase")
        var urn = ""
        for index in 0..<60 {
            let application = Application(
                type: .directedSurveillance, operation: "Bench \(index)", purpose: "To detect fraud",
                subjects: [Subject(name: "Subject \(index)", onlineIdentities: [try OnlineIdentity(address: "https://www.facebook.com/bench.subject.\(index)")])],
                offences: ["fraud-act-2006-s1"], necessity: "Needed", proportionality: "Limited", collateralIntrusion: "Minimal",
                confidentialInformationLikely: false, team: ["ivan"])
            urn = try await services.casework.apply(application, by: investigator).urn!
            _ = try await services.casework.grant(urn: urn, reasons: "Necessary", reviewInterval: nil, firstReview: nil, directlyInvolved: false, by: mo)
        }

        var quiet = Logger(label: "ripa-bench-serve")
        quiet.logLevel = .critical
        let port = Int.random(in: 20_000...60_000)
        var arguments = ServerArguments(services: services, port: port)
        arguments.verifiesContinuously = false
        let server = Task { [arguments, quiet] in try await serve(arguments, logger: quiet) }
        defer { server.cancel() }
        // From here on the bench's own blocking clients run on threads of their own
        // (`offPool`): on a task they would hold one of the two threads of Swift's pool, which
        // the server's handlers run on.
        var ready = false
        for _ in 0..<200 where !ready {
            if (try? await offPool({ try HTTPConnection(port: port).request("GET", "/health").status })) == 200 { ready = true } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        guard ready else { throw BenchError("ripa serve did not answer on port \(port)") }

        @Sendable func signIn(_ user: String) throws -> (headers: [String: String], connection: HTTPConnection) {
            let connection = try HTTPConnection(port: port)
            let response = try connection.request(
                "POST", "/api/v1/session", headers: ["Content-Type": "application/json"],
                body: Array(#"{"user_id":"\#(user)","passphrase":"bench passphrase"}"#.utf8), parseHeaders: true)
            guard response.status == 200, let cookie = response.headers["set-cookie"]?.split(separator: ";").first,
                let csrf = response.text.split(separator: "\"").drop(while: { $0 != "csrf_token" }).dropFirst(2).first
            else { throw BenchError("sign-in as \(user) answered \(response.status)") }
            return (["Cookie": String(cookie), "X-CSRF-Token": String(csrf)], connection)
        }

        // The gate: one look through HTTP, then one in process, each a new profile (an
        // initial examination recorded durably).
        let (ivanHeaders, ivanConnection) = try await offPool { try signIn("ivan") }
        var http: [Double] = []
        var local: [Double] = []
        for _ in 0..<singles {
            let address = workload.nextAddress()
            let body = Array(#"{"address":"\#(address)","case_ref":"BENCH-3","purpose":"first look"}"#.utf8)
            var headers = ivanHeaders
            headers["Content-Type"] = "application/json"
            http.append(try await offPool { [headers] in
                try Measure.seconds {
                    let response = try ivanConnection.request("POST", "/api/v1/looks", headers: headers, body: body)
                    guard response.status == 201 else { throw BenchError("POST /api/v1/looks answered \(response.status): \(response.text)") }
                }
            })
            let other = workload.nextAddress()
            local.append(try await Measure.seconds {
                _ = try await services.gate.look(at: other, caseRef: "BENCH-3", purpose: "first look", authorisation: nil, by: investigator)
            })
        }
        figures.httpGateP50ms = Measure.percentile(http, 50) * 1000
        figures.inProcessGateP50ms = Measure.percentile(local, 50) * 1000
        log("gate through HTTP: p50 \(figures.httpGateP50ms) ms (in process \(figures.inProcessGateP50ms) ms)")

        // Pages under 16 clients: a trivial route, an authorisation page, the central record.
        let (moHeaders, _) = try await offPool { try signIn("mo") }
        let (adaHeaders, _) = try await offPool { try signIn("ada") }
        let trivial = try await offPool { try HTTPLoad.run(port: port, path: "/health", headers: [:], clients: clients, seconds: seconds) }
        figures.trivialPerSecond = trivial.perSecond
        let casePage = try await offPool { [urn] in try HTTPLoad.run(port: port, path: "/cases/\(urn)", headers: moHeaders, clients: clients, seconds: seconds) }
        figures.casePagePerSecond = casePage.perSecond
        figures.casePageP99ms = Measure.percentile(casePage.latencies, 99) * 1000
        let record = try await offPool { try HTTPLoad.run(port: port, path: "/record", headers: adaHeaders, clients: clients, seconds: seconds) }
        figures.recordPagePerSecond = record.perSecond
        figures.recordPageP99ms = Measure.percentile(record.latencies, 99) * 1000
        log("pages, \(clients) clients: trivial \(Int(trivial.perSecond))/s; authorisation \(Int(casePage.perSecond))/s p99 \(figures.casePageP99ms) ms; central record \(Int(record.perSecond))/s p99 \(figures.recordPageP99ms) ms")
    }
}

/// Runs a blocking client call on a thread of its own and waits for it without blocking the
/// caller's thread, which belongs to Swift's pool: the server's handlers need that pool.
func offPool<T>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let result = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Unchecked<T>, any Error>) in
        Thread { continuation.resume(with: Result { Unchecked(value: try body()) }) }.start()
    }
    return result.value
}

/// A value handed from the client's thread back to the task that waits for it, and only then used.
struct Unchecked<T>: @unchecked Sendable { let value: T }
