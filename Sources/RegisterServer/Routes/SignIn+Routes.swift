import Foundation
import Hummingbird
import Logging
import RIPA

/// Signing in and out, and accepting an invitation from a desk.
struct SignIn {
    let state: ServerState

    func addRoutes(to router: Router<WebContext>) {
        router.get("/sign-in") { request, context in await form(request: request, context: context) }
        router.post("/sign-in") { request, context in try await signIn(request: request, context: context) }
        router.post("/sign-out") { _, context in await signOut(context: context) }
        router.get("/invitation") { request, context in await invitationForm(request: request, context: context) }
        router.post("/invitation") { request, context in try await accept(request: request, context: context) }
    }

    /// A path on this server to go to after sign-in; anything else (another host, `//x`) is `/`.
    static func localPath(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }

    private func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: state.secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// The form, with a fresh pre-session token in a cookie and a hidden field.
    private func form(
        request: Request, context: WebContext, errors: [FieldError] = [], userID: String = "", status: HTTPResponse.Status = .ok
    ) async -> Response {
        let token = Token.random()
        var response = await state.pages.render(
            "sign-in", title: errors.isEmpty ? "Sign in" : "Error: Sign in",
            data: [
                "signin_token": token, "next": Self.localPath(request.uri.queryParameters["next"].map(String.init) ?? context.form["next"]),
                "user_id": userID, "errors": errors.map(\.values), "has_errors": !errors.isEmpty,
                "user_id_error": errors.first { $0.field == "user_id" }?.message ?? "",
                "passphrase_error": errors.first { $0.field == "passphrase" }?.message ?? "",
            ],
            context: context, state: state, status: status)
        response.setCookie(cookie(SessionMiddleware.signInCookie, token, maxAge: 3600))
        return response
    }

    private func signIn(request: Request, context: WebContext) async throws -> Response {
        let userID = context.form.text("user_id") ?? ""
        let passphrase = context.form["passphrase"] ?? ""
        var errors: [FieldError] = []
        if userID.isEmpty { errors.append(FieldError(field: "user_id", message: "Enter your user ID")) }
        if passphrase.isEmpty { errors.append(FieldError(field: "passphrase", message: "Enter your passphrase")) }
        if !errors.isEmpty { return await form(request: request, context: context, errors: errors, userID: userID, status: .unprocessableContent) }
        let actor: Actor
        do {
            actor = try await state.unlock(userID: userID, passphrase: passphrase, peer: context.peer)
        } catch WebError.lockedOut {
            return await form(
                request: request, context: context, errors: [FieldError(field: "user_id", message: WebError.lockedOut.message)],
                userID: userID, status: .tooManyRequests)
        } catch is RIPAError {
            // One message for an unknown id and a wrong passphrase: the form does not tell
            // an outsider which ids exist.
            return await form(
                request: request, context: context,
                errors: [FieldError(field: "passphrase", message: "The user ID or passphrase is not right")], userID: userID,
                status: .unauthorized)
        }
        if let old = context.session { state.sessions.end(old.id) }
        let session = await state.sessions.start(actor)
        state.logger.info("signed in", metadata: ["user_id": .string(userID)])
        var response = Pages.redirect(Self.localPath(context.form["next"]))
        response.setCookie(cookie(SessionMiddleware.cookie, session.id))
        response.setCookie(cookie(SessionMiddleware.signInCookie, "", maxAge: 0))
        return response
    }

    private func signOut(context: WebContext) async -> Response {
        if let session = context.session {
            state.sessions.end(session.id)
            state.logger.info("signed out", metadata: ["user_id": .string(session.userID)])
        }
        var response = Pages.redirect("/sign-in")
        response.setCookie(cookie(SessionMiddleware.cookie, "", maxAge: 0))
        return response
    }

    private func invitationForm(
        request: Request, context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok, accepted: String? = nil
    ) async -> Response {
        let token = Token.random()
        var values: [String: Any] = [
            "signin_token": token, "user_id": context.form["user_id"] ?? request.uri.queryParameters["user"].map(String.init) ?? "",
            "errors": errors.map(\.values), "has_errors": !errors.isEmpty,
        ]
        for error in errors { values[error.field + "_error"] = error.message }
        if let accepted { values["accepted"] = accepted }
        var response = await state.pages.render(
            "invitation", title: (errors.isEmpty ? "" : "Error: ") + "Accept your invitation", data: values, context: context,
            state: state, status: status)
        response.setCookie(cookie(SessionMiddleware.signInCookie, token, maxAge: 3600))
        return response
    }

    /// The person sets their own passphrase; their key is made now, so no administrator
    /// ever knows it.
    private func accept(request: Request, context: WebContext) async throws -> Response {
        let form = context.form
        var errors: [FieldError] = []
        let userID = form.text("user_id") ?? ""
        let code = form.text("code") ?? ""
        let passphrase = form["passphrase"] ?? ""
        if userID.isEmpty { errors.append(FieldError(field: "user_id", message: "Enter your user ID")) }
        if code.isEmpty { errors.append(FieldError(field: "code", message: "Enter the one-time code you were given")) }
        if passphrase.isEmpty { errors.append(FieldError(field: "passphrase", message: "Choose a passphrase")) }
        else if passphrase != form["passphrase_again"] { errors.append(FieldError(field: "passphrase_again", message: "The two passphrases are not the same")) }
        if errors.isEmpty {
            do {
                if let finding = state.integrity.finding { throw WebError.writesRefused(finding) }
                _ = try await state.services.users.accept(userID: userID, code: code, passphrase: passphrase)
                await state.integrity.check()
                return await invitationForm(request: request, context: context, accepted: userID)
            } catch let error as RIPAError {
                errors.append(FieldError(error, defaultField: error.reason?.rawValue.hasPrefix("passphrase") == true ? "passphrase" : "code"))
            }
        }
        return await invitationForm(request: request, context: context, errors: errors, status: .unprocessableContent)
    }
}

/// One entry of a GOV.UK error summary: the message, and the field it links to.
struct FieldError: Sendable {
    var field: String
    var message: String

    init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// The domain's error, linked to the field it names (`values["field"]`), else `defaultField`.
    init(_ error: RIPAError, defaultField: String) {
        field = error.values["field"].map { $0.replacingOccurrences(of: ".", with: "_") } ?? defaultField
        message = error.message.prefix(1).uppercased() + error.message.dropFirst()
    }

    var values: [String: String] { ["field": field, "message": message] }
}
