import Foundation

// The per-platform rules that find the account in an address (RIPA.md §5, "Same profile").
//
// One principle runs through them: on a known platform, an address whose account cannot be
// read with certainty is refused, never keyed some other way. A refusal costs the investigator
// one more step (give the profile's address); a wrong key would either let a repeat look pass
// as a first look or let one person's authorisation cover another.

extension ProfileKey {
    /// Addresses that wrap another address (archives, translation proxies, redirectors) are
    /// followed at most this many times.
    private static let maximumUnwrapping = 3

    static func identify(_ address: WebAddress, input: String, depth: Int) throws(ProfileAddressError) -> (
        Platform, String
    ) {
        if depth > maximumUnwrapping {
            throw ProfileAddressError(
                .malformed, input: input, "wraps an address inside another too many times",
                "give the address of the profile page itself")
        }
        if let inner = try unwrapped(address, input: input) {
            return try identify(WebAddress.parse(inner), input: input, depth: depth + 1)
        }
        switch PlatformHost.match(address.host, isIP: address.hostIsIP) {
        case .shortLink:
            throw ProfileAddressError(
                .noAccount, input: input, "is a short or redirect link that does not show which account it leads to",
                "open it and give the address of the profile it leads to")
        case .otherPart(let platform):
            throw ProfileAddressError(
                .noAccount, input: input,
                "is on \(address.host), a part of \(platform.displayName) that has no profiles",
                "give the address of the profile (\(platform.profileAddressExample))")
        case .platform(let platform):
            // Old Facebook and Twitter addresses carried the page in the fragment
            // (`twitter.com/#!/jack`). Only an address whose path is empty is read this way:
            // `facebook.com/profile.php?id=4#!/someone.else` shows id 4, and keying it as
            // someone.else would let a look at id 4 go uncounted.
            if platform == .facebook || platform == .x, address.segments.isEmpty, address.query.isEmpty,
                let fragment = address.fragment, fragment.hasPrefix("!/")
            {
                let inner = try WebAddress.parse("https://" + address.host + fragment.dropFirst())
                return (platform, try account(on: platform, inner, input: input))
            }
            return (platform, try account(on: platform, address, input: input))
        case .web:
            if let account = mastodonAccount(address) { return (.mastodon, account) }
            return (.web, webAccount(address))
        }
    }

    private static func account(on platform: Platform, _ address: WebAddress, input: String) throws(ProfileAddressError)
        -> String
    {
        let rules = AccountRules(address: address, input: input, platform: platform)
        switch platform {
        case .facebook: return try rules.facebook()
        case .x: return try rules.x()
        case .instagram: return try rules.instagram()
        case .tiktok: return try rules.tiktok()
        case .linkedin: return try rules.linkedin()
        case .youtube: return try rules.youtube()
        case .reddit: return try rules.reddit()
        case .threads: return try rules.threads()
        case .bluesky: return try rules.bluesky()
        case .snapchat: return try rules.snapchat()
        case .mastodon, .web: return webAccount(address)  // not reached: no host rule names them
        }
    }

    // MARK: - Wrapped addresses

    /// The address inside an archive, translation-proxy or redirect address, if `address` is
    /// one. Looking at an archived or translated copy of a profile is looking at the profile,
    /// and each wrapper would otherwise give a fresh `web:` key for the same account.
    private static func unwrapped(_ address: WebAddress, input: String) throws(ProfileAddressError) -> String? {
        guard !address.hostIsIP else { return nil }
        let host = PlatformHost.stripped(address.host)
        // https://web.archive.org/web/20240101000000/https://www.facebook.com/jo
        if host == "web.archive.org" || host == "wayback.archive.org" {
            var path = address.rawPath.drop(while: { $0 == "/" })
            guard path.hasPrefix("web/") else { return nil }
            path = path.dropFirst(4)
            guard let slash = path.firstIndex(of: "/") else { return nil }
            let inner = path[path.index(after: slash)...]
            guard inner.contains(Character(".")) else { return nil }
            return String(inner) + (address.rawQuery.map { "?" + $0 } ?? "")
        }
        // https://www-facebook-com.translate.goog/jo?_x_tr_sl=en: the proxied host is written
        // with `.` as `-` and `-` as `--`.
        if address.host.hasSuffix(".translate.goog") {
            let encoded = address.host.dropLast(".translate.goog".count)
            guard !encoded.contains(Character(".")) else { return nil }
            let proxied = encoded.replacingOccurrences(of: "--", with: "\u{0}")
                .replacingOccurrences(of: "-", with: ".")
                .replacingOccurrences(of: "\u{0}", with: "-")
            let query = address.query.filter { !$0.name.hasPrefix("_x_tr_") }
                .map { $0.canonicalName + ($0.canonicalValue.map { "=" + $0 } ?? "") }
                .joined(separator: "&")
            return "https://" + proxied + address.rawPath + (query.isEmpty ? "" : "?" + query)
        }
        // https://www.google.com/url?q=https://www.facebook.com/jo
        if isGoogle(host), address.segments == ["url"] {
            let targets = Set(address.values(of: "q") + address.values(of: "url")).filter {
                $0.contains(Character("."))
            }
            if targets.count > 1 {
                throw ProfileAddressError(
                    .malformed, input: input, "is a redirect link that names more than one address",
                    "open it and give the address of the profile it leads to")
            }
            return targets.first
        }
        return nil
    }

    private static func isGoogle(_ host: String) -> Bool {
        let labels = host.split(separator: ".")
        guard labels.first == "google", labels.count >= 2, labels.count <= 3 else { return false }
        return labels.dropFirst().allSatisfy { $0.count <= 3 && $0.allSatisfy { $0 >= "a" && $0 <= "z" } }
    }

    // MARK: - Mastodon

    /// Hosts that answer to `/@NAME` but are not Mastodon (or other fediverse) servers: their
    /// addresses stay `web:` keys.
    private static let notFediverse: Set<String> = ["medium.com", "substack.com"]

    /// Well-known Mastodon instances, on which `/users/NAME` is also recognised. On other
    /// hosts `/users/NAME` is too common a path to assume it is Mastodon; such an address
    /// becomes a `web:` key (a known gap: give the `/@NAME` form of a Mastodon profile).
    static let knownMastodonInstances: Set<String> = [
        "mastodon.social", "mastodon.online", "mstdn.social", "mas.to", "fosstodon.org", "hachyderm.io",
        "infosec.exchange", "mastodon.world", "techhub.social", "universeodon.com", "mastodon.scot",
        "mastodon.ie", "mastodonapp.uk", "mastodon.green", "toot.community", "social.vivaldi.net", "masto.ai",
        "mstdn.jp", "ioc.exchange", "journa.host", "newsie.social", "mastodon.art", "home.social",
        "mastodon.cloud", "mindly.social", "aus.social", "mastodon.nz", "pawoo.net", "c.im",
    ]

    /// `user@instance` for a Mastodon (fediverse) profile address, or `nil`.
    ///
    /// Mastodon is recognised on any host by the `/@NAME` form (also `/web/@NAME`, and
    /// `/@NAME@OTHER` for an account on another instance seen through this one), and by
    /// `/users/NAME` on well-known instances. Names and domains are lower-cased, as Mastodon
    /// matches them without regard to case.
    private static func mastodonAccount(_ address: WebAddress) -> String? {
        guard !address.hostIsIP, address.port == nil else { return nil }
        let host = PlatformHost.stripped(address.host)
        guard !notFediverse.contains(host) else { return nil }
        var segments = address.segments[...]
        if segments.first == "web", segments.dropFirst().first?.hasPrefix("@") == true {
            segments = segments.dropFirst()
        }
        if let first = segments.first, first.hasPrefix("@") {
            let parts = first.dropFirst().split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 1 || parts.count == 2, let user = mastodonUser(parts[0]) else { return nil }
            if parts.count == 1 { return "\(user)@\(host)" }
            guard let other = try? WebAddress.canonicalHost(parts[1], input: "", hadScheme: true), !other.isIP else {
                return nil
            }
            return "\(user)@\(PlatformHost.stripped(other.name))"
        }
        if knownMastodonInstances.contains(host), address.segments.count >= 2, address.segments[0] == "users",
            let user = mastodonUser(Substring(address.segments[1]))
        {
            return "\(user)@\(host)"
        }
        return nil
    }

    /// A Mastodon username (`[a-z0-9_]+([.-]+[a-z0-9_]+)*`, case-insensitive) in lower case.
    private static func mastodonUser(_ name: Substring) -> String? {
        let lower = name.lowercased()
        let isWord = { (c: Unicode.Scalar) in (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "_" }
        let scalars = lower.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, isWord(first), isWord(last), scalars.count <= 64,
            scalars.allSatisfy({ isWord($0) || $0 == "." || $0 == "-" })
        else { return nil }
        return lower
    }

    // MARK: - Web

    /// Query parameters that only say where a visitor came from. Dropped from `web:` keys so
    /// that a shared link and a typed link give the same key. Parameters that are tracking on
    /// the big platforms but may identify content on other sites (`s`, `t`, `ref`, `lang`,
    /// `hl`, `si`, `feature`) are kept for unknown sites: `viewtopic.php?t=12` is a page.
    private static let trackingParameters: Set<String> = [
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid", "igsh",
        "yclid", "twclid", "ttclid", "li_fat_id", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
        "oly_enc_id", "vero_id", "wickedid", "ref_src", "ref_url", "__cft__", "__tn__", "fb_action_ids",
        "fb_action_types", "fb_source", "fb_ref", "share_id",
    ]

    private static func isTracking(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasPrefix("utm_") || trackingParameters.contains(lower)
    }

    /// `host[:port][/path][?query]` for a site without platform rules.
    ///
    /// The path keeps its case (most servers treat it as case-sensitive) and is re-encoded in
    /// one canonical way; the fragment is dropped (RIPA.md §5); the query is kept without
    /// tracking parameters and sorted by name, because a page such as `profile.php?id=2` is a
    /// different person from `profile.php?id=1` and dropping the query would merge them.
    static func webAccount(_ address: WebAddress) -> String {
        var out = address.hostIsIP ? address.host : PlatformHost.stripped(address.host)
        if let port = address.port { out += ":\(port)" }
        if !address.segments.isEmpty {
            out +=
                "/"
                + address.segments.map { WebAddress.percentEncoded($0, keeping: WebAddress.isPathLiteral) }.joined(
                    separator: "/")
        }
        let items = address.query.enumerated()
            .filter { !isTracking($0.element.name) && !($0.element.name.isEmpty && ($0.element.value ?? "").isEmpty) }
            .sorted { ($0.element.canonicalName, $0.offset) < ($1.element.canonicalName, $1.offset) }
            .map { item in
                item.element.canonicalName + (item.element.canonicalValue.flatMap { $0.isEmpty ? nil : "=" + $0 } ?? "")
            }
        if !items.isEmpty { out += "?" + items.joined(separator: "&") }
        return out
    }

    // MARK: - Canonical addresses

    static func canonicalAddress(platform: Platform, account: String) -> String {
        let path = { (s: String) in WebAddress.percentEncoded(s, keeping: WebAddress.isPathLiteral) }
        let query = { (s: String) in WebAddress.percentEncoded(s, keeping: WebAddress.isUnreserved) }
        switch platform {
        case .facebook:
            if account.hasPrefix("id:") {
                return "https://www.facebook.com/profile.php?id=" + query(String(account.dropFirst(3)))
            }
            if account.hasPrefix("group:") {
                return "https://www.facebook.com/groups/" + path(String(account.dropFirst(6)))
            }
            return "https://www.facebook.com/" + path(account)
        case .x:
            if account.hasPrefix("id:") { return "https://x.com/i/user/" + path(String(account.dropFirst(3))) }
            return "https://x.com/" + path(account)
        case .instagram: return "https://www.instagram.com/" + path(account)
        case .tiktok: return "https://www.tiktok.com/@" + path(account)
        case .linkedin:
            let parts = account.split(separator: "/", maxSplits: 1).map(String.init)
            return "https://www.linkedin.com/" + parts.map(path).joined(separator: "/")
        case .youtube:
            for prefix in ["channel", "c", "user"] where account.hasPrefix(prefix + ":") {
                return "https://www.youtube.com/\(prefix)/" + path(String(account.dropFirst(prefix.count + 1)))
            }
            return "https://www.youtube.com/" + path(account)
        case .reddit:
            if account.hasPrefix("r/") { return "https://www.reddit.com/r/" + path(String(account.dropFirst(2))) }
            return "https://www.reddit.com/user/" + path(account)
        case .threads: return "https://www.threads.com/@" + path(account)
        case .bluesky: return "https://bsky.app/profile/" + path(account)
        case .snapchat: return "https://www.snapchat.com/add/" + path(account)
        case .mastodon:
            guard let at = account.lastIndex(of: "@") else { return "https://" + account }
            return "https://\(account[account.index(after: at)...])/@\(path(String(account[..<at])))"
        case .web: return "https://" + account
        }
    }
}
