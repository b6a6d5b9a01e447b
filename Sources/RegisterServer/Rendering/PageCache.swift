import Synchronization

/// Rendered read pages by key (`Pages.renderCached`), a bounded number of them: when full it
/// starts again empty, which costs one render per page and never serves a stale one (the key
/// holds the register's size and the minute).
final class PageCache: Sendable {
    /// Stands for the session's CSRF token in a held page.
    static let csrfMark = "\u{1}csrf\u{1}"
    static let limit = 512
    private let pages = Mutex<[String: String]>([:])

    func page(_ key: String) -> String? { pages.withLock { $0[key] } }

    func hold(_ html: String, for key: String) {
        pages.withLock { held in
            if held.count >= Self.limit { held.removeAll(keepingCapacity: true) }
            held[key] = html
        }
    }
}
