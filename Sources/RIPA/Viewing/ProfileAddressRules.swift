import Synchronization

/// The pack's data about sites that show a profile through another address (RIPA.md §5,
/// "Same profile"): copies that carry the profile's address (archives, caches, translators,
/// redirectors), third-party front-ends (mirrors) that show an account under their own
/// address, and the query parameters that identify an account on sites without platform rules.
///
/// It is data in the policy pack (`profile_addresses`) so that an authority can add the
/// archive or mirror its investigators meet without a new release; the register normalises
/// every address with the pack in force at that entry, live and in `verify --replay`, so the
/// list in force when a look was recorded is the list it is re-checked with.
public struct ProfileAddressRules: Sendable, Hashable, Codable {
    /// Where a copy carries the address of the page it copies.
    public enum Carrier: String, Sendable, Hashable, Codable, CaseIterable {
        /// In its path, after any fixed or timestamp segments:
        /// `web.archive.org/web/2024/https://x.com/jo`, `archive.ph/newest/https://x.com/jo`.
        case path
        /// In one of its query parameters: `www.google.com/url?q=…`, `l.facebook.com/l.php?u=…`,
        /// `webcache.googleusercontent.com/search?q=cache:…`.
        case query
        /// In its first host label, with `.` written `-` and `-` written `--`:
        /// `www-facebook-com.translate.goog/jo` is `www.facebook.com/jo`.
        case host
    }

    /// A site whose address carries the address of the page it shows.
    public struct Copy: Sendable, Hashable, Codable {
        /// The site: `example.com` (that host and its subdomains) or `label.*` (any host whose
        /// first label, after `www.`/`m.`/`mobile.`, is `label`: `google.*` is google.com, google.co.uk…).
        public var host: String
        /// Where the address is carried.
        public var addressIn: Carrier
        /// For `query`: the path that carries it (`/url`); absent means any path.
        public var path: String?
        /// For `query`: the parameters that may carry it, in order of preference.
        public var parameters: [String]?

        /// Makes a copy rule.
        public init(host: String, addressIn: Carrier, path: String? = nil, parameters: [String]? = nil) {
            self.host = host
            self.addressIn = addressIn
            self.path = path
            self.parameters = parameters
        }

        private enum CodingKeys: String, CodingKey {
            case host
            case addressIn = "address_in"
            case path, parameters
        }
    }

    /// A third-party front-end that shows a platform's accounts under its own addresses
    /// (nitter-style X mirrors, invidious-style YouTube front-ends). Looks through them are
    /// refused: view the profile on the platform itself, where the register can read the account.
    public struct Mirror: Sendable, Hashable, Codable {
        /// The site, written as in ``Copy/host``.
        public var host: String
        /// The platform it mirrors, for the message.
        public var platform: Platform

        /// Makes a mirror rule.
        public init(host: String, platform: Platform) {
            self.host = host
            self.platform = platform
        }
    }

    /// Query parameters that identify an account on a site without platform rules, by the
    /// page that reads them (`member.php?u=12` is member 12 of a forum). Every other query
    /// parameter of an unknown site is dropped from its key: the register cannot tell whether
    /// the site reads `?x=1`, and an over-count is a refusal with a way out where an
    /// under-count is an unrecorded repeat look.
    public struct IdentifyingParameters: Sendable, Hashable, Codable {
        /// The last path segment of the page, lower case (`member.php`).
        public var page: String
        /// The parameters kept, lower case.
        public var parameters: [String]

        /// Makes a rule.
        public init(page: String, parameters: [String]) {
            self.page = page
            self.parameters = parameters
        }
    }

    /// Copies whose inner address is read instead.
    public var copies: [Copy]
    /// Front-ends refused.
    public var mirrors: [Mirror]
    /// Identifying query parameters of unknown sites.
    public var identifyingQueryParameters: [IdentifyingParameters]
    /// Why (the Code of Practice paragraphs).
    public var source: String

    /// Makes the rules.
    public init(copies: [Copy], mirrors: [Mirror], identifyingQueryParameters: [IdentifyingParameters], source: String) {
        self.copies = copies
        self.mirrors = mirrors
        self.identifyingQueryParameters = identifyingQueryParameters
        self.source = source
    }

    private enum CodingKeys: String, CodingKey {
        case copies, mirrors
        case identifyingQueryParameters = "identifying_query_parameters"
        case source
    }

    /// Whether `host` (canonical, from the address parser) is matched by `pattern`;
    /// `firstLabel` is the host's first label after `www.`/`m.`/`mobile.` (nil for a host of
    /// one label), computed once per address.
    ///
    /// The definition of a match; ``HostIndex`` answers the same question by lookup.
    static func matches(_ pattern: String, host: String, firstLabel: Substring?) -> Bool {
        if pattern.hasSuffix(".*") {
            return firstLabel.map { $0.elementsEqual(pattern.dropLast(2)) } ?? false
        }
        return host == pattern || (host.hasSuffix(pattern) && host.dropLast(pattern.count).hasSuffix("."))
    }

    static func firstLabel(of host: String) -> Substring? {
        let stripped = PlatformHost.stripped(host)
        guard let dot = stripped.firstIndex(of: ".") else { return nil }
        return Substring(stripped[..<dot])
    }

    /// The copy rules that apply to `host`, in the pack's order.
    func copies(on host: String) -> [Copy] {
        HostIndex.of(self).copies(on: host, in: self)
    }

    /// The first mirror rule, in the pack's order, that applies to `host`, if any.
    func mirror(on host: String) -> Mirror? {
        HostIndex.of(self).mirror(on: host, in: self)
    }

    /// The copy and mirror patterns by what they match, so that a host is looked up rather
    /// than tested against every pattern: every address the gate sees goes through this,
    /// and the pack lists dozens of sites.
    ///
    /// A `SITE` pattern matches a host that is `SITE` or ends in `.SITE`, so the host and
    /// each of its parent domains (the part after each `.`) are looked up among them; a
    /// `label.*` pattern matches on the host's first label. The answer is the same as
    /// testing each pattern with ``matches(_:host:firstLabel:)``, in the pack's order.
    struct HostIndex: Sendable {
        /// Pattern (`archive.org`, or `nitter` for `nitter.*`) → positions of the rules with it.
        var copiesBySite: [String: [Int]] = [:]
        var copiesByLabel: [String: [Int]] = [:]
        var mirrorsBySite: [String: [Int]] = [:]
        var mirrorsByLabel: [String: [Int]] = [:]

        init(_ rules: ProfileAddressRules) {
            for (i, copy) in rules.copies.enumerated() { Self.add(copy.host, i, site: &copiesBySite, label: &copiesByLabel) }
            for (i, mirror) in rules.mirrors.enumerated() { Self.add(mirror.host, i, site: &mirrorsBySite, label: &mirrorsByLabel) }
        }

        private static func add(_ pattern: String, _ position: Int, site: inout [String: [Int]], label: inout [String: [Int]]) {
            if pattern.hasSuffix(".*") {
                label[String(pattern.dropLast(2)), default: []].append(position)
            } else {
                site[pattern, default: []].append(position)
            }
        }

        /// The index built for the last rules asked about, with the lists it was built from.
        /// The rules in force are one pack for many addresses; comparing the lists is cheap
        /// when they are the same arrays (Array's `==` checks identity first), and a change
        /// of rules builds a new index rather than answering from a stale one.
        private static let last = Mutex<(copies: [Copy], mirrors: [Mirror], index: HostIndex)?>(nil)

        static func of(_ rules: ProfileAddressRules) -> HostIndex {
            if let cached = last.withLock({ $0 }), cached.copies == rules.copies, cached.mirrors == rules.mirrors {
                return cached.index
            }
            let index = HostIndex(rules)
            last.withLock { $0 = (rules.copies, rules.mirrors, index) }
            return index
        }

        /// Positions of the rules matching `host`, ascending.
        private static func positions(_ host: String, site: [String: [Int]], label: [String: [Int]]) -> [Int] {
            var found: [Int] = []
            if !site.isEmpty {
                // The host itself, then the part after each dot: exactly the `SITE`s that
                // `host == SITE || host.hasSuffix("." + SITE)` accepts.
                if let hit = site[host] { found += hit }
                var rest = host[...]
                while let dot = rest.firstIndex(of: ".") {
                    rest = rest[rest.index(after: dot)...]
                    if let hit = site[String(rest)] { found += hit }
                }
            }
            if !label.isEmpty, let first = ProfileAddressRules.firstLabel(of: host), let hit = label[String(first)] {
                found += hit
            }
            return found.count > 1 ? found.sorted() : found
        }

        func copies(on host: String, in rules: ProfileAddressRules) -> [Copy] {
            Self.positions(host, site: copiesBySite, label: copiesByLabel).map { rules.copies[$0] }
        }

        func mirror(on host: String, in rules: ProfileAddressRules) -> Mirror? {
            Self.positions(host, site: mirrorsBySite, label: mirrorsByLabel).first.map { rules.mirrors[$0] }
        }
    }

    /// The identifying parameters of a page of an unknown site.
    func identifyingParameters(page: String) -> Set<String> {
        Set(identifyingQueryParameters.filter { $0.page == page }.flatMap(\.parameters))
    }

    /// Whether `pattern` is a host pattern the rules can use: lower-case labels of letters,
    /// digits and `-`, at least two of them, or `label.*`.
    static func isHostPattern(_ pattern: String) -> Bool {
        let labels = pattern.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        let isLabel = { (label: Substring) in
            !label.isEmpty && label.count <= 63
                && label.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
        }
        if labels.count == 2, labels[1] == "*" { return isLabel(labels[0]) }
        return labels.allSatisfy(isLabel)
    }

    /// The shipped defaults (`profile_addresses` in Policies/england-wales-local-authority.yaml),
    /// used for a pack adopted before the section existed.
    public static let defaults = ProfileAddressRules(
        copies: [
            Copy(host: "web.archive.org", addressIn: .path),
            Copy(host: "wayback.archive.org", addressIn: .path),
            Copy(host: "archive.org", addressIn: .path),
            Copy(host: "archive.ph", addressIn: .path),
            Copy(host: "archive.today", addressIn: .path),
            Copy(host: "archive.is", addressIn: .path),
            Copy(host: "archive.li", addressIn: .path),
            Copy(host: "archive.vn", addressIn: .path),
            Copy(host: "archive.fo", addressIn: .path),
            Copy(host: "archive.md", addressIn: .path),
            Copy(host: "ghostarchive.org", addressIn: .path),
            Copy(host: "webcache.googleusercontent.com", addressIn: .query, path: "/search", parameters: ["q"]),
            Copy(host: "cachedview.nl", addressIn: .path),
            Copy(host: "translate.goog", addressIn: .host),
            Copy(host: "translate.google.com", addressIn: .query, parameters: ["u"]),
            Copy(host: "google.*", addressIn: .query, path: "/url", parameters: ["q", "url"]),
            Copy(host: "l.facebook.com", addressIn: .query, path: "/l.php", parameters: ["u"]),
            Copy(host: "lm.facebook.com", addressIn: .query, path: "/l.php", parameters: ["u"]),
            Copy(host: "l.instagram.com", addressIn: .query, parameters: ["u"]),
            Copy(host: "l.threads.net", addressIn: .query, parameters: ["u"]),
            Copy(host: "youtube.com", addressIn: .query, path: "/redirect", parameters: ["q"]),
            Copy(host: "out.reddit.com", addressIn: .query, parameters: ["url"]),
            Copy(host: "linkedin.com", addressIn: .query, path: "/redir/redirect", parameters: ["url"]),
            Copy(host: "duckduckgo.com", addressIn: .query, path: "/l", parameters: ["uddg"]),
        ],
        mirrors: [
            Mirror(host: "nitter.*", platform: .x),
            Mirror(host: "nitter.net", platform: .x),
            Mirror(host: "nitter.poast.org", platform: .x),
            Mirror(host: "nitter.privacydev.net", platform: .x),
            Mirror(host: "xcancel.com", platform: .x),
            Mirror(host: "twstalker.com", platform: .x),
            Mirror(host: "sotwe.com", platform: .x),
            Mirror(host: "twiiit.com", platform: .x),
            Mirror(host: "invidious.*", platform: .youtube),
            Mirror(host: "yewtu.be", platform: .youtube),
            Mirror(host: "inv.nadeko.net", platform: .youtube),
            Mirror(host: "piped.video", platform: .youtube),
            Mirror(host: "piped.*", platform: .youtube),
            Mirror(host: "imginn.com", platform: .instagram),
            Mirror(host: "picuki.com", platform: .instagram),
            Mirror(host: "dumpor.com", platform: .instagram),
            Mirror(host: "picnob.com", platform: .instagram),
            Mirror(host: "proxigram.*", platform: .instagram),
            Mirror(host: "redlib.*", platform: .reddit),
            Mirror(host: "libreddit.*", platform: .reddit),
            Mirror(host: "teddit.net", platform: .reddit),
            Mirror(host: "proxitok.*", platform: .tiktok),
            Mirror(host: "urlebird.com", platform: .tiktok),
        ],
        identifyingQueryParameters: [
            IdentifyingParameters(page: "member.php", parameters: ["u", "uid", "userid"]),
            IdentifyingParameters(page: "memberlist.php", parameters: ["u"]),
            IdentifyingParameters(page: "profile.php", parameters: ["id", "u", "uid", "user"]),
            IdentifyingParameters(page: "viewprofile.php", parameters: ["id", "u", "uid", "user"]),
            IdentifyingParameters(page: "user.php", parameters: ["id", "u", "uid", "user"]),
        ],
        source: "Covert Surveillance and Property Interference Revised Code of Practice (2018) paras 3.10-3.17: a look at an archived, cached, translated or mirrored copy of a profile is a look at the profile")
}
