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
}
