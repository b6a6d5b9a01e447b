import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RIPA
import Testing

@testable import RegisterServer

/// Every officer's iCalendar feed of reviews and expiries (RFC 5545), behind a secret token.
@Suite struct CalendarTests {
    /// The feed path on a user's calendar page.
    static func feedPath(_ browser: inout Browser) async throws -> String {
        let page = try await browser.get("/calendar")
        #expect(page.status == .ok)
        #expect(page.body.contains("changes whenever the register"), "the page says the address changes at a restart")
        return try #require(auditBetween(page.body, #"<pre id="feed-address">"#, "</pre>"))
    }

    /// Checks the feed's form; its unfolded content lines.
    static func lines(of feed: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        #expect(feed.hasSuffix("\r\n"), sourceLocation: sourceLocation)
        let raw = feed.components(separatedBy: "\r\n").dropLast()
        #expect(!feed.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends CRLF", sourceLocation: sourceLocation)
        for line in raw { #expect(line.utf8.count <= 75, "\(line)", sourceLocation: sourceLocation) }
        var unfolded: [String] = []
        for line in raw {
            if line.hasPrefix(" ") { unfolded[unfolded.count - 1] += line.dropFirst() } else { unfolded.append(line) }
        }
        var open: [String] = []
        for line in unfolded {
            if line.hasPrefix("BEGIN:") { open.append(String(line.dropFirst(6))) }
            if line.hasPrefix("END:") { #expect(open.popLast() == String(line.dropFirst(4)), "\(line)", sourceLocation: sourceLocation) }
        }
        #expect(open.isEmpty, sourceLocation: sourceLocation)
        #expect(unfolded.first == "BEGIN:VCALENDAR" && unfolded.last == "END:VCALENDAR", sourceLocation: sourceLocation)
        for required in ["VERSION:2.0", "CALSCALE:GREGORIAN"] { #expect(unfolded.contains(required), sourceLocation: sourceLocation) }
        #expect(unfolded.contains { $0.hasPrefix("PRODID:") }, sourceLocation: sourceLocation)
        return unfolded
    }

    @Test func anOfficersFeedHasTheirReviewsAndExpiriesAndNoNames() async throws {
        let scene = try await WebScene()
        let (urn, _) = try await scene.auditCase(operation: "Op Kestrel", applicant: "ivan", subject: "Sam Subject")
        try await scene.app().test(.router) { client in
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let path = try await Self.feedPath(&ivan)
            #expect(path.hasPrefix("/calendar/") && path.hasSuffix(".ics"))

            // The calendar app has no session.
            var app = Browser(client)
            let feed = try await app.get(path)
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType] == "text/calendar; charset=utf-8")
            let lines = Self.lines(of: feed.body)
            #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 2, "a review and an expiry: \(lines)")
            #expect(lines.contains("UID:\(urn)-review@ripa.test-council.gov.uk"))
            #expect(lines.contains("UID:\(urn)-expiry@ripa.test-council.gov.uk"))
            #expect(lines.contains("SUMMARY:Review due: \(urn)"))
            #expect(lines.filter { $0.hasPrefix("DTSTART;VALUE=DATE:") }.allSatisfy { $0.count == "DTSTART;VALUE=DATE:".count + 8 })
            #expect(lines.filter { $0.hasPrefix("DTSTAMP:") }.count == 2)
            // The shipped pack: first review 28 days after the grant on 2 March; expiry at the end of 1 June.
            let review = try await scene.services.casework.authorisation(urn).nextReview
            #expect(lines.contains("DTSTART;VALUE=DATE:" + (review?.description ?? "").replacingOccurrences(of: "-", with: "")))
            #expect(lines.contains("DTSTART;VALUE=DATE:20260601"))
            #expect(!feed.body.contains("Sam Subject") && !feed.body.contains("Kestrel") && !feed.body.contains("fraud"))
            // The description's semicolons are escaped.
            let description = try #require(lines.first { $0.hasPrefix("DESCRIPTION:") && $0.contains("expires") })
            #expect(description.contains("\\;") && !description.replacingOccurrences(of: "\\;", with: "").contains(";"))
            #expect(try await app.get(path).body.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") }
                == lines.filter { $0.hasPrefix("UID:") }, "the UIDs are stable")

            // The authorising officer sees the case; another investigator does not.
            var mo = Browser(client)
            try await mo.signIn("mo")
            let moFeed = try await app.get(try await Self.feedPath(&mo))
            #expect(Self.lines(of: moFeed.body).filter { $0 == "BEGIN:VEVENT" }.count == 2)
            var ivy = Browser(client)
            try await ivy.signIn("ivy")
            let ivyPath = try await Self.feedPath(&ivy)
            #expect(ivyPath != path)
            let ivyFeed = try await app.get(ivyPath)
            #expect(Self.lines(of: ivyFeed.body).filter { $0 == "BEGIN:VEVENT" }.isEmpty)
            #expect(!ivyFeed.body.contains(urn))

            #expect(try await app.get("/calendar/not-a-token.ics").status == .notFound)
            var tampered = path
            tampered.replaceSubrange(tampered.index(tampered.startIndex, offsetBy: 12)...tampered.index(tampered.startIndex, offsetBy: 12), with: path.dropFirst(12).first == "A" ? "B" : "A")
            #expect(try await app.get(tampered).status == .notFound)
            #expect(try await app.get("/calendar").status == .seeOther, "the page itself needs a sign-in")
        }
    }

    @Test func aNewServerGivesNewTokens() async throws {
        let scene = try await WebScene()
        let first = AuditBox("")
        try await scene.app().test(.router) { client in
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let path = try await Self.feedPath(&ivan)
            first.withLock { $0 = path }
        }
        let old = first.withLock { $0 }
        try await scene.app().test(.router) { client in
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            #expect(try await Self.feedPath(&ivan) != old)
            var app = Browser(client)
            #expect(try await app.get(old).status == .notFound)
        }
    }

    @Test func textIsEscapedAndLinesFoldedAt75Octets() {
        #expect(CalendarFeed.escape(#"a;b,c\d"# + "\ne") == #"a\;b\,c\\d\ne"#)
        let long = "DESCRIPTION:" + String(repeating: "é€x", count: 60)
        let folded = CalendarFeed.fold(long)
        let parts = folded.components(separatedBy: "\r\n")
        #expect(parts.count > 2)
        for part in parts {
            #expect(part.utf8.count <= 75)
            #expect(String(validating: Array(part.utf8), as: UTF8.self) != nil)
        }
        #expect(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(parts.first! + parts.dropFirst().map { String($0.dropFirst()) }.joined() == long)
        #expect(CalendarFeed.fold("SHORT:x") == "SHORT:x")
    }

    @Test func theTokenIsHMACSHA256() {
        // RFC 4231 test case 2.
        let mac = CalendarFeed.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(mac.map { String(format: "%02x", $0) }.joined() == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}
