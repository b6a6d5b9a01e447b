import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import RegisterServer

/// The central record's table a page at a time (50 rows), the CSV whole.
@Suite struct RecordPagingTests {
    @Test func fiftyRowsAPageWithLinksBetweenAndTheCSVWhole() async throws {
        let scene = try await WebScene()
        var urns: [String] = []
        for index in 0..<53 { urns.append(try await scene.auditCase(operation: "Op \(index)").urn) }
        let made = urns
        try await scene.app().test(.router) { client in
            var browser = Browser(client)
            try await browser.signIn("ada")
            let first = try await browser.get("/record")
            #expect(first.status == .ok)
            #expect(first.body.contains("Showing 1 to 50 of 53"))
            #expect(first.body.contains(made[49]) && !first.body.contains(">\(made[50])<") && !first.body.contains(made[52]))
            #expect(first.body.contains(#"href="/record?page=2" rel="next""#))
            #expect(!first.body.contains(#"rel="prev""#))
            let second = try await browser.get("/record?page=2")
            #expect(second.body.contains("Showing 51 to 53 of 53"))
            #expect(second.body.contains(made[52]) && !second.body.contains(made[0] + "<"))
            #expect(second.body.contains(#"href="/record" rel="prev""#) && !second.body.contains(#"rel="next""#))
            let beyond = try await browser.get("/record?page=99")
            #expect(beyond.status == .ok && !beyond.body.contains(made[0]))
            let csv = try await browser.get("/record.csv")
            #expect(csv.body.split(whereSeparator: \.isNewline).count == 54, "a header and every row")
        }
    }

    @Test("a held page carries each session's own CSRF token and is rendered again once the register grows")
    func heldPages() async throws {
        let scene = try await WebScene()
        let first = try await scene.auditCase(operation: "Op First").urn
        try await scene.app().test(.router) { client in
            var ada = Browser(client)
            try await ada.signIn("ada")
            var mo = Browser(client)
            try await mo.signIn("mo")
            let adaPage = try await ada.get("/record")
            let again = try await ada.get("/record")
            #expect(adaPage.body == again.body)
            #expect(adaPage.body.contains(first))
            let moPage = try await mo.get("/record")
            #expect(moPage.csrf != nil && moPage.csrf != adaPage.csrf, "each session's own token")
            #expect(!adaPage.body.contains(PageCache.csrfMark) && !moPage.body.contains(PageCache.csrfMark))
            let out = try await ada.submit("/sign-out", from: again, [])
            #expect(out.status == .seeOther, "the token in a held page is the session's and works")
            let second = try await scene.auditCase(operation: "Op Second").urn
            let grown = try await mo.get("/record")
            #expect(grown.body.contains(second))
            let casePage = try await mo.get("/cases/\(second)")
            #expect(casePage.body.contains(second) && casePage.csrf == moPage.csrf)
        }
    }
}
