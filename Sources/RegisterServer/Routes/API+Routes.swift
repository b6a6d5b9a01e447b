import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Logging
import RIPA

/// The JSON API under `/api/v1` (described by `Schemas/openapi.yaml`): the same queries as
/// the pages and the gate, so a council's case system or a browser extension can ask before a
/// look. Same sessions and CSRF rules as the pages: sign in with `POST /api/v1/session`, send
/// the cookie back and the returned `csrf_token` as `X-CSRF-Token` on every POST or DELETE.
/// Errors are `{"error": {"code", "reason", "values", "message"}}` with the core's codes.
struct API {
    let state: ServerState

    /// `POST /api/v1/session`.
    struct SignInRequest: Decodable {
        var userID: String
        var passphrase: String
        enum CodingKeys: String, CodingKey { case userID = "user_id", passphrase }
    }

    /// `POST /api/v1/looks`.
    struct LookRequest: Decodable {
        var address: String
        var caseRef: String
        var purpose: String
        var authorisation: String?
        enum CodingKeys: String, CodingKey { case address, caseRef = "case_ref", purpose, authorisation }
    }

    func addRoutes(to router: Router<WebContext>) {
        let api = router.group("api/v1")
        api.post("session") { request, context in try await signIn(request, context) }
        api.get("session") { _, context in try whoAmI(context) }
        api.delete("session") { _, context in await signOut(context) }
        api.get("gate") { request, context in
            let session = try context.requiring(.investigator)
            let address = try Self.required(request, "address")
            let urn = request.uri.queryParameters["authorisation"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            return try JSONResponse.encoding(try await state.services.gate.decide(address: address, authorisation: urn, viewer: session.userID))
        }
        api.post("looks") { request, context in
            let session = try context.requiring(.investigator)
            let look = try await Self.decode(LookRequest.self, request, context)
            let result = try await state.write {
                try await state.services.gate.look(
                    at: look.address, caseRef: look.caseRef, purpose: look.purpose, authorisation: look.authorisation, by: session.actor)
            }
            return try JSONResponse.encoding(result, status: .created)
        }
        api.get("cases") { _, context in
            _ = try context.requiring(.investigator, .monitoringOfficer, .auditor)
            return try JSONResponse.encoding(try await state.services.casework.statuses())
        }
        api.get("cases/:urn") { _, context in
            _ = try context.requiring(.investigator, .monitoringOfficer, .auditor)
            let urn = try context.parameters.require("urn")
            return try JSONResponse.encoding(try await state.services.casework.status(of: urn))
        }
        api.get("due") { request, context in
            _ = try context.requiring(.investigator, .monitoringOfficer, .auditor)
            let text = request.uri.queryParameters["within"].map(String.init) ?? "14"
            guard let within = Int(text) else {
                throw RIPAError(.badInput, "within '\(text)' is not a whole number of days", reason: .inputOutOfRange, values: ["field": "within", "value": text])
            }
            return try JSONResponse.encoding(try await state.services.casework.due(within: within))
        }
        api.get("record") { request, context in
            _ = try context.requiring(.auditor, .monitoringOfficer)
            let from = try Self.date(request, "from"), to = try Self.date(request, "to")
            try RecordService.requireRange(from: from, to: to)
            return try JSONResponse.encoding(try await state.services.records.central(from: from, to: to))
        }
        api.get("checkpoint") { _, _ in
            let text = try await state.services.verification.latestCheckpoint()
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    private func signIn(_ request: Request, _ context: WebContext) async throws -> Response {
        let body = try await Self.decode(SignInRequest.self, request, context)
        let actor: Actor
        do {
            actor = try await state.unlock(userID: body.userID, passphrase: body.passphrase, peer: context.peer)
        } catch is RIPAError {
            // One answer for an unknown id and a wrong passphrase.
            return JSONResponse.make(
                ["error": ErrorDataJSON(code: "signInFailed", reason: nil, values: [:], message: "The user ID or passphrase is not right").json],
                status: .unauthorized)
        }
        if let old = context.session { state.sessions.end(old.id) }
        let session = await state.sessions.start(actor)
        var response = JSONResponse.make(Self.describe(session))
        response.setCookie(
            Cookie(name: SessionMiddleware.cookie, value: session.id, path: "/", secure: state.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    private func whoAmI(_ context: WebContext) throws -> Response {
        JSONResponse.make(Self.describe(try context.signedIn()))
    }

    private func signOut(_ context: WebContext) async -> Response {
        if let session = context.session { state.sessions.end(session.id) }
        var response = Response(status: .noContent)
        response.setCookie(Cookie(name: SessionMiddleware.cookie, value: "", maxAge: 0, path: "/", secure: state.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    private static func describe(_ session: WebSession) -> [String: JSONValue] {
        [
            "user_id": .string(session.userID), "name": .string(session.actor.name),
            "roles": .array(session.actor.roles.map { .string($0.rawValue) }), "csrf_token": .string(session.csrfToken),
        ]
    }

    /// A JSON body, or a `badInput` error naming what was wrong.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: WebContext) async throws -> T {
        guard request.headers[.contentType]?.hasPrefix("application/json") == true else {
            throw RIPAError(.badInput, "send the body as application/json")
        }
        let buffer = try await request.body.collect(upTo: 1 << 20)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.keyNotFound(key, _) {
            throw RIPAError(.badInput, "the body has no '\(key.stringValue)'", reason: .inputMissing, values: ["field": key.stringValue])
        } catch let DecodingError.typeMismatch(_, path), let DecodingError.valueNotFound(_, path) {
            let field = path.codingPath.map(\.stringValue).joined(separator: ".")
            throw RIPAError(.badInput, "'\(field)' has the wrong type", values: ["field": field])
        } catch {
            throw RIPAError(.badInput, "the body is not a JSON object of the documented form")
        }
    }

    static func required(_ request: Request, _ name: String) throws -> String {
        guard let value = request.uri.queryParameters[Substring(name)].map(String.init), !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RIPAError(.badInput, "give the \(name)", reason: .inputMissing, values: ["field": name])
        }
        return value
    }

    static func date(_ request: Request, _ name: String) throws -> CivilDate? {
        guard let text = request.uri.queryParameters[Substring(name)].map(String.init), !text.isEmpty else { return nil }
        guard let date = CivilDate(parsingInput: text) else {
            throw RIPAError(.badInput, "\(name) '\(text)' is not a date (YYYY-MM-DD)", values: ["field": name, "value": text])
        }
        return date
    }
}
