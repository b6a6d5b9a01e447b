import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import RIPA

/// Server-rendered pages: the Mustache templates in `Templates/` (escaped by default), each
/// inside `layout.mustache`, which carries the header, the navigation a role may use, the
/// test-register banner and the integrity alert.
struct Pages: Sendable {
    let library: MustacheLibrary
    /// Read pages as last rendered (`renderCached`).
    let cache = PageCache()

    /// Loads the templates shipped with the server.
    static func load() async throws -> Pages {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates").path else {
            throw WebError.badRequest("the server's templates are missing from its resources")
        }
        return Pages(library: try await MustacheLibrary(directory: directory))
    }

    /// A page: `template` rendered with `data` plus the layout's values.
    func render(
        _ template: String, title: String, data: [String: Any] = [:], context: WebContext, state: ServerState,
        status: HTTPResponse.Status = .ok
    ) async -> Response {
        Self.html(await page(template, title: title, data: data, context: context, state: state), status: status)
    }

    /// The HTML of a page: `template` rendered with `data` plus the layout's values.
    func page(_ template: String, title: String, data: [String: Any], context: WebContext, state: ServerState) async -> String {
        var values = data
        values["page_title"] = title
        values["test_register"] = state.services.isTestRegister
        if let finding = state.integrity.finding { values["integrity_finding"] = finding }
        if let session = context.session {
            values["signed_in"] = true
            values["user_name"] = session.actor.name
            values["user_id"] = session.userID
            values["csrf"] = session.csrfToken
            values["nav"] = Navigation.links(for: session)
        }
        return library.render(Blank.replacingEmptyStrings(in: values), withTemplate: template) ?? "template \(template) is missing"
    }

    /// A read-only page kept as rendered while nothing has been committed to the register (by
    /// any process: `VerificationService.changeMark`): what it shows is a function of the
    /// stored register, the minute, the request (`key`) and the user, so the same request
    /// from the same user in the same minute over the same register gets the same HTML. Only
    /// the session's CSRF token differs; it is put in on the way out. `data` runs only when the
    /// page is not held.
    func renderCached(
        _ template: String, key: String, title: String, context: WebContext, state: ServerState,
        data: () async throws -> [String: Any]
    ) async throws -> Response {
        guard let session = context.session else { throw WebError.signInNeeded }
        let changes = try await state.services.verification.changeMark()
        let minute = Date().timeIntervalSince1970 / 60
        let finding = state.integrity.finding ?? ""
        let full = "\(template)|\(key)|\(changes)|\(Int(minute))|\(session.userID)|\(session.actor.roles.map(\.rawValue))|\(finding)"
        if let html = cache.page(full, token: session.csrfToken) { return Self.html(html) }
        var marked = context
        marked.session?.csrfToken = PageCache.csrfMark
        let html = await page(template, title: title, data: try await data(), context: marked, state: state)
        cache.hold(html, for: full)
        return Self.html(html.replacingOccurrences(of: PageCache.csrfMark, with: session.csrfToken))
    }

    /// An HTML response.
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A 303 redirect: after a POST the browser GETs the result (no resubmission on reload).
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// The links in the header: only those of pages the user's roles may open.
enum Navigation {
    static func links(for session: WebSession) -> [[String: String]] {
        var links: [[String: String]] = []
        if session.holds(.investigator) {
            links += [["href": "/applications", "text": "My applications"], ["href": "/looks/new", "text": "Look at a profile"],
                      ["href": "/looks", "text": "My looks"]]
        }
        if session.holds(.monitoringOfficer) {
            links += [["href": "/decisions", "text": "Decisions"], ["href": "/due", "text": "Reviews and expiries"]]
        }
        if session.holds(.administrator) {
            links += [["href": "/people", "text": "People"], ["href": "/policy", "text": "Policy"], ["href": "/retention", "text": "Retention"], ["href": "/register-key", "text": "Register key"]]
        }
        if session.holds(.auditor) || session.holds(.monitoringOfficer) {
            links += [["href": "/record", "text": "Central record"], ["href": "/statistics", "text": "Statistics"]]
        }
        if session.holds(.auditor) || session.holds(.administrator) {
            links += [["href": "/log", "text": "Log"], ["href": "/verify", "text": "Verify"]]
        }
        links.append(["href": "/calendar", "text": "Calendar"])
        return links
    }
}

/// An empty value as Mustache should treat it: Mustache renders a section for any string,
/// even an empty one, so `{{#field_error}}` would mark every field in error. Before
/// rendering, every empty string becomes `Blank`: it prints nothing, and a section over it
/// is skipped (an inverted one shown), without falling back to an outer value of that name.
struct Blank: MustacheCustomRenderable {
    var renderText: String { "" }
    var isNull: Bool { true }

    static func replacingEmptyStrings(in value: Any) -> Any {
        switch value {
        case let text as String: text.isEmpty ? Blank() : text
        case let members as [String: String]: members.mapValues { $0.isEmpty ? Blank() as Any : $0 }
        case let members as [String: Any]: members.mapValues(replacingEmptyStrings(in:))
        case let rows as [[String: String]]: rows.map { replacingEmptyStrings(in: $0) }
        case let rows as [[String: Any]]: rows.map { replacingEmptyStrings(in: $0) }
        case let items as [Any]: items.map(replacingEmptyStrings(in:))
        default: value
        }
    }
}
