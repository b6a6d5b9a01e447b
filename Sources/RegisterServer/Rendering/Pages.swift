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
        var values = data
        values["page_title"] = title
        values["test_register"] = state.services.isTestRegister
        if let finding = await state.integrity.finding { values["integrity_finding"] = finding }
        if let session = context.session {
            values["signed_in"] = true
            values["user_name"] = session.actor.name
            values["user_id"] = session.userID
            values["csrf"] = session.csrfToken
            values["nav"] = Navigation.links(for: session)
        }
        let html = library.render(Blank.replacingEmptyStrings(in: values), withTemplate: template) ?? "template \(template) is missing"
        return Self.html(html, status: status)
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
            links += [["href": "/people", "text": "People"], ["href": "/policy", "text": "Policy"], ["href": "/register-key", "text": "Register key"]]
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
