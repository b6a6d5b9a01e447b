import Synchronization

/// The identity of one online profile, the same however its address is written.
///
/// The Code of Practice (Covert Surveillance and Property Interference, 2018, paras 3.10–3.17)
/// allows an initial look at a person's public profile without an authorisation, but repeated
/// viewing may be directed surveillance. The register counts views per profile (RIPA.md §5),
/// so two spellings of one account must give one key — otherwise a second look written
/// differently would pass as a first look — and two accounts must never give the same key —
/// otherwise an authorisation for one person would cover another.
///
/// Forms of ``description`` (the stored form, `<platform>:<account>`):
///
/// | Platform | Key | From |
/// |---|---|---|
/// | Facebook | `facebook:johnsmith` | username, lower case, dots removed (Facebook ignores both) |
/// | | `facebook:id:4` | `profile.php?id=4`, `/4`, `people/NAME/4`, `pages/NAME/4`, `p/NAME-4`, `marketplace/profile/4`, `groups/G/user/4` |
/// | | `facebook:group:NAME` | `groups/NAME` (a group, not a person: its members' posts are still watched through it) |
/// | X | `x:jack`, `x:id:12` | `x.com/jack`, `twitter.com/Jack/status/1`; `i/user/12`, `intent/user?user_id=12` |
/// | Instagram | `instagram:jo.smith` | `instagram.com/jo.smith`, `/jo.smith/p/ID`, `/stories/jo.smith/ID` |
/// | TikTok | `tiktok:jo` | `tiktok.com/@jo`, `/@jo/video/ID` |
/// | LinkedIn | `linkedin:in/jo`, `linkedin:company/acme` | `/in/`, `/company/`, `/school/`, `/showcase/` |
/// | YouTube | `youtube:@jo`, `youtube:channel:UC…`, `youtube:c:jo`, `youtube:user:jo` | handle; channel id (case kept); custom URL (`/c/jo` and `/jo`); legacy username |
/// | Reddit | `reddit:jo`, `reddit:r/sub` | `/user/jo`, `/u/jo`, `/r/u_jo`; a subreddit |
/// | Threads | `threads:jo` | `threads.net/@jo`, `threads.com/@jo/post/ID` |
/// | Bluesky | `bluesky:jo.bsky.social`, `bluesky:did:plc:…` | `bsky.app/profile/HANDLE-or-DID` |
/// | Mastodon | `mastodon:jo@mastodon.social` | `INSTANCE/@jo`, `INSTANCE/@jo@OTHER`, `/web/@jo`; `/users/jo` on well-known instances |
/// | Snapchat | `snapchat:jo` | `snapchat.com/add/jo`, `snapchat.com/@jo` |
/// | any other site | `web:example.com/path`, `web:forum.example/member.php?u=12` | host (lower case, no `www.`/`m.`/`mobile.`), port if not 80/443, path folded (NFKC, lower case, NFC; no `;…` path parameters, empty or dot segments, white space around segments or final index page), only the query parameters the pack lists as identifying an account on that page |
///
/// On a site without platform rules the register cannot ask whether `/Jo` and `/jo`, or
/// `?x=1` and `?x=2`, are one page, so it leans to one key: an over-count is a refusal with a
/// way out (an authorisation), an under-count lets a repeat look pass as a first.
///
/// One account can still have more than one key when the platform gives it two independent
/// names that cannot be matched without asking the platform (a Facebook username and its
/// numeric id, an X handle and its id, a Bluesky handle and its DID, a YouTube handle and its
/// channel id). A monitoring officer records those as one account (`profile.aliased`, `ripa
/// alias`); the gate then counts and authorises the keys as one. The key itself never changes.
///
/// Copies count as the profile: the archives, caches, translators and redirectors the pack
/// lists (``ProfileAddressRules/copies``: `archive.ph/newest/…`, `web.archive.org/web/…/…`,
/// Google's cache, `*.translate.goog`, `l.facebook.com/l.php?u=`, `google.*/url?q=`) give the
/// key of the address inside them, up to three deep; the third-party mirrors it lists
/// (``ProfileAddressRules/mirrors``: nitter, invidious…) are refused with `mirror`. Short links
/// (`bit.ly`, `t.co`, `youtu.be`, `vm.tiktok.com`…) are refused, because they hide the account
/// and a fresh one could be made for every look.
public struct ProfileKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The platform the profile is on, or ``Platform/web`` for any other site.
    public let platform: Platform
    /// The platform-specific canonical account part (everything after `<platform>:`).
    public let account: String

    /// The stored form, `<platform>:<account>` (`facebook:johnsmith`, `web:example.com/jo`).
    public var description: String { "\(platform.rawValue):\(account)" }

    /// An `https` address that opens the profile and gives this key again: for messages and
    /// for an investigator to open. `web:` keys drop the original scheme, so this address
    /// always uses `https`.
    public var canonicalAddress: String { Self.canonicalAddress(platform: platform, account: account) }

    private init(platform: Platform, account: String) {
        self.platform = platform
        self.account = account
    }

    /// The key of the profile at `address`, as an investigator typed or pasted it, under the
    /// shipped ``ProfileAddressRules/defaults``.
    ///
    /// Accepts `http`/`https` addresses and addresses without a scheme that start with a host
    /// (`facebook.com/jo`, `//facebook.com/jo`). See the type's documentation for the keys
    /// and RIPA.md §5 for the rule.
    /// - Parameter address: the address of the profile, or of a post, photo or video that
    ///   shows its account.
    /// - Throws: ``ProfileAddressError`` when the input is not a web address, uses another
    ///   scheme, hides its host behind `user@`, names no account (a post without its account,
    ///   a short link, a platform's home or search page), is a third-party mirror of a platform,
    ///   or names an account that is not valid on its platform. The message says what to give instead.
    public init(address: String) throws(ProfileAddressError) {
        try self.init(address: address, rules: .defaults)
    }

    /// The key of the profile at `address` under the pack's address rules (archives and
    /// redirectors to unwrap, mirrors to refuse, identifying query parameters): the register
    /// normalises with the pack in force at each entry, live and in `verify --replay`.
    /// - Throws: ``ProfileAddressError``, as ``init(address:)``.
    public init(address: String, rules: ProfileAddressRules) throws(ProfileAddressError) {
        // Compared by bytes, not String ==: Swift's == treats canonically equivalent Unicode
        // (`café` as one scalar and as `e` + U+0301) as equal, and the memo must answer only for
        // the exact input it was given — the address is recorded as given and re-normalised by
        // `verify --replay` without the memo.
        if let last = Self.lastNormalised.withLock({ $0 }), last.address.utf8.elementsEqual(address.utf8), last.rules == rules {
            self = last.key
            return
        }
        let parsed = try WebAddress.parse(address)
        let (platform, account) = try Self.identify(parsed, input: address, depth: 0, rules: rules)
        self.init(platform: platform, account: account)
        let key = self
        Self.lastNormalised.withLock { $0 = (address, rules, key) }
    }

    /// The last address normalised, the rules it was normalised under, and its key. Recording
    /// a look normalises the same address twice in a row — to decide, and again when
    /// `Casework` re-checks the entry before it commits — and normalising is a pure function
    /// of the address and the rules, so the second is a lookup.
    private static let lastNormalised = Mutex<(address: String, rules: ProfileAddressRules, key: ProfileKey)?>(nil)

    /// Reads a key back from its stored form (``description``).
    ///
    /// Only a key in canonical form is accepted — exactly what ``init(address:)`` would
    /// produce — so that a stored key that was edited or corrupted is noticed rather than
    /// matched loosely against other keys.
    /// - Parameter key: `<platform>:<account>`, e.g. `facebook:id:4` or `web:example.com/jo`.
    /// - Throws: ``ProfileAddressError`` with code `malformedKey`.
    public init(parsing key: String) throws(ProfileAddressError) {
        try self.init(parsing: key, rules: .defaults)
    }

    /// Reads a key back from its stored form under the pack's address rules.
    /// - Throws: ``ProfileAddressError`` with code `malformedKey`.
    public init(parsing key: String, rules: ProfileAddressRules) throws(ProfileAddressError) {
        guard let colon = key.firstIndex(of: ":"), let platform = Platform(rawValue: String(key[..<colon])) else {
            throw ProfileAddressError(
                .malformedKey, input: key, "is not a profile key",
                "a key is <platform>:<account> with platform one of \(Platform.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        let account = String(key[key.index(after: colon)...])
        let reparsed: ProfileKey
        do {
            reparsed = try ProfileKey(address: Self.canonicalAddress(platform: platform, account: account), rules: rules)
        } catch {
            throw ProfileAddressError(
                .malformedKey, input: key, "is not a valid \(platform.rawValue) key (\(error.message))",
                "use the key the register gave for the profile's address")
        }
        // Byte comparison, not String ==: Swift's == treats canonically equivalent Unicode as
        // equal, and a stored key must be exactly the canonical bytes.
        guard reparsed.platform == platform, Array(reparsed.account.utf8) == Array(account.utf8) else {
            throw ProfileAddressError(
                .malformedKey, input: key, "is not in canonical form",
                "the canonical key for that profile is \(ProfileAddressError.quoted(reparsed.description))")
        }
        self = reparsed
    }

    /// Orders by the stored form.
    public static func < (lhs: ProfileKey, rhs: ProfileKey) -> Bool {
        lhs.description < rhs.description
    }

    /// Encodes as the stored form, a single string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Decodes the stored form, refusing any key that is not canonical.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try ProfileKey(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }
}
