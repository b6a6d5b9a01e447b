import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RIPA

/// Finds the request's session from its cookie, reads a submitted form, refuses a POST
/// whose CSRF token is not its session's, and turns every error into a page (or, under
/// `/api/`, JSON): the one place an error becomes a response.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebContext
    static let cookie = "ripa_session"
    /// The pre-session token of the sign-in form (double-submit: cookie and field must match).
    static let signInCookie = "ripa_signin"

    let state: ServerState

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        let started = ContinuousClock.now
        if state.behindProxy, let client = request.headers[HTTPField.Name("X-Real-IP")!], !client.isEmpty { context.peer = client }
        if let id = request.cookies[Self.cookie]?.value { context.session = state.sessions.session(id) }
        let response: Response
        do {
            if request.method == .post || request.method == .put || request.method == .delete {
                try await readForm(&request, &context)
                try checkCSRF(request, context)
            }
            response = try await next(request, context)
        } catch {
            response = await ErrorResponder(state: state).response(for: error, request: request, context: context)
        }
        // Method, path (never the query, which can hold a profile address), status and who:
        // no passphrase and no subject's data reaches the log.
        state.logger.info("request", metadata: [
            "method": .string(request.method.rawValue), "path": .string(request.uri.path),
            "status": .stringConvertible(response.status.code), "user_id": .string(context.session?.userID ?? "-"),
            "ms": .stringConvertible(Int((ContinuousClock.now - started) / .milliseconds(1))),
        ])
        return response
    }

    /// Reads an urlencoded or multipart body into `context.form`.
    private func readForm(_ request: inout Request, _ context: inout WebContext) async throws {
        let type = request.headers[.contentType] ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") {
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            context.form = FormFields(encoded: String(buffer: body))
        } else if type.hasPrefix("multipart/form-data") {
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            context.form = try MultipartForm.fields(of: body, contentType: type)
        }
    }

    /// Every state-changing request carries the token of its session: the form's `csrf`
    /// field, or the `X-CSRF-Token` header for the JSON API. Sign-in, before any session,
    /// carries the sign-in cookie's token instead.
    private func checkCSRF(_ request: Request, _ context: WebContext) throws {
        let given = context.form["csrf"] ?? request.headers[HTTPField.Name("X-CSRF-Token")!]
        if let session = context.session {
            guard let given, Token.equal(given, session.csrfToken) else { throw WebError.csrf }
            return
        }
        let path = request.uri.path
        if path == "/sign-in" || path == "/invitation" {
            guard let given, let cookie = request.cookies[Self.signInCookie]?.value, Token.equal(given, cookie) else { throw WebError.csrf }
            return
        }
        // JSON sign-in: a cross-site page cannot send `application/json` without a CORS
        // preflight, which this server never answers.
        if path == "/api/v1/session", request.headers[.contentType]?.hasPrefix("application/json") == true { return }
        throw WebError.signInNeeded
    }
}
