import HTTPTypes
import RIPA

/// The server's own refusals; the domain's come as `RIPAError` and are mapped in
/// `ErrorMiddleware`, the one place an error becomes a response.
enum WebError: Error, Sendable {
    /// No session (or it expired): a page redirects to sign-in, the API answers 401.
    case signInNeeded
    /// The user's roles do not include any of these.
    case forbidden([Role])
    /// No such page or record.
    case notFound
    /// The form's CSRF token was missing or not this session's.
    case csrf
    /// The request itself was malformed (a field the page never sends).
    case badRequest(String)
    /// Verification failed: the server refuses every write until an administrator acts.
    case writesRefused(String)
    /// Too many failed sign-ins.
    case lockedOut

    var status: HTTPResponse.Status {
        switch self {
        case .signInNeeded: .unauthorized
        case .forbidden, .csrf: .forbidden
        case .notFound: .notFound
        case .badRequest: .badRequest
        case .writesRefused: .serviceUnavailable
        case .lockedOut: .tooManyRequests
        }
    }

    /// The stable code, as the API gives it.
    var code: String {
        switch self {
        case .signInNeeded: "signInNeeded"
        case .forbidden: "forbidden"
        case .notFound: "notFound"
        case .csrf: "csrf"
        case .badRequest: "badRequest"
        case .writesRefused: "writesRefused"
        case .lockedOut: "lockedOut"
        }
    }

    var message: String {
        switch self {
        case .signInNeeded: "Sign in to use the register"
        case .forbidden(let roles): "This page is for the \(roles.map(\.title).joined(separator: " or ")) only"
        case .notFound: "Page not found"
        case .csrf: "The form had expired or did not come from this register; go back, reload the page and try again"
        case .badRequest(let message): message
        case .writesRefused(let finding): "The register failed verification, so nothing can be written until an administrator has dealt with it: \(finding)"
        case .lockedOut: "Too many failed sign-ins: this account or address is locked for a while; try again later or ask an administrator"
        }
    }
}

extension RIPAError {
    /// The HTTP status for each of the domain's codes.
    var status: HTTPResponse.Status {
        switch code {
        case .badInput, .policy: .unprocessableContent
        case .unknownUser, .wrongPassphrase: .forbidden
        case .notPermitted, .separationOfDuties: .forbidden
        case .keyFile: .internalServerError
        case .unknownURN: .notFound
        case .wrongState: .conflict
        case .refused: .unprocessableContent
        }
    }
}

extension Role {
    /// The role as a page names it.
    var title: String {
        switch self {
        case .investigator: "investigator"
        case .monitoringOfficer: "monitoring officer"
        case .administrator: "administrator"
        case .auditor: "auditor"
        }
    }
}
