import Foundation
import Synchronization

/// Rendered read pages by key (`Pages.renderCached`), a bounded number of them: when full it
/// starts again empty, which costs one render per page and never serves a stale one (the key
/// holds the register's size and the minute).
final class PageCache: Sendable {
    /// Stands for the session's CSRF token in a held page.
    static let csrfMark = "\u{1}csrf\u{1}"
    static let limit = 512
    /// Each page as the pieces between its CSRF marks.
    private let pages = Mutex<[String: [String]]>([:])

    /// The page held under `key`, with `token` where the session's CSRF token goes.
    func page(_ key: String, token: String) -> String? {
        pages.withLock { $0[key] }?.joined(separator: token)
    }

    func hold(_ html: String, for key: String) {
        let pieces = html.components(separatedBy: Self.csrfMark)
        pages.withLock { held in
            if held.count >= Self.limit { held.removeAll(keepingCapacity: true) }
            held[key] = pieces
        }
    }
}
