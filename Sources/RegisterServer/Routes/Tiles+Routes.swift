import HTTPTypes
import Hummingbird
import RIPA

/// The log under `/tlog/` as C2SP tlog-tiles, read-only: `checkpoint`, the hash tiles
/// `tile/<L>/<N>[.p/<W>]` to anyone (hashes say nothing about the entries), and the entry
/// bundles `tile/entries/<N>[.p/<W>]` only to a signed-in auditor (entries name people and
/// cases). Standard tile clients (Go's `golang.org/x/mod/sumdb/tlog`, a witness) follow the
/// register with these and the register's verifier key.
struct Tiles {
    let state: ServerState

    /// The prefix below which the layout sits.
    static let prefix = "/tlog/"

    /// Tiles never change once served, partial ones included (a partial tile of width `W` is
    /// the first `W` hashes of the full one): cache them for a year. Entry bundles hold
    /// personal data: only the auditor's own browser may keep them, never a shared cache.
    static let hashTileCaching = "public, max-age=31536000, immutable"
    static let entryBundleCaching = "private, max-age=31536000, immutable"
    /// The checkpoint moves with every append: the spec asks for no caching beyond a few seconds.
    static let checkpointCaching = "no-cache"

    func addRoutes(to router: Router<WebContext>) {
        let tlog = router.group("tlog")
        tlog.get("checkpoint") { _, _ in
            let text = try await state.services.verification.latestCheckpoint()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: Self.checkpointCaching],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        tlog.get("tile/**") { request, context in try await tile(request, context) }
    }

    /// Tile clients are programs: refusals are short plain text with the status the spec's
    /// clients know (401, 403, 404), never a redirect to the sign-in page.
    private func tile(_ request: Request, _ context: WebContext) async throws -> Response {
        guard request.uri.path.hasPrefix(Self.prefix), let path = TilePath(parsing: request.uri.path.dropFirst(Self.prefix.count)) else {
            return Self.plain(.notFound, "not a tile of the C2SP tlog-tiles layout")
        }
        let bytes: [UInt8]?
        let caching: String
        switch path.kind {
        case .hashes:
            bytes = try await state.services.verification.hashTile(path)
            caching = Self.hashTileCaching
        case .entries:
            guard let session = context.session else {
                return Self.plain(.unauthorized, "entry bundles hold personal data: sign in as an auditor (POST /api/v1/session) and send the session cookie")
            }
            guard session.holds(.auditor) else {
                return Self.plain(.forbidden, "entry bundles are for the auditor only")
            }
            bytes = try await state.services.verification.entryBundle(path, by: session.actor)
            caching = Self.entryBundleCaching
        }
        guard let bytes else { return Self.plain(.notFound, "\(path) is not in the tree of the latest checkpoint") }
        return Response(
            status: .ok, headers: [.contentType: "application/octet-stream", .cacheControl: caching],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}
