import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RIPA
import Testing

@testable import RegisterServer

extension Browser {
    /// Looks at a profile through the form.
    mutating func look(_ address: String, urn: String = "", caseRef: String = "FR-2026-17") async throws -> Page {
        let form = try await get("/looks/new")
        return try await submit("/looks", from: form, [("address", address), ("case_ref", caseRef), ("purpose", "Check the listings"), ("urn", urn)])
    }
}

/// Looking at profiles through the register (issue 10 §2).
@Suite struct LookPagesTests {
    static let link = #"<a href="https://www.facebook.com/jo.bloggs" rel="noopener noreferrer" target="_blank""#

    @Test func aFirstLookShowsTheLinkARepeatIsRefusedAndTheAuthorisationAllowsIt() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let first = try await ivan.look("https://www.facebook.com/jo.bloggs")
            #expect(first.status == .ok)
            #expect(first.body.contains("Look allowed") && first.body.contains("Initial examination"))
            #expect(first.body.contains(Self.link))

            let urn = try await scene.liveAuthorisation(client)
            let form = try await ivan.get("/looks/new")
            #expect(form.body.contains(#"<option value="\#(urn)">"#), "my live authorisation is offered")
            let repeatLook = try await ivan.look("https://www.facebook.com/jo.bloggs")
            #expect(repeatLook.body.contains("Look refused"))
            #expect(!repeatLook.body.contains("rel=\"noopener noreferrer\""), "no link to the profile when refused")
            #expect(repeatLook.body.contains(#"name="urn" value="\#(urn)""#), "offers to look again citing the authorisation")
            #expect(!repeatLook.body.contains("ripa view") && !repeatLook.body.contains("--authorisation"), "page words, not the CLI's")

            let authorised = try await ivan.look("https://www.facebook.com/jo.bloggs", urn: urn)
            #expect(authorised.body.contains("Look allowed") && authorised.body.contains("Under \(urn)"))
            #expect(authorised.body.contains(Self.link))

            let mine = try await ivan.get("/looks")
            #expect(mine.body.components(separatedBy: "<tr><td>").count - 1 == 3)
            #expect(mine.body.contains("Initial examination") && mine.body.contains(">Refused<") && mine.body.contains("Under an authorisation"))
            #expect(try await ivan.get("/cases/\(urn)").body.contains("FR-2026-17"), "the case page lists the look under it")

            var ivy = Browser(client)
            try await ivy.signIn("ivy")
            #expect(!(try await ivy.get("/looks/new").body.contains(#"<option value="\#(urn)">"#)), "not ivy's authorisation")
            let notTeam = try await ivy.look("https://www.facebook.com/jo.bloggs", urn: urn)
            #expect(notTeam.body.contains("Look refused") && notTeam.body.contains("is not on the team"))
            #expect(!notTeam.body.contains("rel=\"noopener noreferrer\""))
            #expect(try await ivy.get("/looks").body.components(separatedBy: "<tr><td>").count - 1 == 1, "ivy sees only her own look")
        }
    }

    @Test func aRepeatWithoutAnyAuthorisationSaysToApply() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var ivy = Browser(client)
            try await ivy.signIn("ivy")
            #expect(try await ivy.look("facebook.com/sam.subject").body.contains(#"href="https://facebook.com/sam.subject" rel="noopener noreferrer""#))
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let before = try await scene.size()
            let refused = try await ivan.look("https://www.facebook.com/sam.subject")
            #expect(refused.body.contains("Look refused") && refused.body.contains("already had its 1 initial examination"))
            #expect(refused.body.contains(#"<a href="/applications/new">Apply for a directed surveillance authorisation</a>"#))
            #expect(!refused.body.contains("noopener"))
            #expect(try await scene.size() == before + 1, "the refusal is recorded")
        }
    }

    @Test func anAddressThatNamesNoAccountKeepsTheFields() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let before = try await scene.size()
            let page = try await ivan.look("https://www.facebook.com/", caseRef: "FR-typed")
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains(##"<a href="#address">"##))
            #expect(page.body.contains(#"value="FR-typed""#) && page.body.contains("Check the listings"))
            #expect(try await scene.size() == before)
            let noCase = try await ivan.look("https://www.facebook.com/jo.bloggs", caseRef: "")
            #expect(noCase.status == .unprocessableContent)
            #expect(noCase.body.contains(##"<a href="#case_ref">"##), "\(noCase.body.prefix(0))")
            #expect(try await scene.size() == before)
        }
    }

    @Test func onlyAnInvestigatorLooksAndOnlyWithTheToken() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var mo = Browser(client)
            try await mo.signIn("mo")
            #expect(try await mo.get("/looks/new").status == .forbidden)
            #expect(try await mo.get("/looks").status == .forbidden)
            let page = try await mo.get("/")
            #expect(try await mo.submit("/looks", from: page, [("address", "https://www.facebook.com/jo.bloggs"), ("case_ref", "X"), ("purpose", "Y")]).status == .forbidden)
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let before = try await scene.size()
            let forged = try await ivan.post("/looks", form: [("address", "https://www.facebook.com/jo.bloggs"), ("case_ref", "X"), ("purpose", "Y")])
            #expect(forged.status == .forbidden)
            #expect(try await scene.size() == before)
        }
    }
}
