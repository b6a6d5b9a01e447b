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

    static func identify(_ address: WebAddress, input: String, depth: Int, rules: ProfileAddressRules) throws(ProfileAddressError) -> (
        Platform, String
    ) {
        if depth > maximumUnwrapping {
            throw ProfileAddressError(
                .malformed, input: input, "wraps an address inside another too many times",
                "give the address of the profile page itself")
        }
        if let inner = try unwrapped(address, input: input, rules: rules) {
            return try identify(WebAddress.parse(inner), input: input, depth: depth + 1, rules: rules)
        }
        if !address.hostIsIP, let mirror = rules.mirror(on: address.host) {
            throw ProfileAddressError(
                .mirror, input: input,
                "is on \(address.host), a third-party front-end that shows \(mirror.platform.displayName) accounts under its own addresses",
                "view the profile on \(mirror.platform.displayName) itself and give that address (\(mirror.platform.profileAddressExample))")
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
            return (.web, try webAccount(address, input: input, rules: rules))
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
        case .mastodon, .web: return try webAccount(address, input: input, rules: .defaults)  // not reached: no host rule names them
        }
    }

    // MARK: - Wrapped addresses

    /// The address inside an archive, cache, translation-proxy or redirect address, if
    /// `address` is one the pack lists (``ProfileAddressRules/copies``). Looking at an archived
    /// or translated copy of a profile is looking at the profile, and each wrapper would
    /// otherwise give a fresh key for the same account.
    ///
    /// - Throws: `noAccount` for a copy that does not show the address it holds (an archive's
    ///   short snapshot id), `malformed` for a redirect naming two addresses.
    private static func unwrapped(_ address: WebAddress, input: String, rules: ProfileAddressRules) throws(ProfileAddressError) -> String? {
        guard !address.hostIsIP else { return nil }
        let copies = rules.copies(on: address.host)
        guard !copies.isEmpty else { return nil }
        let path = "/" + address.segments.joined(separator: "/").lowercased()
        for copy in copies {
            switch copy.addressIn {
            case .path:
                if let inner = embeddedInPath(address) { return inner }
                throw ProfileAddressError(
                    .noAccount, input: input,
                    "is a copy on \(address.host) whose address does not show which page it holds",
                    "give the address of the profile itself, as the copy shows it (https://…)")
            case .query:
                if let wanted = copy.path, wanted.lowercased() != path { continue }
                var targets: [String] = []
                for name in copy.parameters ?? [] {
                    for value in address.values(of: name) {
                        let target = withoutCachePrefix(value)
                        if target.contains(Character(".")), !targets.contains(target) { targets.append(target) }
                    }
                }
                if targets.count > 1 {
                    throw ProfileAddressError(
                        .malformed, input: input, "is a redirect link that names more than one address",
                        "open it and give the address of the profile it leads to")
                }
                if let target = targets.first { return target }
            case .host:
                // www-facebook-com.translate.goog/jo?_x_tr_sl=en: the proxied host is written
                // with `.` as `-` and `-` as `--`.
                let suffix = "." + copy.host
                guard address.host.hasSuffix(suffix) else { continue }
                let encoded = address.host.dropLast(suffix.count)
                guard !encoded.contains(Character(".")) else { continue }
                let proxied = encoded.replacingOccurrences(of: "--", with: "\u{0}")
                    .replacingOccurrences(of: "-", with: ".")
                    .replacingOccurrences(of: "\u{0}", with: "-")
                let query = address.query.filter { !$0.name.hasPrefix("_x_tr_") }
                    .map { $0.canonicalName + ($0.canonicalValue.map { "=" + $0 } ?? "") }
                    .joined(separator: "&")
                return "https://" + proxied + address.rawPath + (query.isEmpty ? "" : "?" + query)
            }
        }
        return nil
    }

    /// The address an archive carries in its path, after its own segments (`web/20240101000000/`,
    /// `newest/`, `2024.01.01-120000/`): from the first segment that is a scheme (`https:`,
    /// also percent-encoded), else from the first that is a host name. Archives' own segments
    /// (timestamps, `newest`) are never host names, because a host name here ends in a label of
    /// letters.
    private static func embeddedInPath(_ address: WebAddress) -> String? {
        let raw = address.rawPath
        let parts = raw.split(separator: "/", omittingEmptySubsequences: true)
        let query = address.rawQuery.map { "?" + $0 } ?? ""
        for part in parts {
            let lower = part.lowercased()
            let rest = raw[part.startIndex...]
            if lower.hasPrefix("http:") || lower.hasPrefix("https:") { return String(rest) + query }
            if lower.hasPrefix("http%3a") || lower.hasPrefix("https%3a") {
                return (WebAddress.percentDecoded(rest) ?? String(rest)) + query
            }
        }
        for part in parts {
            let labels = part.split(separator: ".", omittingEmptySubsequences: false)
            guard labels.count >= 2, let last = labels.last?.split(separator: ":").first, last.count >= 2,
                last.unicodeScalars.allSatisfy({ ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") })
                    || last.lowercased().hasPrefix("xn--")
            else { continue }
            return String(raw[part.startIndex...]) + query
        }
        return nil
    }

    /// `value` without the `cache:` and snapshot-id prefixes a cache puts before the address
    /// (`cache:AbC123xyz:www.facebook.com/jo` is `www.facebook.com/jo`).
    private static func withoutCachePrefix(_ value: String) -> String {
        var rest = Substring(value)
        while let colon = rest.firstIndex(of: ":") {
            let token = rest[..<colon].lowercased()
            guard !token.isEmpty, token != "http", token != "https", !token.contains("."), !token.contains("/"),
                !rest[colon...].hasPrefix("://")
            else { break }
            rest = rest[rest.index(after: colon)...]
        }
        return String(rest)
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

    /// Index pages a server shows for the folder itself: `example.com/jo/index.html` is
    /// `example.com/jo`.
    private static let indexPages: Set<String> = [
        "index.html", "index.htm", "index.shtml", "index.php", "index.asp", "index.aspx", "index.jsp", "index.cfm",
        "default.html", "default.htm", "default.asp", "default.aspx",
    ]

    /// The path of an unknown site as the key holds it: each segment in Unicode compatibility
    /// form and lower case, NFC; path parameters (`;jsessionid=…`) dropped; a decoded `/`
    /// splitting segments; white space around a segment, empty and dot segments, and a final
    /// index page dropped.
    ///
    /// The register cannot ask a site whether it treats `/Jo` and `/jo`, or `/jo;s=1` and
    /// `/jo`, as one page. Most do, and where it cannot tell it leans to one key: counting two
    /// pages as one profile costs a refusal with a way out (an authorisation), counting one
    /// profile as two lets a repeat look pass as a first (RIPA.md §5).
    static func webSegments(_ address: WebAddress) -> [String] {
        var out: [String] = []
        for segment in address.segments {
            let folded = WebAddress.compatibilityLowercased(segment)
            let withoutParameters = folded.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            for piece in withoutParameters.split(separator: "/") {
                let trimmed = trimmedOfWhitespace(piece)
                if trimmed.isEmpty || trimmed == "." || trimmed == ".." { continue }
                out.append(trimmed)
            }
        }
        if let last = out.last, indexPages.contains(last) { out.removeLast() }
        return out
    }

    /// `piece` without white space (`CharacterSet.whitespaces`: tab and Unicode's space
    /// separators) at either end. When both ends are ASCII other than space and tab there is
    /// nothing to trim, and Foundation — far slower than the rest of the key — is not asked.
    private static func trimmedOfWhitespace(_ piece: Substring) -> String {
        let scalars = piece.unicodeScalars
        if let first = scalars.first, let last = scalars.last, first.isASCII, last.isASCII,
            first != " ", first != "\t", last != " ", last != "\t"
        {
            return String(piece)
        }
        return piece.trimmingCharacters(in: .whitespaces)
    }

    /// `host[:port][/path][?query]` for a site without platform rules.
    ///
    /// The path is folded (``webSegments(_:)``) and re-encoded in one canonical way; the
    /// fragment is dropped (RIPA.md §5); of the query only the parameters the pack lists as
    /// identifying an account on that page are kept (`member.php?u=12`), lower case and sorted:
    /// any other parameter (`?x=1`, `?x=2`…) would give a fresh key for the same page.
    /// - Throws: `malformed` when an identifying parameter is given twice with different values.
    static func webAccount(_ address: WebAddress, input: String, rules: ProfileAddressRules) throws(ProfileAddressError) -> String {
        var out = address.hostIsIP ? address.host : PlatformHost.stripped(address.host)
        if let port = address.port { out += ":\(port)" }
        let segments = webSegments(address)
        if !segments.isEmpty {
            out += "/" + segments.map { WebAddress.percentEncoded($0, keeping: WebAddress.isPathLiteral) }.joined(separator: "/")
        }
        let kept = segments.last.map { rules.identifyingParameters(page: $0) } ?? []
        guard !kept.isEmpty else { return out }
        var values: [String: String] = [:]
        for item in address.query {
            let name = WebAddress.compatibilityLowercased(item.name)
            guard kept.contains(name) else { continue }
            let value = WebAddress.compatibilityLowercased(item.value ?? "")
            if value.isEmpty { continue }
            if let earlier = values[name], earlier != value {
                throw ProfileAddressError(
                    .malformed, input: input, "gives \(name)= more than once with different values",
                    "give the address with one \(name)=")
            }
            values[name] = value
        }
        let items = values.sorted { $0.key < $1.key }.map {
            WebAddress.percentEncoded($0.key, keeping: WebAddress.isUnreserved) + "="
                + WebAddress.percentEncoded($0.value, keeping: WebAddress.isUnreserved)
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
