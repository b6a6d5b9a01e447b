import Foundation

/// The rules that read the account out of an address on one known platform.
///
/// Each rule names the path forms that show an account — the profile itself, and posts,
/// photos and videos whose address carries the account (RIPA.md §5: they "belong to the account
/// that posted it where the address shows it") — and refuses everything else with `noAccount`:
/// reserved paths (home, search, explore, settings…), posts that do not show their account,
/// feeds. Query parameters are ignored except the few that identify an account
/// (`profile.php?id=`), so tracking parameters never change a key on a known platform.
///
/// Names are compared the way the platform compares them: lower-cased where the platform
/// ignores case (all of these platforms' usernames; YouTube channel ids keep their case), and
/// Facebook usernames without their dots ("Periods and capitalization can't be used to
/// differentiate usernames. For example, johnsmith55, John.Smith55 and john.smith.55 are all
/// considered the same username", Facebook Help Centre). Names are first put in Unicode
/// compatibility form (NFKC) so that full-width or ligature look-alikes of an ASCII name, which
/// no platform accepts as distinct names, do not make a second key; look-alikes from other
/// scripts (Cyrillic `о` for Latin `o`) are different names and stay different.
struct AccountRules {
    let address: WebAddress
    let input: String
    let platform: Platform

    private var segments: [String] { address.segments }

    // MARK: - Errors

    private func noAccount(_ problem: String) -> ProfileAddressError {
        ProfileAddressError(
            .noAccount, input: input, problem,
            "give the address of the profile (\(platform.profileAddressExample))")
    }

    private var homePage: ProfileAddressError {
        noAccount("is \(platform.displayName)'s home page, not a profile")
    }

    private func reserved(_ segment: String) -> ProfileAddressError {
        noAccount("is a page of \(platform.displayName) (\(ProfileAddressError.quoted(segment))) that is not a profile")
    }

    private var postWithoutAccount: ProfileAddressError {
        noAccount("is the address of a post that does not show its account")
    }

    private func invalidName(_ name: String, _ rule: String) -> ProfileAddressError {
        ProfileAddressError(
            .invalidAccount, input: input,
            "names \"\(ProfileAddressError.quoted(name))\", which is not a valid \(platform.displayName) name (\(rule))",
            "give the address of the profile as \(platform.displayName) shows it (\(platform.profileAddressExample))")
    }

    // MARK: - Name checks

    private static func isLowerASCIILetterOrDigit(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "0" && c <= "9")
    }

    /// `raw` in NFKC, lower-cased, checked against `allowed` and `maxLength`.
    private func name(
        _ raw: some StringProtocol, maxLength: Int, rule: String, allowed: (Unicode.Scalar) -> Bool
    ) throws(ProfileAddressError) -> String {
        let lower = WebAddress.compatibilityLowercased(String(raw))
        guard !lower.isEmpty, lower.unicodeScalars.count <= maxLength, lower.unicodeScalars.allSatisfy(allowed) else {
            throw invalidName(String(raw), rule)
        }
        return lower
    }

    /// A name that may use letters of any script (LinkedIn public profile names, YouTube
    /// handles and custom URLs), lower-cased.
    private func unicodeName(_ raw: some StringProtocol, maxLength: Int = 100) throws(ProfileAddressError) -> String {
        try name(raw, maxLength: maxLength, rule: "letters, digits, - _ and .") { c in
            if c == "-" || c == "_" || c == "." || c == "\u{B7}" { return true }
            switch c.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .nonspacingMark, .spacingMark, .decimalNumber:
                return true
            default:
                return false
            }
        }
    }

    /// A numeric account id without leading zeros (`007` and `7` are the same id to a server
    /// that reads a number), or `nil` if `raw` is not all ASCII digits.
    static func numericID(_ raw: some StringProtocol) -> String? {
        guard !raw.isEmpty, raw.utf8.count <= 30, raw.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let trimmed = raw.drop(while: { $0 == "0" })
        return trimmed.isEmpty ? "0" : String(trimmed)
    }

    /// The single value of an identifying query parameter, or `nil` if absent. Two different
    /// values are refused: which one the server would use is not something to guess.
    private func parameter(_ name: String) throws(ProfileAddressError) -> String? {
        let values = Set(address.values(of: name))
        if values.count > 1 {
            throw ProfileAddressError(
                .malformed, input: input, "gives \(name)= more than once with different values",
                "give the address with one \(name)=")
        }
        return values.first
    }

    private func numericParameter(_ name: String) throws(ProfileAddressError) -> String? {
        guard let value = try parameter(name) else { return nil }
        guard let id = Self.numericID(value) else { throw invalidName(value, "an account number is digits only") }
        return id
    }

    // MARK: - Facebook

    /// First path segments that are Facebook's own pages, not usernames.
    private static let facebookReserved: Set<String> = [
        "about", "ads", "ajax", "apps", "bookmarks", "business", "campaign", "careers", "checkpoint", "dialog",
        "directory", "events", "feeds", "friends", "fundraisers", "gaming", "hashtag", "help", "home", "jobs",
        "l", "latest", "legal", "lite", "live", "login", "logout", "marketplace", "me", "media", "memories",
        "messages", "messenger", "mobile", "notes", "notifications", "offers", "photo", "photos", "places",
        "plugins", "policies", "privacy", "public", "r", "recover", "reel", "reels", "reg", "saved", "search",
        "security", "settings", "share", "sharer", "stories", "terms", "ufi", "video", "videos", "watch",
    ]

    func facebook() throws(ProfileAddressError) -> String {
        guard let first = segments.first else { throw homePage }
        let head = first.lowercased()
        switch head {
        case "profile.php":
            guard let id = try numericParameter("id") else { throw noAccount("has no id= to say whose profile it is") }
            return "id:" + id
        case "permalink.php", "story.php":
            // A post's address names its author's profile or page in id=.
            guard let id = try numericParameter("id") else { throw postWithoutAccount }
            return "id:" + id
        case "people", "pages":
            // people/NAME/ID and pages/NAME/ID: the number is the account; the name is decoration.
            if segments.count >= 3, segments[1].lowercased() != "category", let id = Self.numericID(segments[2]) {
                return "id:" + id
            }
            throw reserved(first)
        case "profile":
            if segments.count >= 2, let id = Self.numericID(segments[1]) { return "id:" + id }
            throw reserved(first)
        case "p":
            // p/Some-Name-100064123456789: a page without a username, named by its number.
            if segments.count >= 2, let id = Self.trailingID(segments[1]) { return "id:" + id }
            throw reserved(first)
        case "pg":
            guard segments.count >= 2 else { throw reserved(first) }
            return try facebookName(segments[1])
        case "marketplace":
            // A seller's Marketplace profile is named by their account number; a listing
            // (marketplace/item/ID) does not show the seller.
            if segments.count >= 3, segments[1].lowercased() == "profile", let id = Self.numericID(segments[2]) {
                return "id:" + id
            }
            throw noAccount("is a Marketplace page that does not show the seller's account")
        case "groups":
            return try facebookGroup()
        default:
            if Self.facebookReserved.contains(head) || head.hasSuffix(".php") { throw reserved(first) }
            if let id = Self.numericID(first) { return "id:" + id }
            // Page-Name-123456789: the old address of a page without a username.
            if first.contains(Character("-")) {
                guard let id = Self.trailingID(first) else {
                    throw invalidName(
                        first, "letters, digits and dots; a hyphenated address must end in the page's number")
                }
                return "id:" + id
            }
            return try facebookName(first)
        }
    }

    /// A Facebook username: lower case, dots removed, because Facebook ignores both.
    private func facebookName(_ raw: String) throws(ProfileAddressError) -> String {
        let lower = try name(raw, maxLength: 80, rule: "letters, digits and dots") {
            Self.isLowerASCIILetterOrDigit($0) || $0 == "."
        }
        let undotted = lower.filter { $0 != "." }
        guard !undotted.isEmpty else { throw invalidName(raw, "letters, digits and dots") }
        // An all-digit "username" can only be an account number: Facebook opens /4 as id 4.
        if let id = Self.numericID(undotted) { return "id:" + id }
        return undotted
    }

    /// The number after the last hyphen of `Some-Name-123456`, if it has at least five digits.
    private static func trailingID(_ segment: String) -> String? {
        guard let hyphen = segment.lastIndex(of: "-") else { return nil }
        let digits = segment[segment.index(after: hyphen)...]
        guard digits.count >= 5, hyphen != segment.startIndex else { return nil }
        return numericID(digits)
    }

    /// Facebook groups are keyed as `group:NAME-or-NUMBER`. A group is not a person, but
    /// repeatedly watching a group watches its members (Code of Practice 2018, paras 3.10–3.17), so the
    /// register counts views of it like views of a profile. A post in a group does not show its
    /// author and is refused; `groups/G/user/ID` (a member's posts in the group) is that member.
    private func facebookGroup() throws(ProfileAddressError) -> String {
        guard segments.count >= 2 else { throw noAccount("is Facebook's groups page, not a group or a profile") }
        let group = segments[1]
        if ["feed", "discover", "joins", "create", "search", "notifications", "your_groups"].contains(
            group.lowercased())
        {
            throw noAccount(
                "is Facebook's groups page (\(ProfileAddressError.quoted(group))), not a group or a profile")
        }
        if segments.count >= 4, segments[2].lowercased() == "user", let id = Self.numericID(segments[3]) {
            return "id:" + id
        }
        if segments.count >= 3, ["posts", "permalink"].contains(segments[2].lowercased()) {
            throw ProfileAddressError(
                .noAccount, input: input, "is the address of a post in a group, which does not show its author",
                "give the address of the author's profile, or of the group (https://www.facebook.com/groups/NAME)")
        }
        if let id = Self.numericID(group) { return "group:" + id }
        // Group names are lower-cased; dots are kept, because Facebook's rule that dots do not
        // count is documented for usernames only.
        return "group:"
            + (try name(group, maxLength: 100, rule: "letters, digits, dots, - and _") {
                Self.isLowerASCIILetterOrDigit($0) || $0 == "." || $0 == "_" || $0 == "-"
            })
    }

    // MARK: - X

    /// First path segments that are X's own pages (from X's web client and help pages).
    private static let xReserved: Set<String> = [
        "404", "about", "account", "bookmarks", "communities", "compose", "download", "explore", "follower_requests",
        "following", "grok", "hashtag", "home", "i", "intent", "jobs", "lists", "login", "logout", "mentions",
        "messages", "notifications", "personalization", "premium", "privacy", "search", "session", "settings",
        "share", "signup", "topics", "tos", "twitterblue", "webview", "welcome", "who_to_follow", "your_twitter_data",
    ]

    private func xName(_ raw: some StringProtocol) throws(ProfileAddressError) -> String {
        try name(raw, maxLength: 50, rule: "letters, digits and _") { Self.isLowerASCIILetterOrDigit($0) || $0 == "_" }
    }

    func x() throws(ProfileAddressError) -> String {
        guard let first = segments.first else { throw homePage }
        let handle = first.hasPrefix("@") ? String(first.dropFirst()) : first
        switch handle.lowercased() {
        case "i":
            // i/user/ID is the account with that number; i/web/status/ID is a post without
            // its account.
            if segments.count >= 3, segments[1].lowercased() == "user", let id = Self.numericID(segments[2]) {
                return "id:" + id
            }
            if segments.count >= 2, ["status", "web"].contains(segments[1].lowercased()) { throw postWithoutAccount }
            throw reserved(first)
        case "intent":
            // intent/user?screen_name=NAME or ?user_id=ID opens that account.
            let name = try parameter("screen_name")
            let id = try numericParameter("user_id")
            switch (name, id) {
            case (let name?, nil): return try xName(name.hasPrefix("@") ? String(name.dropFirst()) : name)
            case (nil, let id?): return "id:" + id
            case (.some, .some):
                throw ProfileAddressError(
                    .malformed, input: input, "gives both screen_name= and user_id=",
                    "give the address of the profile (https://x.com/NAME)")
            case (nil, nil): throw reserved(first)
            }
        case let lower where Self.xReserved.contains(lower):
            throw reserved(first)
        default:
            return try xName(handle)
        }
    }

    // MARK: - Instagram and Threads

    private static let instagramReserved: Set<String> = [
        "about", "accounts", "api", "ar", "challenge", "developer", "direct", "directory", "emails", "explore",
        "graphql", "legal", "lite", "login", "logout", "nametag", "oauth", "press", "privacy", "qr", "reels", "s",
        "session", "static", "terms", "web", "_n", "your_activity",
    ]

    private func instagramName(_ raw: some StringProtocol) throws(ProfileAddressError) -> String {
        let handle = raw.hasPrefix("@") ? raw.dropFirst() : raw[...]
        return try name(handle, maxLength: 30, rule: "letters, digits, . and _") {
            Self.isLowerASCIILetterOrDigit($0) || $0 == "." || $0 == "_"
        }
    }

    func instagram() throws(ProfileAddressError) -> String {
        guard let first = segments.first else { throw homePage }
        switch first.lowercased() {
        case "p", "reel", "tv":
            throw postWithoutAccount
        case "stories":
            // stories/NAME/ID is NAME's story; stories/highlights/ID does not show the account.
            guard segments.count >= 2, segments[1].lowercased() != "highlights" else { throw postWithoutAccount }
            return try instagramName(segments[1])
        case "_u":
            // _u/NAME is the app-link form of the profile address.
            guard segments.count >= 2 else { throw reserved(first) }
            return try instagramName(segments[1])
        case let lower where Self.instagramReserved.contains(lower):
            throw reserved(first)
        default:
            // NAME, NAME/p/ID, NAME/reel/ID, NAME/tagged: all NAME's.
            return try instagramName(first)
        }
    }

    func threads() throws(ProfileAddressError) -> String {
        guard let first = segments.first else { throw homePage }
        // Threads profiles are always @NAME (the Instagram username); @NAME/post/ID is NAME's post.
        guard first.hasPrefix("@") else {
            if ["t", "post"].contains(first.lowercased()) { throw postWithoutAccount }
            throw reserved(first)
        }
        return try instagramName(first)
    }

    // MARK: - TikTok

    func tiktok() throws(ProfileAddressError) -> String {
        guard let first = segments.first else { throw homePage }
        // Profiles are @NAME; @NAME/video/ID and @NAME/photo/ID are NAME's. video/ID, t/CODE
        // and embed/… do not show the account.
        guard first.hasPrefix("@") else {
            if ["video", "v", "t", "embed", "photo"].contains(first.lowercased()) { throw postWithoutAccount }
            throw reserved(first)
        }
        return try name(first.dropFirst(), maxLength: 50, rule: "letters, digits, . and _") {
            Self.isLowerASCIILetterOrDigit($0) || $0 == "." || $0 == "_"
        }
    }

    // MARK: - LinkedIn

    func linkedin() throws(ProfileAddressError) -> String {
        guard let first = segments.first else { throw homePage }
        let kind = first.lowercased()
        switch kind {
        case "in", "company", "school", "showcase":
            guard segments.count >= 2 else { throw reserved(first) }
            return kind + "/" + (try unicodeName(segments[1]))
        case "pub":
            throw ProfileAddressError(
                .noAccount, input: input, "is an old LinkedIn /pub/ address",
                "open it and give the /in/NAME address it leads to (https://www.linkedin.com/in/NAME)")
        case "posts", "feed", "pulse", "embed":
            // A post's address does not reliably show its author: the part before `_` in
            // posts/NAME_TITLE cannot be split safely from names that contain `_`.
            throw postWithoutAccount
        default:
            throw reserved(first)
        }
    }

    // MARK: - YouTube

    private static let youtubeVideo: Set<String> = [
        "watch", "shorts", "embed", "live", "v", "e", "clip", "watch_videos",
    ]

    private static let youtubeReserved: Set<String> = [
        "about", "account", "accounts", "ads", "attribution_link", "channels", "comment", "create_channel", "creators",
        "error", "feed", "gaming", "get_video_info", "hashtag", "howyoutubeworks", "iframe_api", "kids", "learning",
        "logout", "movies", "music", "new", "news", "oembed", "paid_memberships", "playlist", "podcasts", "post",
        "premium", "redirect", "reporthistory", "results", "s", "select", "signin", "source", "sports", "storefront",
        "subscription_manager", "supported_browsers", "t", "trends", "upload", "verify", "yt",
    ]

    func youtube() throws(ProfileAddressError) -> String {
        guard let first = segments.first else { throw homePage }
        if first.hasPrefix("@") {
            // @handle, @handle/videos, @handle/shorts…: handles ignore case.
            return "@" + (try unicodeName(first.dropFirst()))
        }
        let kind = first.lowercased()
        switch kind {
        case "channel":
            // Channel ids are case-sensitive: UCabc… and UCABC… are different channels.
            guard segments.count >= 2 else { throw reserved(first) }
            let id = segments[1]
            guard id.utf8.count == 24, id.hasPrefix("UC"),
                id.unicodeScalars.allSatisfy({
                    Self.isLowerASCIILetterOrDigit($0) || ($0 >= "A" && $0 <= "Z") || $0 == "_" || $0 == "-"
                })
            else { throw invalidName(id, "a channel id is UC followed by 22 letters, digits, - or _") }
            return "channel:" + id
        case "c", "user":
            // c/NAME is a custom URL and user/NAME a legacy username; both ignore case.
            guard segments.count >= 2 else { throw reserved(first) }
            return kind + ":" + (try unicodeName(segments[1]))
        case let lower where Self.youtubeVideo.contains(lower):
            throw ProfileAddressError(
                .noAccount, input: input, "is the address of a video that does not show its channel",
                "give the address of the channel (\(platform.profileAddressExample))")
        case let lower where Self.youtubeReserved.contains(lower):
            throw reserved(first)
        default:
            // youtube.com/NAME is the same custom URL as youtube.com/c/NAME (YouTube merged the
            // two forms in 2015).
            return "c:" + (try unicodeName(first))
        }
    }

    // MARK: - Reddit

    func reddit() throws(ProfileAddressError) -> String {
        guard let first = segments.first else { throw homePage }
        switch first.lowercased() {
        case "user", "u":
            // user/NAME and u/NAME, and anything under them (NAME's posts, comments).
            guard segments.count >= 2 else { throw reserved(first) }
            return try redditUser(segments[1])
        case "r":
            guard segments.count >= 2 else { throw reserved(first) }
            let community = segments[1]
            // r/u_NAME is the profile subreddit of user NAME: the same person.
            if community.lowercased().hasPrefix("u_") { return try redditUser(community.dropFirst(2)) }
            if ["all", "popular", "random", "friends", "mod", "randnsfw"].contains(community.lowercased()) {
                throw noAccount(
                    "is a Reddit feed (r/\(ProfileAddressError.quoted(community))), not a community or a profile")
            }
            // A post in a community does not show its author; a share link (r/NAME/s/CODE)
            // does not show what it leads to.
            if segments.count >= 3, ["comments", "s"].contains(segments[2].lowercased()) {
                throw ProfileAddressError(
                    .noAccount, input: input, "is the address of a post in a community, which does not show its author",
                    "give the address of the author's profile (https://www.reddit.com/user/NAME) or of the community (https://www.reddit.com/r/NAME)"
                )
            }
            // Subreddits are keyed as r/NAME: a community, not a person, but watching it
            // repeatedly watches the people in it, so its views are counted like a profile's.
            return "r/"
                + (try name(community, maxLength: 30, rule: "letters, digits and _") {
                    Self.isLowerASCIILetterOrDigit($0) || $0 == "_"
                })
        case "comments":
            throw postWithoutAccount
        default:
            throw reserved(first)
        }
    }

    private func redditUser(_ raw: some StringProtocol) throws(ProfileAddressError) -> String {
        try name(raw, maxLength: 30, rule: "letters, digits, - and _") {
            Self.isLowerASCIILetterOrDigit($0) || $0 == "_" || $0 == "-"
        }
    }

    // MARK: - Bluesky

    func bluesky() throws(ProfileAddressError) -> String {
        guard let first = segments.first else { throw homePage }
        guard first.lowercased() == "profile", segments.count >= 2 else { throw reserved(first) }
        // profile/HANDLE and profile/HANDLE/post/ID are HANDLE's.
        let raw = segments[1].hasPrefix("@") ? String(segments[1].dropFirst()) : segments[1]
        let lower = WebAddress.compatibilityLowercased(raw)
        if lower.hasPrefix("did:") {
            // did:plc identifiers are lower-case base32, so lower-casing only maps a miswritten
            // id onto the real one. Other DID methods are refused rather than guessed at.
            let parts = lower.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 3, parts[1] == "plc", parts[2].count == 24,
                parts[2].unicodeScalars.allSatisfy({ ($0 >= "a" && $0 <= "z") || ($0 >= "2" && $0 <= "7") })
            {
                return lower
            }
            if parts.count == 3, parts[1] == "web", Self.isHostName(parts[2]) { return lower }
            throw invalidName(raw, "a DID is did:plc:<24 characters> or did:web:<host name>")
        }
        // Handles are host names and ignore case.
        guard Self.isHostName(lower) else { throw invalidName(raw, "a handle is a host name such as NAME.bsky.social") }
        return lower
    }

    /// ASCII host-name syntax with at least two labels (atproto handle syntax).
    private static func isHostName(_ s: some StringProtocol) -> Bool {
        let labels = s.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, s.utf8.count <= 253 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { isLowerASCIILetterOrDigit($0) || $0 == "-" }
        }
    }

    // MARK: - Snapchat

    func snapchat() throws(ProfileAddressError) -> String {
        guard let first = segments.first else { throw homePage }
        let handle: String
        if first.hasPrefix("@") {
            handle = String(first.dropFirst())  // snapchat.com/@NAME, story.snapchat.com/@NAME
        } else if first.lowercased() == "add", segments.count >= 2 {
            handle = segments[1]  // snapchat.com/add/NAME
        } else if ["spotlight", "t", "discover", "p", "s", "u"].contains(first.lowercased()) {
            throw postWithoutAccount
        } else {
            throw reserved(first)
        }
        return try name(handle, maxLength: 30, rule: "letters, digits, . - and _") {
            Self.isLowerASCIILetterOrDigit($0) || $0 == "." || $0 == "_" || $0 == "-"
        }
    }
}
