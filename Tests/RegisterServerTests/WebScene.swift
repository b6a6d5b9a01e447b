import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import RIPA
import RegisterFiles
import Testing

@testable import RegisterServer

/// A test register in a temporary folder with administrator `alice`, investigators `ivan`
/// and `ivy`, monitoring officer `mo` and auditor `ada`, under a clock the test moves; and the
/// web application over it.
final class WebScene: Sendable {
    static let passphrases = [
        "alice": "harbour lantern velvet orbit", "ivan": "copper kettle morning tide", "ivy": "seven lighthouse copper rain",
        "mo": "granite meadow silver fox", "ada": "paper lantern quiet river",
    ]
    let folder: URL
    let services: RegisterServices
    let clock: TestClock

    init(at start: String = "2026-03-02T09:00:00.000Z") async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ripa-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let clock = TestClock(try EntryTime(parsing: start))
        self.clock = clock
        let (services, created) = try await RegisterFiles.create(
            databasePath: folder.appendingPathComponent("register.db").path, origin: "ripa.test-council.gov.uk/register",
            founders: [Founder(userID: "alice", name: "Alice Adams", rank: "Head of Legal Services")], testRegister: true,
            clock: .test { clock.now })
        self.services = services
        _ = try await services.users.accept(userID: "alice", code: created.invitations[0].code, passphrase: Self.passphrases["alice"]!)
        let alice = try await services.users.unlock(userID: "alice", passphrase: Self.passphrases["alice"]!)
        let people: [(String, String, [Role], String)] = [
            ("ivan", "Ivan Inglis", [.investigator], "Senior Fraud Investigator"), ("ivy", "Ivy Irwin", [.investigator], "Investigator"),
            ("mo", "Morgan Owen", [.monitoringOfficer], "Director of Law"), ("ada", "Ada Auditor", [.auditor], "Internal Audit Manager"),
        ]
        for (id, name, roles, rank) in people {
            let invitation = try await services.users.invite(userID: id, name: name, roles: roles, rank: rank, by: alice)
            _ = try await services.users.accept(userID: id, code: invitation.code, passphrase: Self.passphrases[id]!)
        }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// The application over the register, with these limits.
    func app(sessionLimits: SessionLimits = .init(), lockout: LockoutRule = .init()) async throws -> some ApplicationProtocol {
        var logger = Logger(label: "ripa-serve-test")
        logger.logLevel = .error
        return try await buildApplication(ServerArguments(services: services, port: 0, sessionLimits: sessionLimits, lockout: lockout), logger: logger)
    }
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var time: EntryTime
    init(_ time: EntryTime) { self.time = time }
    var now: EntryTime { lock.withLock { time } }
    func set(_ text: String) throws { let new = try EntryTime(parsing: text); lock.withLock { time = new } }
}

/// A browser's view of the server through HummingbirdTesting: it keeps cookies, reads
/// each page's CSRF token, and submits forms.
struct Browser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) { self.client = client }

    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
        /// The value of the form's hidden `csrf` field.
        var csrf: String? { Page.value(of: "csrf", in: body) }
        static func value(of name: String, in body: String) -> String? {
            guard let range = body.range(of: #"name="\#(name)" value=""#) else { return nil }
            return String(body[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    private var cookieHeader: HTTPFields {
        var fields = HTTPFields()
        if !cookies.isEmpty { fields[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        return fields
    }

    private mutating func keep(_ response: TestResponse) {
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || field.value.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
    }

    mutating func get(_ path: String, headers: HTTPFields = [:]) async throws -> Page {
        var all = cookieHeader
        all.append(contentsOf: headers)
        let response = try await client.execute(uri: path, method: .get, headers: all, body: nil)
        keep(response)
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    mutating func post(_ path: String, form: [(String, String)], headers: HTTPFields = [:]) async throws -> Page {
        var all = cookieHeader
        all[.contentType] = "application/x-www-form-urlencoded"
        all.append(contentsOf: headers)
        let body = form.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        let response = try await client.execute(uri: path, method: .post, headers: all, body: ByteBuffer(string: body))
        keep(response)
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    /// Signs in through the form; the page it lands on.
    @discardableResult
    mutating func signIn(_ user: String, passphrase: String? = nil) async throws -> Page {
        let form = try await get("/sign-in")
        let token = try #require(form.csrf)
        return try await post("/sign-in", form: [("csrf", token), ("next", "/"), ("user_id", user), ("passphrase", passphrase ?? WebScene.passphrases[user]!)])
    }

    /// Submits a form with the session's CSRF token, read from `page`.
    mutating func submit(_ path: String, from page: Page, _ fields: [(String, String)]) async throws -> Page {
        let token = try #require(page.csrf, "no csrf field on the page")
        return try await post(path, form: [("csrf", token)] + fields)
    }
}

extension Browser {
    /// Posts a `multipart/form-data` form (a file input), as a browser sends it.
    mutating func postMultipart(_ path: String, fields: [(String, String)], files: [(name: String, filename: String, bytes: [UInt8])] = []) async throws -> Page {
        let boundary = "----register-test-\(UUID().uuidString)"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: application/pdf\r\n\r\n".utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body))
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }
}

extension Browser.Page {
    /// The hidden fields of the page's forms, unescaped, in order (what a browser would send back).
    var hiddenFields: [(String, String)] {
        var fields: [(String, String)] = []
        var rest = body[...]
        while let range = rest.range(of: #"<input type="hidden" name=""#) {
            let after = rest[range.upperBound...]
            let name = String(after.prefix { $0 != "\"" })
            guard let valueStart = after.range(of: #"value=""#) else { break }
            let value = String(after[valueStart.upperBound...].prefix { $0 != "\"" })
            if name != "csrf" { fields.append((name, Self.unescape(value))) }
            rest = after[valueStart.upperBound...]
        }
        return fields
    }

    /// Undoes Mustache's HTML escaping.
    static func unescape(_ text: some StringProtocol) -> String {
        String(text).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&#x27;", with: "'").replacingOccurrences(of: "&#x2F;", with: "/")
            .replacingOccurrences(of: "&#x3D;", with: "=").replacingOccurrences(of: "&#x60;", with: "`").replacingOccurrences(of: "&amp;", with: "&")
    }
}
