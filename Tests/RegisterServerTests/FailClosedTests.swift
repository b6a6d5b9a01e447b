import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import RIPA
import Testing

@testable import RegisterServer

/// Fail closed (issue 10 §4): a register that fails verification when the server starts is
/// still read, but every write is refused and every page shows the finding.
@Suite struct FailClosedTests {
    @Test("a tampered register: reads go on, the finding is shown, writes are refused and nothing is written")
    func writesAreRefused() async throws {
        let scene = try await WebScene()
        var lines: [LogLine] = []
        try await scene.services.verification.log(from: 0, described: true) { lines += $0 }
        let invitation = try #require(lines.first { $0.kind == "user.invited" && $0.leaf.contains("Ivy Irwin") })
        try scene.auditTamper("UPDATE entries SET leaf = CAST(replace(CAST(leaf AS TEXT), 'Ivy Irwin', 'Ivy Irwim') AS BLOB) WHERE seq = \(invitation.seq);")
        let size = try await scene.services.verification.size()
        try await scene.app().test(.router) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .serviceUnavailable)
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let home = try await ivan.get("/")
            #expect(home.status == .ok, "reads go on")
            #expect(home.body.contains("The register failed verification"))
            #expect(home.body.contains("\(invitation.seq)"), "the finding names the entry")
            let form = try await ivan.get("/looks/new")
            let look = try await ivan.submit("/looks", from: form, [
                ("address", "https://www.facebook.com/sam.subject"), ("case_ref", "CR-1"), ("purpose", "first look"), ("urn", ""),
            ])
            #expect(look.status == .serviceUnavailable)
            #expect(look.body.contains("nothing can be written"))
            #expect(try await scene.services.verification.size() == size, "nothing was written")
        }
    }
}
