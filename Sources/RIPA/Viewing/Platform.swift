/// The place a profile lives: one of the social-media platforms the register knows how to
/// read addresses for, or `web` for any other site.
///
/// RIPA.md §5 ("Same profile") asks that the same account be recognised however its address
/// is written; the rules for that differ per platform (case, dots, aliases, reserved paths),
/// so the platform is part of every ``ProfileKey``. The raw value is the prefix of the key's
/// stored form (`facebook:…`, `x:…`, `web:…`) and must never change: stored keys and
/// authorisations' lists of online identities depend on it.
public enum Platform: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Facebook (facebook.com, fb.com).
    case facebook
    /// X, formerly Twitter (x.com, twitter.com).
    case x
    /// Instagram (instagram.com, instagr.am).
    case instagram
    /// TikTok (tiktok.com).
    case tiktok
    /// LinkedIn (linkedin.com and its country subdomains).
    case linkedin
    /// YouTube (youtube.com).
    case youtube
    /// Reddit (reddit.com, old.reddit.com…).
    case reddit
    /// Threads (threads.net, threads.com).
    case threads
    /// Bluesky (bsky.app).
    case bluesky
    /// Mastodon and other fediverse servers, recognised by the `/@NAME` form on any host.
    case mastodon
    /// Snapchat (snapchat.com).
    case snapchat
    /// Any site the register has no platform rules for: the key is host plus path (RIPA.md §5,
    /// "Unknown sites fall back to host plus path").
    case web

    /// The platform's name as people write it, for messages.
    public var displayName: String {
        switch self {
        case .facebook: "Facebook"
        case .x: "X"
        case .instagram: "Instagram"
        case .tiktok: "TikTok"
        case .linkedin: "LinkedIn"
        case .youtube: "YouTube"
        case .reddit: "Reddit"
        case .threads: "Threads"
        case .bluesky: "Bluesky"
        case .mastodon: "Mastodon"
        case .snapchat: "Snapchat"
        case .web: "the web"
        }
    }

    /// The shape of a profile address on this platform, quoted in messages that tell an
    /// investigator what to give instead.
    public var profileAddressExample: String {
        switch self {
        case .facebook: "https://www.facebook.com/NAME or https://www.facebook.com/profile.php?id=NUMBER"
        case .x: "https://x.com/NAME"
        case .instagram: "https://www.instagram.com/NAME"
        case .tiktok: "https://www.tiktok.com/@NAME"
        case .linkedin: "https://www.linkedin.com/in/NAME"
        case .youtube: "https://www.youtube.com/@HANDLE or https://www.youtube.com/channel/UC…"
        case .reddit: "https://www.reddit.com/user/NAME"
        case .threads: "https://www.threads.com/@NAME"
        case .bluesky: "https://bsky.app/profile/HANDLE"
        case .mastodon: "https://INSTANCE/@NAME"
        case .snapchat: "https://www.snapchat.com/add/NAME"
        case .web: "https://SITE/PATH"
        }
    }

    /// Orders by the stored prefix, so that sorted keys group by platform.
    public static func < (lhs: Platform, rhs: Platform) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
