import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Logging
import RIPA

/// Turns an error into a response: a page with the message in plain words, or under
/// `/api/` the error as data — `{"error": {"code", "reason", "values", "message"}}` with the
/// core's stable codes.
struct ErrorResponder {
    let state: ServerState

    func response(for error: any Error, request: Request, context: WebContext) async -> Response {
        let api = request.uri.path.hasPrefix("/api/")
        if case WebError.signInNeeded = error, !api {
            let next = request.method == .get ? request.uri.path : "/"
            return Pages.redirect("/sign-in?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-_"))) ?? "/"))
        }
        let (status, data) = Self.describe(error)
        if status == .internalServerError {
            state.logger.error("request failed", metadata: ["path": .string(request.uri.path), "error": .string(String(describing: type(of: error)))])
        }
        if api { return JSONResponse.make(["error": data.json], status: status) }
        return await state.pages.render(
            "error", title: status == .notFound ? "Page not found" : "There is a problem",
            data: ["status": Int(status.code), "message": data.message, "forbidden": status == .forbidden], context: context, state: state,
            status: status)
    }

    /// The status and the error as data.
    static func describe(_ error: any Error) -> (HTTPResponse.Status, ErrorDataJSON) {
        switch error {
        case let error as WebError:
            return (error.status, ErrorDataJSON(code: error.code, reason: nil, values: [:], message: error.message))
        case let error as RIPAError:
            return (error.status, ErrorDataJSON(code: error.code.rawValue, reason: error.reason?.rawValue, values: error.values, message: error.message))
        case let error as any HTTPResponseError:
            return (error.status, ErrorDataJSON(code: "http", reason: nil, values: [:], message: "\(error.status.reasonPhrase)"))
        default:
            if let data = ErrorData(error) {
                return (.internalServerError, ErrorDataJSON(code: data.code, reason: data.reason, values: data.values, message: data.message))
            }
            if let error = error as? PolicyError {
                return (.unprocessableContent, ErrorDataJSON(code: error.code.rawValue, reason: nil, values: [:], message: error.description))
            }
            if let error = error as? ProfileAddressError {
                return (.unprocessableContent, ErrorDataJSON(code: error.code.rawValue, reason: nil, values: [:], message: error.message))
            }
            if let error = error as? LedgerError {
                return (.unprocessableContent, ErrorDataJSON(code: error.code.rawValue, reason: nil, values: [:], message: error.message))
            }
            return (.internalServerError, ErrorDataJSON(code: "internal", reason: nil, values: [:], message: "The server could not complete the request"))
        }
    }
}

/// An error as data, for the JSON API.
struct ErrorDataJSON: Sendable {
    var code: String
    var reason: String?
    var values: [String: String]
    var message: String

    var json: JSONValue {
        .object([
            "code": .string(code), "reason": reason.map(JSONValue.string) ?? .null,
            "values": .object(values.mapValues(JSONValue.string)), "message": .string(message),
        ])
    }
}

/// JSON responses, in the register's canonical form.
enum JSONResponse {
    static func make(_ members: [String: JSONValue], status: HTTPResponse.Status = .ok) -> Response {
        make(.object(members), status: status)
    }

    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let text = value.canonicalString
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A `Codable` result of a service, encoded as the CLI's `--json` encodes it.
    static func encoding(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        make(try JSONValue(encoding: value), status: status)
    }
}
