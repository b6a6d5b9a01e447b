import Foundation
import Hummingbird

/// The server's own stylesheet, read once at start and served from memory (no CDN, nothing
/// fetched at run time; the event loop never waits on the disk).
enum Assets {
    static func addRoutes(to router: Router<WebContext>) {
        let css = Bundle.module.resourceURL.flatMap { try? String(contentsOf: $0.appendingPathComponent("Assets/register.css"), encoding: .utf8) } ?? ""
        router.get("/assets/register.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: css)))
        }
    }
}
