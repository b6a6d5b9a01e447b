import Hummingbird
import NIOCore
import RIPA

/// The request context of every route: the session, if signed in, and the form fields of a
/// POST (read once, by `SessionMiddleware`, which checks the CSRF token in them).
struct WebContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The signed-in session, if any.
    var session: WebSession?
    /// The fields of a submitted form (`application/x-www-form-urlencoded`).
    var form = FormFields()
    /// The peer's address, for lockouts (the proxy's, behind a reverse proxy).
    var peer: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Forms and uploads are small: the largest field is a court order attached as a file.
    var maxUploadSize: Int { 12 * 1024 * 1024 }

    /// The session, or a redirect to the sign-in page.
    func signedIn() throws -> WebSession {
        guard let session else { throw WebError.signInNeeded }
        return session
    }

    /// The session of a user holding one of the roles; 403 for anyone else (a page a role
    /// may not use is refused, not merely unlinked).
    func requiring(_ roles: Role...) throws -> WebSession {
        let session = try signedIn()
        guard roles.contains(where: session.holds) else { throw WebError.forbidden(roles) }
        return session
    }
}
