import Foundation
import RIPA
import Testing

// RIPA.md §5 "Same profile": every spelling of one account gives one key, and different
// accounts never share a key. The tables below play the investigator who wants a second
// "first look" (a different spelling of the same address) and the one who wants an
// authorisation to cover somebody else (a near-miss that must stay distinct).

/// One address and the key it must give.
struct ProfileSpelling: Sendable, CustomTestStringConvertible {
    let address: String
    let key: String
    var testDescription: String { "\(address.debugDescription) → \(key)" }
}

/// Builds the rows "each of these addresses gives `key`".
private func same(_ key: String, _ addresses: String...) -> [ProfileSpelling] {
    addresses.map { ProfileSpelling(address: $0, key: key) }
}

/// Two addresses that must give two different keys.
struct ProfileNearMiss: Sendable, CustomTestStringConvertible {
    let first: String
    let second: String
    var testDescription: String { "\(first.debugDescription) ≠ \(second.debugDescription)" }
}

private func distinct(_ first: String, _ second: String) -> ProfileNearMiss { ProfileNearMiss(first: first, second: second) }

/// An input that must be refused with `code`.
struct ProfileRefusal: Sendable, CustomTestStringConvertible {
    let input: String
    let code: ProfileAddressError.Code
    var testDescription: String { "\(input.debugDescription) refused: \(code.rawValue)" }
}

private func refused(_ code: ProfileAddressError.Code, _ inputs: String...) -> [ProfileRefusal] {
    inputs.map { ProfileRefusal(input: $0, code: code) }
}

// MARK: - Spellings of the same account

private let facebookSpellings: [ProfileSpelling] =
    same(
        "facebook:johnsmith",
        "https://www.facebook.com/john.smith",
        "http://facebook.com/john.smith/",
        "facebook.com/John.Smith",
        "www.facebook.com/john.smith",
        "https://m.facebook.com/john.smith?ref=bookmarks",
        "https://mbasic.facebook.com/john.smith#timeline",
        "https://WWW.FACEBOOK.COM./johnsmith",
        "https://fb.com/john.smith",
        "https://web.facebook.com/j.o.h.n.s.m.i.t.h",  // Facebook ignores dots in usernames
        "https://www.facebook.com/JOHNSMITH",
        "https://www.facebook.com/john.smith/posts/pfbid0abc",
        "https://www.facebook.com/john.smith/photos/a.123/456/?type=3",
        "https://www.facebook.com/john.smith/videos/789/",
        "https://www.facebook.com//john.smith//",
        "https://www.facebook.com/%6Aohn%2Esmith",
        "https://www.facebook.com:443/john.smith?fbclid=IwAR0abc&__tn__=-R",
        "https://en-gb.facebook.com/john.smith",
        "https://www.facebook.com/pg/john.smith/about/",
        "https://www.facebook.com/#!/john.smith",
        "https://www.facebook.com/events/../john.smith",
        "HTTPS://faceb%6Fok.com/john.smith",  // a browser decodes the host
        "https://ｆａｃｅｂｏｏｋ.com/john.smith",  // full-width host: IDNA maps it to facebook.com
        "https://facebook。com/john.smith",  // ideographic full stop is a dot to IDNA
        "https://face\u{AD}book.com/john.smith",  // soft hyphen is ignored by IDNA
        "  https://www.facebook.com/john.smith\n",
        "https:www.facebook.com/john.smith",
        "https:///www.facebook.com/john.smith",
        "//www.facebook.com/john.smith",
        "https://web.archive.org/web/20240101000000/https://www.facebook.com/john.smith",
        "https://www-facebook-com.translate.goog/john.smith?_x_tr_sl=en&_x_tr_tl=fr",
        "https://www.google.com/url?q=https://www.facebook.com/john.smith&sa=D",
        // Archives, caches, translators and redirectors carry the address (issue 8 §3.3).
        "https://archive.ph/newest/https://www.facebook.com/john.smith",
        "https://archive.ph/2024.01.01-120000/https://www.facebook.com/john.smith",
        "https://archive.today/oldest/facebook.com/john.smith",
        "https://web.archive.org/web/20240101000000id_/https://www.facebook.com/john.smith",
        "https://web.archive.org/web/2024/https%3A%2F%2Fwww.facebook.com%2Fjohn.smith",
        "https://webcache.googleusercontent.com/search?q=cache:https://www.facebook.com/john.smith",
        "https://webcache.googleusercontent.com/search?q=cache:AbC123xyz:www.facebook.com/john.smith",
        "https://www-facebook-com.translate.goog/john.smith",
        "https://m-facebook-com.translate.goog/john.smith?_x_tr_sl=en&_x_tr_tl=cy&_x_tr_hl=en-GB",
        "https://translate.google.com/translate?sl=auto&tl=en&u=https://www.facebook.com/john.smith",
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.facebook.com%2Fjohn.smith&h=AT0abc",
        "https://lm.facebook.com/l.php?u=https%3A%2F%2Fwww.facebook.com%2Fjohn.smith",
        "https://www.google.co.uk/url?sa=t&url=https%3A%2F%2Fwww.facebook.com%2Fjohn.smith",
        // Copies of copies, within the bound.
        "https://web.archive.org/web/2024/https://www-facebook-com.translate.goog/john.smith",
        "https://archive.ph/newest/https://www.google.com/url?q=https://www.facebook.com/john.smith"
    )
    + same(
        "facebook:id:100012345678",
        "https://www.facebook.com/profile.php?id=100012345678",
        "facebook.com/profile.php?id=100012345678&sk=photos",
        "https://m.facebook.com/profile.php/?id=100012345678&ref=content_filter",
        "https://www.facebook.com/profile.php?id=0100012345678",
        "https://www.facebook.com/profile.php?id=%31%30%30012345678",
        "https://www.facebook.com/profile.php?id=100012345678&id=100012345678",
        "https://www.facebook.com/100012345678",
        "https://www.facebook.com/people/John-Smith/100012345678/",
        "https://www.facebook.com/permalink.php?story_fbid=pfbid02&id=100012345678",
        "https://www.facebook.com/story.php?story_fbid=1&id=100012345678",
        "https://www.facebook.com/marketplace/profile/100012345678/",
        "https://www.facebook.com/groups/cheapwaste/user/100012345678/",
        "https://www.facebook.com/#!/profile.php?id=100012345678",
        "https://www.facebook.com/profile/100012345678"
    )
    + same(
        "facebook:id:100064123456789",
        "https://www.facebook.com/p/Cheap-Skips-Leeds-100064123456789/",
        "https://www.facebook.com/Cheap-Skips-Leeds-100064123456789",
        "https://www.facebook.com/pages/Cheap-Skips-Leeds/100064123456789?ref=hl"
    )
    + same(
        "facebook:group:cheapwaste",
        "https://www.facebook.com/groups/cheapwaste",
        "https://www.facebook.com/groups/CheapWaste/about/",
        "https://m.facebook.com/groups/cheapwaste/?ref=share&mibextid=abc",
        "facebook.com/groups/cheapwaste/members"
    )

private let xSpellings: [ProfileSpelling] =
    same(
        "x:jack",
        "https://x.com/jack",
        "https://twitter.com/Jack",
        "http://www.twitter.com/jack/",
        "mobile.twitter.com/jack",
        "https://m.twitter.com/JACK",
        "https://x.com/jack/status/20",
        "https://twitter.com/jack/status/20?s=20&t=abcDEF",
        "https://x.com/JACK/with_replies",
        "https://x.com/jack/media#top",
        "https://twitter.com/#!/jack",
        "https://twitter.com/#!/jack/status/20",
        "https://x.com/@jack",
        "https://archive.ph/newest/https://x.com/jack",
        "https://web.archive.org/web/2024/https://twitter.com/jack/status/20",
        "https://x-com.translate.goog/jack?_x_tr_sl=en",
        "https://x.com/%40jack",
        "https://x.com/%6A%61%63%6B",
        "https://x.com/intent/user?screen_name=jack",
        "https://twitter.com/intent/follow?screen_name=Jack&original_referer=x",
        "https://fxtwitter.com/jack/status/20",
        "https://vxtwitter.com/jack",
        "https://x.com/./jack/",
        "https://x.com/home/../jack",
        "https://x.com/ｊａｃｋ",
        "https://x.com:8443/jack",
        "<https://x.com/jack>",  // as pasted from an e-mail
        "\"https://x.com/jack\""
    )
    + same(
        "x:id:12",
        "https://x.com/i/user/12",
        "https://twitter.com/intent/user?user_id=12",
        "https://x.com/i/user/012",
        "https://mobile.twitter.com/i/user/12/"
    )

private let instagramSpellings: [ProfileSpelling] = same(
    "instagram:jo.smith",
    "https://www.instagram.com/jo.smith/",
    "instagram.com/Jo.Smith",
    "https://instagram.com/jo.smith?igsh=MTc4aG&utm_source=qr",
    "https://instagr.am/jo.smith",
    "https://m.instagram.com/jo.smith/",
    "https://www.instagram.com/jo.smith/p/Cx1abc/",
    "https://www.instagram.com/jo.smith/reel/Cx1abc/?hl=en",
    "https://www.instagram.com/stories/jo.smith/3123456789/",
    "https://www.instagram.com/_u/jo.smith",
    "https://www.instagram.com/jo.smith/tagged/",
    "https://www.instagram.com/@jo.smith",
    "http://WWW.INSTAGRAM.COM/jo.smith#",
    "https://www.instagram.com/jo%2Esmith",
    "https://www.instagram.com/jo.smith/reels/"
)

private let tiktokSpellings: [ProfileSpelling] = same(
    "tiktok:jo_smith",
    "https://www.tiktok.com/@jo_smith",
    "tiktok.com/@Jo_Smith?lang=en",
    "https://m.tiktok.com/@jo_smith/",
    "https://www.tiktok.com/@jo_smith/video/7234567890123456789?is_from_webapp=1&sender_device=pc",
    "https://www.tiktok.com/@jo_smith/photo/7234567890123456789",
    "https://www.tiktok.com/%40jo_smith",
    "http://tiktok.com/@jo_smith#",
    "https://www.tiktok.com/@JO_SMITH/live",
    "https://www.tiktok.com//@jo_smith?_t=8abc&_r=1"
)

private let linkedinSpellings: [ProfileSpelling] =
    same(
        "linkedin:in/jo-smith-12345",
        "https://www.linkedin.com/in/jo-smith-12345/",
        "https://uk.linkedin.com/in/jo-smith-12345",
        "linkedin.com/in/Jo-Smith-12345?originalSubdomain=uk",
        "https://m.linkedin.com/in/jo-smith-12345/details/experience/",
        "https://www.linkedin.com/in/jo-smith-12345/recent-activity/all/",
        "http://www.linkedin.com/in/jo-smith-12345/?trk=public_profile_browsemap",
        "https://de.linkedin.com/in/jo-smith-12345/en",
        "https://www.linkedin.com/IN/jo-smith-12345",
        "https://www.linkedin.com/in/jo%2Dsmith%2D12345"
    )
    + same(
        "linkedin:company/acme-skips",
        "https://www.linkedin.com/company/acme-skips/",
        "https://www.linkedin.com/company/Acme-Skips/about/",
        "https://uk.linkedin.com/company/acme-skips?trk=ppro_cprof"
    )
    + same(
        "linkedin:in/josé-garcía",
        "https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa",
        "https://www.linkedin.com/in/José-García/"
    )

private let youtubeSpellings: [ProfileSpelling] =
    same(
        "youtube:@joskips",
        "https://www.youtube.com/@JoSkips",
        "youtube.com/@joskips/videos",
        "https://m.youtube.com/@joskips/shorts?si=abc",
        "https://www.youtube.com/%40joskips",
        "https://music.youtube.com/@joskips",
        "http://youtube.com/@joskips/featured#x",
        "https://www.youtube.com/@joskips/",
        "https://www.youtube.com/@ＪｏＳｋｉｐｓ",
        "https://www.youtube.com/@joskips/community?feature=shared"
    )
    + same(
        "youtube:channel:UCabcdefghijklmnopqrst-_",
        "https://www.youtube.com/channel/UCabcdefghijklmnopqrst-_",
        "youtube.com/channel/UCabcdefghijklmnopqrst-_/videos",
        "https://m.youtube.com/channel/UCabcdefghijklmnopqrst-_?view_as=subscriber",
        "https://www.youtube.com/CHANNEL/UCabcdefghijklmnopqrst-_/",
        "https://music.youtube.com/channel/UCabcdefghijklmnopqrst-_"
    )
    + same(
        "youtube:c:joskips",
        "https://www.youtube.com/c/JoSkips",
        "https://www.youtube.com/joskips",
        "https://www.youtube.com/JoSkips/videos"
    )
    + same("youtube:user:joskips", "https://www.youtube.com/user/JoSkips", "youtube.com/user/joskips/")

private let redditSpellings: [ProfileSpelling] =
    same(
        "reddit:jo_smith",
        "https://www.reddit.com/user/jo_smith",
        "https://reddit.com/u/Jo_Smith/",
        "old.reddit.com/user/jo_smith/comments/",
        "https://new.reddit.com/user/jo_smith/submitted/?sort=new",
        "https://www.reddit.com/r/u_jo_smith/",
        "https://np.reddit.com/u/jo_smith",
        "https://www.reddit.com/user/jo_smith/comments/abc123/my_post/",
        "https://i.reddit.com/user/jo_smith",
        "https://www.reddit.com/user/jo_smith#comments",
        "https://sh.reddit.com/user/JO_SMITH/?utm_source=share&utm_medium=ios_app"
    )
    + same(
        "reddit:r/leedsfood",
        "https://www.reddit.com/r/LeedsFood/",
        "https://www.reddit.com/r/leedsfood/top/?t=week",
        "old.reddit.com/r/leedsfood/wiki"
    )

private let threadsSpellings: [ProfileSpelling] = same(
    "threads:jo.smith",
    "https://www.threads.net/@jo.smith",
    "threads.com/@Jo.Smith",
    "https://www.threads.net/@jo.smith/post/C1abcDEF",
    "https://threads.net/@jo.smith?xmt=AQGz",
    "https://www.threads.com/%40jo.smith/",
    "https://www.threads.net/@jo.smith/replies",
    "http://THREADS.NET/@jo.smith#top",
    "https://www.threads.com/@jo.smith/post/C1abcDEF/media"
)

private let blueskySpellings: [ProfileSpelling] =
    same(
        "bluesky:jo.bsky.social",
        "https://bsky.app/profile/jo.bsky.social",
        "bsky.app/profile/Jo.Bsky.Social/",
        "https://bsky.app/profile/jo.bsky.social/post/3kabcdef",
        "https://bsky.app/profile/@jo.bsky.social",
        "https://bsky.app/profile/\u{202A}jo.bsky.social\u{202C}",  // bidi marks bsky.app puts round handles
        "http://BSKY.APP/profile/jo.bsky.social?ref=x",
        "https://bsky.app/profile/jo.bsky.social/follows",
        "https://www.bsky.app/profile/jo.bsky.social#",
        "https://bsky.app/profile/jo%2Ebsky%2Esocial"
    )
    + same(
        "bluesky:did:plc:abcdefghijklmnopqrstuvwx",
        "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx",
        "https://bsky.app/profile/DID:PLC:ABCDEFGHIJKLMNOPQRSTUVWX/post/3k",
        "https://bsky.app/profile/did%3Aplc%3Aabcdefghijklmnopqrstuvwx"
    )

private let mastodonSpellings: [ProfileSpelling] =
    same(
        "mastodon:alice@mastodon.social",
        "https://mastodon.social/@alice",
        "mastodon.social/@Alice/",
        "https://mastodon.social/@alice/111222333444",
        "https://www.mastodon.social/@alice",
        "https://mastodon.social/users/alice",
        "https://mastodon.social/users/Alice/statuses/111222333444",
        "https://mastodon.social/web/@alice",
        "https://fosstodon.org/@alice@mastodon.social",
        "https://mastodon.social/@alice@mastodon.social",
        "https://mastodon.social/%40alice",
        "https://MASTODON.SOCIAL/@alice/with_replies"
    )
    + same(
        "mastodon:bob@example.social",
        "https://example.social/@bob",
        "https://mastodon.social/@bob@Example.Social",
        "http://example.social:443/@BOB/media?utm_source=x"
    )

private let snapchatSpellings: [ProfileSpelling] = same(
    "snapchat:jo.smith",
    "https://www.snapchat.com/add/jo.smith",
    "snapchat.com/add/Jo.Smith?share_id=abc&locale=en-GB",
    "https://www.snapchat.com/@jo.smith",
    "https://story.snapchat.com/@jo.smith",
    "https://www.snapchat.com/add/jo.smith/",
    "https://www.snapchat.com/@jo.smith/spotlight/W7_abc",
    "http://SNAPCHAT.COM/add/jo.smith#x",
    "https://www.snapchat.com/add/jo%2Esmith"
)

private let webSpellings: [ProfileSpelling] =
    same(
        "web:example.com/profiles/jo",
        "https://example.com/Profiles/Jo",
        // What the site ignores, or the register cannot tell it reads, is folded (issue 8 §3.2).
        "https://example.com/profiles/jo",
        "https://example.com/PROFILES/JO",
        "https://example.com/Profiles/Jo/index.html",
        "https://example.com/Profiles/Jo/Index.PHP",
        "https://example.com/Profiles/Jo/default.aspx",
        "https://example.com/Profiles/Jo;jsessionid=0A1B2C3D",
        "https://example.com/Profiles;v=2/Jo;jsessionid=0A1B2C3D/",
        "https://example.com/Profiles/Jo%20",
        "https://example.com/Profiles/%20Jo/%20",
        "https://example.com/Profiles%2FJo",
        "https://example.com/Profiles/Jo?x=1",
        "https://example.com/Profiles/Jo?x=2",
        "https://example.com/Profiles/Jo?x=3&sort=new&lang=en",
        "https://example.com/Profiles/Ｊｏ",
        "https://archive.ph/newest/https://example.com/Profiles/Jo",
        "http://www.example.com/Profiles/Jo/",
        "EXAMPLE.COM/Profiles/Jo",
        "https://m.example.com/Profiles/Jo#bio",
        "https://mobile.example.com/Profiles/Jo",
        "https://example.com:443/Profiles//Jo?utm_source=x&fbclid=y",
        "http://example.com:80/Profiles/Jo",
        "https://example.com./Profiles/./Jo",
        "https://example.com/Profiles/%4Ao",
        "https://example.com/profiles/../Profiles/Jo",
        "https://example.com/Profiles/Jo/%2E",
        "//example.com/Profiles/Jo",
        "https:example.com/Profiles/Jo",
        "https://web.archive.org/web/2023/https://example.com/Profiles/Jo",
        "https://www.google.co.uk/url?q=https://example.com/Profiles/Jo&sa=D&ust=1"
    )
    + same(
        "web:example.com/caf%C3%A9",
        "https://example.com/caf\u{E9}",  // é as one scalar (NFC)
        "https://example.com/cafe\u{301}",  // e + combining acute (NFD)
        "https://example.com/cafe%CC%81",
        "https://example.com/CAF\u{C9}",
        "https://example.com/CAFE\u{301}/"
    )
    + same(
        "web:forum.example.org/member.php?u=12",
        "https://forum.example.org/member.php?u=12",
        "https://forum.example.org/member.php?utm_medium=social&u=12",
        "https://forum.example.org/member.php?u=%31%32",
        "https://forum.example.org/member.php?u=12#post",
        "https://forum.example.org/member.php?&u=12&"
    )
    + same(
        "web:example.org/p",
        "https://example.org/p?b=2&a=1",
        "https://example.org/p?a=1&b=2&utm_campaign=x",
        "https://example.org/p/?a=1&gclid=abc&b=2",
        "https://example.org/p?flag",
        "https://example.org/p?flag=",
        "https://example.org/p?x=1+2",
        "https://example.org/p?x=1%2B2",
        "https://example.org/p?k=1&k=2",
        "https://example.org/p?k=2&k=1"
    )
    + same(
        "web:forum.example.org/memberlist.php?u=7",
        "https://forum.example.org/memberlist.php?mode=viewprofile&u=7&sid=0123abcd",
        "https://forum.example.org/MemberList.php?U=7"
    )
    + same(
        "web:example.com/caf%C3%A9/~jo",
        "https://example.com/café/~jo",
        "https://example.com/caf%c3%a9/%7Ejo",
        "https://example.com/caf%C3%A9/%7ejo"
    )
    + same(
        "web:xn--bcher-kva.example/jo",
        "https://bücher.example/jo",
        "https://xn--bcher-kva.example/jo",
        "https://XN--BCHER-KVA.example/jo",
        "https://BÜCHER.example/jo",
        "https://b%C3%BCcher.example/jo"
    )
    + same("web:xn--r8jz45g.xn--zckzah", "https://例え.テスト/", "https://xn--r8jz45g.xn--zckzah")
    + same("web:xn--e1afmkfd.xn--p1ai/jo", "пример.рф/jo", "https://ПРИМЕР.РФ/jo")
    + same(
        "web:127.0.0.1/jo",
        "http://127.0.0.1/jo",
        "http://0x7f.1/jo",
        "http://0177.0.0.1/jo",
        "http://127.1/jo",
        "http://2130706433/jo"
    )
    + same("web:example.com:8080/jo", "example.com:8080/jo", "http://EXAMPLE.com:08080/jo/")
    + same(
        "web:example.com", "https://example.com", "http://www.example.com/", "example.com/#top",
        "https://example.com/?utm_source=x")
    + same("web:medium.com/@jo", "https://medium.com/@jo", "https://www.medium.com/@jo/")
    + same("web:example.com/users/jo", "https://example.com/users/jo")  // /users/ is Mastodon only on known instances

private let allSpellings =
    facebookSpellings + xSpellings + instagramSpellings + tiktokSpellings + linkedinSpellings + youtubeSpellings
    + redditSpellings + threadsSpellings + blueskySpellings + mastodonSpellings + snapchatSpellings + webSpellings

// MARK: - Near misses

private let nearMisses: [ProfileNearMiss] = [
    distinct("https://www.facebook.com/john.smith", "https://www.facebook.com/john.smith2"),
    distinct("https://www.facebook.com/profile.php?id=1", "https://www.facebook.com/profile.php?id=12"),
    distinct("https://www.facebook.com/profile.php?id=1", "https://www.facebook.com/1.2"),
    distinct("https://www.facebook.com/john.smith", "https://www.facebook.com/groups/john.smith"),
    distinct("https://www.facebook.com/groups/cheap.waste", "https://www.facebook.com/groups/cheapwaste"),
    distinct("https://x.com/jo", "https://x.com/joe"),
    distinct("https://x.com/jo", "https://x.com/jo_"),
    distinct("https://x.com/i/user/12", "https://x.com/i/user/120"),
    distinct("https://www.instagram.com/jo.smith", "https://www.instagram.com/josmith"),  // Instagram dots count
    distinct("https://www.instagram.com/jo.smith", "https://www.instagram.com/jo_smith"),
    distinct("https://www.instagram.com/jo.smith", "https://www.threads.net/@jo.smith"),
    distinct("https://www.tiktok.com/@jo", "https://www.tiktok.com/@jo_"),
    distinct("https://www.linkedin.com/in/acme", "https://www.linkedin.com/company/acme"),
    distinct(
        "https://www.youtube.com/channel/UCabcdefghijklmnopqrst-_",
        "https://www.youtube.com/channel/UCABCDEFGHIJKLMNOPQRST-_"),
    distinct("https://www.youtube.com/@jo", "https://www.youtube.com/c/jo"),
    distinct("https://www.youtube.com/c/jo", "https://www.youtube.com/user/jo"),
    distinct("https://www.youtube.com/@jo", "https://www.youtube.com/@j\u{43E}"),  // Cyrillic о
    distinct("https://www.reddit.com/user/leeds", "https://www.reddit.com/r/leeds"),
    distinct("https://bsky.app/profile/jo.bsky.social", "https://bsky.app/profile/jo2.bsky.social"),
    distinct("https://mastodon.social/@alice", "https://fosstodon.org/@alice"),
    distinct("https://mastodon.social/@alice", "https://mastodon.social/@alice2"),
    distinct("https://www.snapchat.com/add/jo.smith", "https://www.snapchat.com/add/josmith"),
    distinct("https://example.com/jo", "https://example.com.evil.net/jo"),
    distinct("https://www.facebook.com/jo.smith", "https://facebook.com.evil.net/jo.smith"),
    distinct("https://www.facebook.com/jo.smith", "https://evil-facebook.com/jo.smith"),
    distinct("https://www.facebook.com/jo.smith", "https://f\u{430}cebook.com/jo.smith"),  // Cyrillic а
    distinct("https://x.com/jack", "https://x.com.evil.net/jack"),
    distinct("https://apple.com/jo", "https://\u{430}pple.com/jo"),
    distinct("https://example.com/%2541", "https://example.com/A"),  // decoded once, as a server does
    distinct("https://example.com:8080/jo", "https://example.com/jo"),
    distinct("http://127.0.0.1/jo", "http://127.0.0.2/jo"),
    distinct("https://example.com/jo", "https://example.co/jo"),
    distinct("https://www2.example.com/jo", "https://example.com/jo"),
    // Identifying parameters the pack lists stay apart; the register does not merge two members.
    distinct("https://forum.example.org/member.php?u=12", "https://forum.example.org/member.php?u=13"),
    distinct("https://example.com/caf\u{E9}", "https://example.com/cafe"),
    distinct("https://www.youtube.com/@caf\u{E9}", "https://www.youtube.com/@cafe"),
    // An archive's timestamp is not the archived site.
    distinct(
        "https://archive.ph/2024.01.01-120000/https://x.com/jack", "https://archive.ph/2024.01.02-120000/https://x.com/jo"),
]

// MARK: - Refusals

private let refusals: [ProfileRefusal] =
    refused(
        .notAWebAddress,
        "", "   ", "\n", "jo", "@jo", "facebook", "alice@mastodon.social", "jo@example.com", "localhost/jo",
        "@alice@mastodon.social"
    )
    + refused(
        .unsupportedScheme,
        "mailto:jo@example.com", "ftp://example.com/jo", "javascript:alert(1)", "fb://profile/123",
        "data:text/html,hi", "view-source:https://x.com/jo", "hxxps://x.com/jo", "file:///etc/passwd",
        "instagram://user?username=jo", "tel:+441234567890"
    )
    + refused(
        .userInfo,
        "https://jo@facebook.com/jo", "facebook.com@evil.net/jo", "https://facebook.com@evil.net/jo",
        "https://user:pass@example.com/x", "http://www.facebook.com:443@evil.net/john.smith", "//x.com@evil.net/jack"
    )
    + refused(
        .invalidHost,
        "https:///jo", "http://[::1]/jo", "https://example..com/jo", "https://example.com:99999/jo",
        "https://example.com:http/jo", "https://ex!ample.com/jo", "https://256.256.256.256/", "https://1.2.3.4.5/",
        "https://example.com%zz/x", "https://facebook.com%40evil.net/jo", "https://./jo", "https://example.com../jo"
    )
    + refused(
        .malformed,
        "https://example.com/a%zz", "https://example.com/a%FF", "https://example.com/a%",
        "https://example.com\\@facebook.com/jo",
        "https://x.com/jo bob", "https://x.com/jo\nbob", "https://x.com/jo\tbob", "https://x.com/jo\u{1B}[31m",
        "https://example.com/" + String(repeating: "a", count: 5000),
        "https://www.facebook.com/profile.php?id=1&id=2", "https://x.com/intent/user?screen_name=a&user_id=1",
        "https://example.com/?q=%zz", "https://www.google.com/url?q=https://x.com/a&url=https://x.com/b",
        "https://forum.example.org/member.php?u=12&u=13",
        // Copies nested beyond the bound.
        "https://archive.ph/newest/https://archive.ph/newest/https://archive.ph/newest/https://archive.ph/newest/https://x.com/jack"
    )
    + refused(
        .noAccount,
        "https://www.instagram.com/p/Cx1abc/", "https://www.instagram.com/reel/Cx1abc",
        "https://www.instagram.com/tv/Cx1",
        "https://instagram.com/explore/tags/skips", "https://www.instagram.com/",
        "https://www.instagram.com/stories/highlights/1/",
        "https://help.instagram.com/jo", "https://x.com/", "https://x.com/home", "https://x.com/search?q=jo",
        "https://x.com/i/web/status/123", "https://twitter.com/explore", "https://x.com/hashtag/foo",
        "https://x.com/intent/tweet?text=hi", "https://twitter.com/#!/", "https://www.facebook.com/",
        "https://www.facebook.com/watch/?v=123", "https://www.facebook.com/groups/",
        "https://www.facebook.com/groups/feed/",
        "https://www.facebook.com/groups/cheapwaste/posts/123", "https://www.facebook.com/photo.php?fbid=1",
        "https://www.facebook.com/photo/?fbid=1&set=a.2", "https://www.facebook.com/events/123",
        "https://www.facebook.com/marketplace/item/123", "https://www.facebook.com/share/p/abc/",
        "https://www.facebook.com/reel/123", "https://www.facebook.com/profile.php", "https://www.facebook.com/me",
        "https://www.facebook.com/permalink.php?story_fbid=1", "https://fb.me/abc", "https://fb.watch/abc",
        "https://m.me/jo.smith", "https://l.facebook.com/l.php?h=AT0abc",
        "https://developers.facebook.com/docs", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&ab_channel=Jo",
        "https://youtu.be/dQw4w9WgXcQ", "https://www.youtube.com/shorts/abc",
        "https://www.youtube.com/results?search_query=jo",
        "https://www.youtube.com/", "https://www.youtube.com/embed/abc", "https://vm.tiktok.com/ZMabc/",
        "https://www.tiktok.com/t/ZTabc/", "https://www.tiktok.com/discover/skips", "https://www.tiktok.com/",
        "https://www.tiktok.com/jo_smith", "https://www.reddit.com/r/leeds/comments/abc/title/", "https://redd.it/abc",
        "https://www.reddit.com/r/all", "https://www.reddit.com/r/leeds/s/AbC", "https://www.reddit.com/jo",
        "https://www.linkedin.com/posts/jo_title-activity-123", "https://lnkd.in/abc",
        "https://www.linkedin.com/pub/jo-smith/1/2/3", "https://www.linkedin.com/feed/", "https://www.linkedin.com/in/",
        "https://t.co/abc", "https://bit.ly/abc", "https://www.bit.ly/abc", "https://www.threads.net/",
        "https://www.threads.net/jo.smith", "https://bsky.app/", "https://bsky.app/search?q=x",
        "https://go.bsky.app/abc",
        "https://www.snapchat.com/", "https://t.snapchat.com/abc", "https://www.snapchat.com/spotlight/abc",
        "https://accounts.snapchat.com/jo", "https://www.google.com/url?q=https://x.com/search",
        "https://web.archive.org/web/2020/https://www.instagram.com/p/abc",
        // An archive's short snapshot id hides which page it holds.
        "https://archive.ph/AbCdE", "https://archive.ph/", "https://web.archive.org/web/2024/"
    )
    + refused(
        .mirror,
        "https://nitter.net/jack", "https://nitter.poast.org/jack", "https://nitter.example.org/jack/status/20",
        "https://xcancel.com/jack", "https://yewtu.be/channel/UCabcdefghijklmnopqrst-_",
        "https://invidious.example.net/@jo", "https://www.picuki.com/profile/jo.smith", "https://redlib.example.org/user/jo",
        "https://archive.ph/newest/https://nitter.net/jack"
    )
    + refused(
        .invalidAccount,
        "https://x.com/jo-bob", "https://x.com/jo%2Fbob", "https://www.instagram.com/j\u{43E}hn",
        "https://www.facebook.com/jo_smith",
        "https://www.facebook.com/jo%21", "https://www.facebook.com/Some-Page",
        "https://www.youtube.com/channel/UCshort",
        "https://www.youtube.com/channel/ucabcdefghijklmnopqrst-_", "https://bsky.app/profile/jo",
        "https://bsky.app/profile/did:plc:short",
        "https://bsky.app/profile/did:key:z6Mk", "https://www.reddit.com/user/jo!", "https://www.tiktok.com/@jo-smith",
        "https://www.facebook.com/profile.php?id=abc", "https://x.com/intent/user?user_id=abc",
        "https://www.instagram.com/" + String(repeating: "a", count: 31), "https://www.linkedin.com/in/jo%20smith"
    )

// MARK: - Stored keys that are not canonical

private let nonCanonicalKeys: [String] = [
    "", "jo", ":jo", "twitter:jack", "X:jack", "x:Jack", "x:", "x:jack/status/1", "x:@jack", "x:jack ",
    "facebook:john.smith", "facebook:JohnSmith", "facebook:id:012", "facebook:id:", "facebook:id:abc",
    "facebook:group:CheapWaste", "instagram:jo.smith\n", "youtube:channel:ucabcdefghijklmnopqrst-_",
    "youtube:c:JoSkips",
    "youtube:@JoSkips", "mastodon:Alice@mastodon.social", "mastodon:alice", "mastodon:alice@www.mastodon.social",
    "bluesky:Jo.bsky.social", "reddit:r/LeedsFood", "linkedin:in/jo-smith/extra", "tiktok:@jo",
    "web:www.example.com/jo", "web:EXAMPLE.com", "web:example.com/", "web:facebook.com/jo",
    "web:example.com/a?utm_source=x",
    "web:example.com/b?z=1&a=2", "web:example.com/a#b", "web:example.com/ a", "web:example.com/%7ejo",
    "web:example.com:443/jo",
    "web:mastodon.social/@alice", "web:", "web:https://example.com",
    "web:example.com/Jo", "web:example.com/jo/index.html", "web:example.com/jo;s=1", "web:example.com/a?x=1",
    "web:example.com/cafe\u{301}", "web:archive.ph/newest/https://x.com/jack", "web:nitter.net/jack",
]

// MARK: - Spellings an investigator could derive from any address

/// Rewrites of `raw` that RIPA.md §5 says name the same profile: the other scheme, upper-case
/// scheme and host, a fragment, a tracking parameter, a trailing slash, a doubled slash, the
/// default port and a `www.` prefix.
private func variants(of raw: String) -> [String] {
    let address = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    guard let first = address.unicodeScalars.first, first == "/" || first.properties.isAlphabetic else { return [] }
    // Hashbang addresses carry their path in the fragment, and bidi controls are removed
    // before parsing; both are covered by the tables instead.
    guard !address.contains("#!"), !address.unicodeScalars.contains(where: { $0.value == 0x202A }) else { return [] }
    var scheme = ""
    var rest = address
    if let separator = address.range(of: "://"), address[..<separator.lowerBound].allSatisfy(\.isLetter) {
        scheme = String(address[..<separator.upperBound])
        rest = String(address[separator.upperBound...])
    } else if address.hasPrefix("//") {
        scheme = "//"
        rest = String(address.dropFirst(2))
    } else if address.lowercased().hasPrefix("https:") {
        return []
    }
    let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
    let authority = String(rest[..<authorityEnd])
    guard !authority.isEmpty else { return [] }
    var tail = String(rest[authorityEnd...])
    var fragment = ""
    if let hash = tail.firstIndex(of: "#") {
        fragment = String(tail[hash...])
        tail = String(tail[..<hash])
    }
    var query = ""
    if let question = tail.firstIndex(of: "?") {
        query = String(tail[question...])
        tail = String(tail[..<question])
    }
    let path = tail
    func build(
        scheme s: String = scheme, authority a: String = authority, path p: String = path, query q: String = query,
        fragment f: String = fragment
    ) -> String {
        s + a + p + q + f
    }
    let hostOnly = authority.split(separator: ":").first.map(String.init) ?? authority
    let lastLabel = hostOnly.split(separator: ".").last.map { $0.lowercased() } ?? ""
    let numericHost = lastLabel.allSatisfy(\.isNumber) || lastLabel.hasPrefix("0x")

    var out = [
        build(scheme: scheme == "http://" ? "https://" : "http://"),
        build(scheme: scheme.uppercased(), authority: authority.uppercased()),
        build(fragment: fragment.isEmpty ? "#section" : fragment + "x"),
        build(query: query.isEmpty ? "?utm_source=test&fbclid=abc" : query + "&utm_campaign=test&gclid=abc"),
        build(path: "/" + path),
    ]
    if !path.hasSuffix("/") { out.append(build(path: path + "/")) }
    if !authority.contains(":") { out.append(build(authority: authority + ":443")) }
    if !numericHost, !authority.lowercased().contains(".translate.goog") {
        out.append(build(authority: "www." + authority))
    }
    return out
}

// MARK: - Tests

@Suite("Profile identity (RIPA.md §5, Same profile)")
struct ProfileKeyTests {
    @Test("every spelling of an account gives its one key", arguments: allSpellings)
    func spellingGivesKey(_ row: ProfileSpelling) throws {
        let key = try ProfileKey(address: row.address)
        #expect(key.description == row.key)
        #expect(key.platform.rawValue == String(row.key.prefix(while: { $0 != ":" })))
    }

    @Test("a key reads back from its stored form and from its canonical address", arguments: allSpellings)
    func roundTrip(_ row: ProfileSpelling) throws {
        let key = try ProfileKey(address: row.address)
        #expect(try ProfileKey(parsing: key.description) == key)
        #expect(try ProfileKey(address: key.canonicalAddress) == key)
        #expect(try ProfileKey(address: key.canonicalAddress).description == key.description)
    }

    @Test(
        "scheme, case, fragment, tracking, slashes, default port and www. never change a key", arguments: allSpellings)
    func derivedSpellings(_ row: ProfileSpelling) throws {
        for variant in variants(of: row.address) {
            let key = try ProfileKey(address: variant)
            #expect(key.description == row.key, "\(variant.debugDescription)")
        }
    }

    @Test("the tables cover every platform with at least 8 spellings each")
    func coverage() {
        let byPlatform = Dictionary(grouping: allSpellings, by: { $0.key.prefix(while: { $0 != ":" }) })
        for platform in Platform.allCases {
            #expect((byPlatform[Substring(platform.rawValue)]?.count ?? 0) >= 8, "\(platform)")
        }
        // The derived-spelling test is not vacuous: nearly every row yields its eight rewrites.
        #expect(allSpellings.map { variants(of: $0.address).count }.reduce(0, +) >= 7 * allSpellings.count)
    }

    @Test("near misses stay distinct", arguments: nearMisses)
    func nearMissesStayDistinct(_ pair: ProfileNearMiss) throws {
        let first = try ProfileKey(address: pair.first)
        let second = try ProfileKey(address: pair.second)
        #expect(first != second)
        #expect(first.description != second.description)
    }

    @Test(
        "look-alike and spoofed hosts are never the platform",
        arguments: [
            "https://facebook.com.evil.net/jo.smith", "https://evil-facebook.com/jo.smith",
            "https://f\u{430}cebook.com/jo.smith",
            "https://x.com.evil.net/jack", "https://instagram.com.evil.net/jo", "https://myfacebook.com/jo.smith",
            "https://facebook.co/jo.smith", "https://twltter.com/jack",
        ])
    func spoofedHostsAreWeb(_ address: String) throws {
        #expect(try ProfileKey(address: address).platform == .web)
    }

    @Test("refused addresses give the right code and a one-line message", arguments: refusals)
    func refusal(_ row: ProfileRefusal) {
        #expect {
            _ = try ProfileKey(address: row.input)
        } throws: { error in
            guard let error = error as? ProfileAddressError else { return false }
            return error.code == row.code && !error.message.contains("\n") && !error.message.contains("\r")
                && !error.message.contains("\u{1B}") && error.message.contains(";")
                && error.description == error.message
        }
    }

    @Test("stored keys that are not canonical are refused", arguments: nonCanonicalKeys)
    func nonCanonicalKeyRefused(_ key: String) {
        #expect {
            _ = try ProfileKey(parsing: key)
        } throws: { error in
            (error as? ProfileAddressError)?.code == .malformedKey
        }
    }

    @Test("the message for a post without its account says what to give instead")
    func postMessage() throws {
        let error = try #require(throws: ProfileAddressError.self) {
            try ProfileKey(address: "https://www.instagram.com/p/Cx1")
        }
        #expect(error.code == .noAccount)
        #expect(
            error.message
                == "https://www.instagram.com/p/Cx1 is the address of a post that does not show its account; give the address of the profile (https://www.instagram.com/NAME)"
        )
    }

    @Test("the message for a user-info address names the host a browser would open")
    func userInfoMessage() throws {
        let error = try #require(throws: ProfileAddressError.self) {
            try ProfileKey(address: "https://www.facebook.com@evil.net/john.smith")
        }
        #expect(error.code == .userInfo)
        #expect(error.message.contains("would open evil.net"))
    }

    @Test("control characters in the input are escaped in the message, and long input is cut")
    func messageEscapesInput() throws {
        let error = try #require(throws: ProfileAddressError.self) {
            try ProfileKey(address: "https://x.com/jo\u{1B}[2J\u{202E}fake")
        }
        #expect(error.message.contains("\\u{1B}"))
        #expect(!error.message.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
        let long = try #require(throws: ProfileAddressError.self) {
            try ProfileKey(address: "https://example.com/" + String(repeating: "a", count: 5000))
        }
        #expect(long.message.count < 400)
    }

    @Test("keys encode as their stored form and decoding refuses a non-canonical key")
    func codable() throws {
        let keys = try [
            "https://x.com/Jack", "https://www.facebook.com/profile.php?id=4", "https://example.com/Jo?b=1&a=2",
        ]
        .map { try ProfileKey(address: $0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = try encoder.encode(keys)
        #expect(String(decoding: data, as: UTF8.self) == #"["x:jack","facebook:id:4","web:example.com/jo"]"#)
        #expect(try JSONDecoder().decode([ProfileKey].self, from: data) == keys)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ProfileKey].self, from: Data(#"["x:Jack"]"#.utf8))
        }
    }

    @Test("keys order by their stored form and hash by identity")
    func orderingAndHashing() throws {
        let keys = try ["https://x.com/b", "https://www.facebook.com/zuck", "https://x.com/a", "https://example.com/"]
            .map { try ProfileKey(address: $0) }
        #expect(keys.sorted().map(\.description) == ["facebook:zuck", "web:example.com", "x:a", "x:b"])
        let set = try Set(
            ["https://x.com/jack", "https://twitter.com/JACK/status/1", "x.com/jack/"].map {
                try ProfileKey(address: $0)
            })
        #expect(set.count == 1)
    }

    @Test("the key's parts are exposed")
    func parts() throws {
        let key = try ProfileKey(address: "https://mastodon.social/@Alice@Fosstodon.org")
        #expect(key.platform == .mastodon)
        #expect(key.account == "alice@fosstodon.org")
        #expect(key.description == "mastodon:alice@fosstodon.org")
        #expect(key.canonicalAddress == "https://fosstodon.org/@alice")
    }

    // MARK: Issue 8 §3

    @Test("a mirror is refused with a message saying to view the profile on the platform itself")
    func mirrorMessage() throws {
        let error = try #require(throws: ProfileAddressError.self) {
            try ProfileKey(address: "https://nitter.poast.org/jack/status/20")
        }
        #expect(error.code == .mirror)
        #expect(error.message.contains("view the profile on X itself"), "\(error.message)")
        #expect(error.message.contains("https://x.com/NAME"))
    }

    @Test("the last address normalised is remembered by its exact bytes and the rules it was read with")
    func memoIsExact() throws {
        let composed = "https://www.youtube.com/@caf\u{E9}"
        let decomposed = "https://www.youtube.com/@cafe\u{301}"
        #expect(composed == decomposed, "Swift's == treats the two spellings as one string")
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        let first = try ProfileKey(address: composed)
        let second = try ProfileKey(address: decomposed)
        // One account (NFC), and the key is the composed bytes either way, so a stored key
        // reads back whichever spelling came first.
        #expect(first == second)
        #expect(Array(second.description.utf8) == Array("youtube:@caf\u{E9}".utf8))
        #expect(try ProfileKey(parsing: second.description) == second)

        // The memo must not answer for the same address under other rules.
        let address = "https://copies.example/2024/https://x.com/jack"
        var rules = ProfileAddressRules.defaults
        rules.copies.append(.init(host: "copies.example", addressIn: .path))
        #expect(try ProfileKey(address: address).platform == .web)
        #expect(try ProfileKey(address: address, rules: rules).description == "x:jack")
        #expect(try ProfileKey(address: address).platform == .web)
    }

    @Test("keys of unknown sites are idempotent: the canonical address gives the key again", arguments: [
        "https://example.com/Caf\u{E9}/Jo;x=1/Index.HTML?X=1#f", "https://example.com/%20a%20/%2Fb/", "https://example.com/Ｐ／Ｑ",
        "https://forum.example.org/Member.php?U=Ab&x=1",
    ])
    func webKeysAreIdempotent(_ address: String) throws {
        let key = try ProfileKey(address: address)
        #expect(try ProfileKey(address: key.canonicalAddress).description == key.description)
        #expect(try ProfileKey(parsing: key.description) == key)
    }
}
