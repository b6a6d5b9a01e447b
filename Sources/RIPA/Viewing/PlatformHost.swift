/// Which platform, if any, a host belongs to.
///
/// A host is matched on whole labels (`facebook.com` or `….facebook.com`), never on a
/// substring, so `evil-facebook.com` and `facebook.com.evil.net` are ordinary web sites. A
/// subdomain of a platform is accepted only when it is one the platform serves profiles from
/// (`www.`, `m.`, `mobile.`, and per platform `mbasic.`, `old.`, country codes…); any other
/// subdomain (`help.instagram.com`, `l.facebook.com`) is refused rather than keyed as `web:`,
/// because a `web:` key for a platform's page would be a second key for an account the
/// platform rules could not read (RIPA.md §5).
enum PlatformHost: Equatable, Sendable {
    /// A host that serves the platform's profiles.
    case platform(Platform)
    /// A short or redirect link that does not show where it leads (`youtu.be`, `vm.tiktok.com`,
    /// `bit.ly`): the account cannot be known without following it.
    case shortLink
    /// A subdomain of a platform that does not serve profiles.
    case otherPart(Platform)
    /// Any other site.
    case web

    /// The generic prefixes RIPA.md §5 names: the same site with or without them.
    static let genericPrefixes: Set<String> = ["www", "m", "mobile"]

    private struct Rule {
        let platform: Platform
        /// Registrable domains that are the platform itself or an alias of it. The X and
        /// Instagram lists include front-ends (fxtwitter, vxtwitter, fixupx, nitter, xcancel,
        /// ddinstagram) that show an account under the same path as the platform: viewing the
        /// account through them is viewing the account. The pack's mirror list
        /// (``ProfileAddressRules/mirrors``) is consulted first and refuses nitter and xcancel
        /// under the shipped pack; they stay here so that a pack without them still counts the account.
        let domains: [String]
        /// Subdomain labels that serve the platform's profiles, besides the generic prefixes.
        let subdomains: Set<String>
        /// Subdomain labels that are short links.
        var shortLinkSubdomains: Set<String> = []
        /// Whether a two-letter (country or language) subdomain serves profiles, as
        /// `uk.linkedin.com` and `de-de.facebook.com` do.
        var localeSubdomains = false
    }

    private static let rules: [Rule] = [
        Rule(
            platform: .facebook, domains: ["facebook.com", "fb.com"],
            subdomains: ["www", "m", "mobile", "mbasic", "touch", "web", "free", "d", "x", "0", "iphone", "business"],
            localeSubdomains: true),
        Rule(
            platform: .x,
            domains: [
                "x.com", "twitter.com", "fxtwitter.com", "vxtwitter.com", "fixupx.com", "fixvx.com", "nitter.net",
                "xcancel.com",
            ],
            subdomains: ["www", "m", "mobile"]),
        Rule(
            platform: .instagram, domains: ["instagram.com", "instagr.am", "ddinstagram.com"], subdomains: ["www", "m"]),
        Rule(platform: .tiktok, domains: ["tiktok.com"], subdomains: ["www", "m"], shortLinkSubdomains: ["vm", "vt"]),
        Rule(
            platform: .linkedin, domains: ["linkedin.com"], subdomains: ["www", "m", "mobile", "touch"],
            localeSubdomains: true),
        Rule(platform: .youtube, domains: ["youtube.com", "youtube-nocookie.com"], subdomains: ["www", "m", "music"]),
        Rule(
            platform: .reddit, domains: ["reddit.com"], subdomains: ["www", "m", "old", "new", "np", "i", "amp", "sh"]),
        Rule(platform: .threads, domains: ["threads.net", "threads.com"], subdomains: ["www"]),
        Rule(platform: .bluesky, domains: ["bsky.app"], subdomains: ["www"], shortLinkSubdomains: ["go"]),
        Rule(platform: .snapchat, domains: ["snapchat.com"], subdomains: ["www", "story"], shortLinkSubdomains: ["t"]),
    ]

    /// Each rule's domains with a leading `.`, made once rather than for every address.
    private static let dottedDomains: [[String]] = rules.map { $0.domains.map { "." + $0 } }

    /// Short and redirect links that hide where they lead. An investigator could otherwise
    /// make a fresh short link to the same profile for every look and get a fresh `web:` key
    /// each time.
    static let shortLinkHosts: Set<String> = [
        "t.co", "fb.me", "fb.watch", "m.me", "youtu.be", "redd.it", "lnkd.in",
        "bit.ly", "bitly.com", "tinyurl.com", "ow.ly", "buff.ly", "goo.gl", "t.ly", "is.gd", "cutt.ly",
        "rebrand.ly", "shorturl.at", "tiny.cc", "rb.gy", "bl.ink", "pin.it", "v.gd", "s.id", "shorte.st",
        "dlvr.it", "ift.tt", "trib.al",
    ]

    /// The host with the generic prefixes removed, as long as at least two labels remain.
    static func stripped(_ host: String) -> String {
        // Canonical hosts are ASCII with no empty labels: there the generic labels are cut off
        // the front without splitting the host into an array of strings (every address the
        // gate sees comes through here, several times). Anything else takes the general path.
        let utf8 = host.utf8
        let dot = UInt8(ascii: ".")
        var dots = 0
        var previous = dot
        for byte in utf8 {
            if byte >= 0x80 || (byte == dot && previous == dot) { return strippedSplitting(host) }
            if byte == dot { dots += 1 }
            previous = byte
        }
        if previous == dot { return strippedSplitting(host) }
        var labels = dots + 1
        var start = host.startIndex
        while labels > 2, let end = host[start...].firstIndex(of: "."), genericPrefixes.contains(String(host[start..<end])) {
            start = host.index(after: end)
            labels -= 1
        }
        return start == host.startIndex ? host : String(host[start...])
    }

    /// ``stripped(_:)`` for any text: empty labels (`a..b`, a leading or trailing dot) are dropped.
    private static func strippedSplitting(_ host: String) -> String {
        var labels = host.split(separator: ".").map(String.init)
        while labels.count > 2, let first = labels.first, genericPrefixes.contains(first) {
            labels.removeFirst()
        }
        return labels.joined(separator: ".")
    }

    /// Which platform `host` (canonical, from ``WebAddress``) belongs to.
    static func match(_ host: String, isIP: Bool) -> PlatformHost {
        if isIP { return .web }
        if shortLinkHosts.contains(host) || shortLinkHosts.contains(stripped(host)) { return .shortLink }
        for (rule, dottedDomains) in zip(rules, dottedDomains) {
            for (domain, dotted) in zip(rule.domains, dottedDomains) {
                if host == domain { return .platform(rule.platform) }
                guard host.hasSuffix(dotted) else { continue }
                let labels = host.dropLast(domain.count + 1).split(separator: ".", omittingEmptySubsequences: false)
                if labels.count == 1, rule.shortLinkSubdomains.contains(String(labels[0])) { return .shortLink }
                let served = labels.allSatisfy { label in
                    genericPrefixes.contains(String(label)) || rule.subdomains.contains(String(label))
                        || (rule.localeSubdomains && isLocale(label))
                }
                return served ? .platform(rule.platform) : .otherPart(rule.platform)
            }
        }
        return .web
    }

    /// `uk`, `de`, `en-gb`, `es-la`: the country and language subdomains platforms use.
    private static func isLocale(_ label: Substring) -> Bool {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return false }
        return parts.allSatisfy { $0.count == 2 && $0.allSatisfy { $0 >= "a" && $0 <= "z" } }
    }
}
