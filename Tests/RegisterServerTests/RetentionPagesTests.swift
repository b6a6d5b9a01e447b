import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import RIPA
import RegisterFiles
import Testing

@testable import RegisterServer

extension WebScene {
    /// A case applied for by ivan, granted by mo, approved by a JP and cancelled on 10 April
    /// 2026, through the services; then the clock at `now`. The URN.
    func cancelledCase(subject: String = "Zebedee Quatermass", now: String = "2032-01-05T09:00:00.000Z") async throws -> String {
        func actor(_ id: String) async throws -> Actor { try await services.users.unlock(userID: id, passphrase: Self.passphrases[id]!) }
        let application = Application(
            type: .directedSurveillance, operation: "Op Kestrel", purpose: "To detect fraud by \(subject)",
            subjects: [Subject(name: subject, onlineIdentities: [try OnlineIdentity(address: "https://www.facebook.com/zeb.quatermass")])],
            offences: ["fraud-act-2006-s1"], necessity: "Needed", proportionality: "Limited", collateralIntrusion: "Minimal",
            confidentialInformationLikely: false, team: ["ivan"])
        let urn = try #require(try await services.casework.apply(application, by: try await actor("ivan")).urn)
        _ = try await services.casework.grant(urn: urn, reasons: "Necessary", reviewInterval: nil, firstReview: nil, directlyInvolved: false, by: try await actor("mo"))
        _ = try await services.casework.recordJudicial(
            urn: urn, decision: .approved, court: "Leeds Magistrates", magistrate: "J. Bench", decidedAt: clock.now, order: nil, by: try await actor("ivan"))
        try clock.set("2026-04-10T10:00:00.000Z")
        _ = try await services.casework.cancel(urn: urn, reason: "No longer needed", valueObtained: "Evidence", ceasedAt: nil, by: try await actor("mo"))
        try clock.set(now)
        return urn
    }
}

/// The administrators' retention page and the case timeline's retention state (issue 11 §7).
@Suite struct RetentionPagesTests {
    @Test func dueRequestAndApproveBehindStepUp() async throws {
        let scene = try await WebScene()
        let urn = try await scene.cancelledCase()
        try await scene.app().test(.router) { client in
            var alice = Browser(client)
            try await alice.signIn("alice")
            let page = try await alice.get("/retention")
            #expect(page.status == .ok)
            #expect(page.body.contains(urn) && page.body.contains("Central record") && page.body.contains("11 April 2031"), "\(page.body.prefix(3000))")

            // Others may not see it, nor post to it.
            for user in ["ivan", "mo", "ada"] {
                var other = Browser(client)
                try await other.signIn(user)
                #expect(try await other.get("/retention").status == .forbidden, "\(user)")
                let home = try await other.get("/")
                let before = try await scene.size()
                #expect(try await other.submit("/retention/request", from: home, [("passphrase", WebScene.passphrases[user]!)]).status == .forbidden)
                #expect(try await scene.size() == before)
            }

            let check = try await alice.submit("/retention/request/check", from: page, [])
            #expect(check.status == .ok && check.body.contains("Check the destruction request") && check.body.contains(urn))
            // Without the passphrase nothing is written.
            let before = try await scene.size()
            let noPassphrase = try await alice.submit("/retention/request", from: check, check.hiddenFields)
            #expect(noPassphrase.status != .ok || noPassphrase.body.contains("Error"))
            #expect(try await scene.size() == before)
            let requested = try await alice.submit("/retention/request", from: check, check.hiddenFields + [("passphrase", WebScene.passphrases["alice"]!)])
            #expect(requested.status == .ok && requested.body.contains("Destruction requested at entry"), "\(requested.body.prefix(2000))")
            let request = try #require(try await scene.services.retention.due().openRequests.first)

            // A test register with one administrator approves its own request.
            let listed = try await alice.get("/retention")
            let approveCheck = try await alice.submit("/retention/approve/check", from: listed, [("request", String(request.seq))])
            #expect(approveCheck.status == .ok && approveCheck.body.contains("Check the destruction"))
            let approved = try await alice.submit("/retention/approve", from: approveCheck, approveCheck.hiddenFields + [("passphrase", WebScene.passphrases["alice"]!)])
            #expect(approved.status == .ok && approved.body.contains("Personal data destroyed at entry"), "\(approved.body.prefix(2000))")
            #expect(try await scene.services.retention.state(of: urn).state == .destroyed)

            var ada = Browser(client)
            try await ada.signIn("ada")
            let timeline = try await ada.get("/cases/\(urn)/timeline")
            #expect(timeline.status == .ok)
            #expect(timeline.body.contains("Personal data destroyed on 5 January 2032 under the rule Central record"), "\(timeline.body.prefix(3000))")
            #expect(!timeline.body.contains("Zebedee"))
        }
    }

    @Test func theTimelineShowsAHold() async throws {
        let scene = try await WebScene()
        let urn = try await scene.cancelledCase(now: "2027-01-05T09:00:00.000Z")
        let mo = try await scene.services.users.unlock(userID: "mo", passphrase: WebScene.passphrases["mo"]!)
        _ = try await scene.services.retention.hold(urn, reason: "IPT complaint <IPT/26/0042>", by: mo)
        try await scene.app().test(.router) { client in
            var ada = Browser(client)
            try await ada.signIn("ada")
            let timeline = try await ada.get("/cases/\(urn)/timeline")
            #expect(timeline.body.contains("until it is due for destruction on 11 April 2031"))
            #expect(timeline.body.contains("Legal hold, entry") && timeline.body.contains("IPT complaint &lt;IPT/26/0042&gt;"), "the reason is escaped")
        }
    }

    @Test func anAdministratorPlacesAndReleasesAHoldBehindStepUp() async throws {
        let scene = try await WebScene()
        let urn = try await scene.cancelledCase()
        try await scene.app().test(.router) { client in
            var alice = Browser(client)
            try await alice.signIn("alice")
            let page = try await alice.get("/retention")
            #expect(page.body.contains("No legal hold stands") && page.body.contains("href=\"/retention/hold\""), "\(page.body.prefix(3000))")
            let form = try await alice.get("/retention/hold")
            #expect(form.status == .ok && form.body.contains("Place a legal hold"))

            // Blank answers: the error summary links to each field, and nothing is written.
            let before = try await scene.size()
            let blank = try await alice.submit("/retention/hold/check", from: form, [("case", " "), ("reason", "")])
            #expect(blank.status == .unprocessableContent)
            #expect(blank.body.contains("There is a problem") && blank.body.contains("href=\"#case\"") && blank.body.contains("href=\"#reason\""))
            // A name that is no case: refused by the service on the check page, nothing written.
            let unknownCheck = try await alice.submit("/retention/hold/check", from: form, [("case", "DS-2099-0001"), ("reason", "IPT complaint")])
            let unknown = try await alice.submit("/retention/hold", from: unknownCheck, unknownCheck.hiddenFields + [("passphrase", WebScene.passphrases["alice"]!)])
            #expect(unknown.status != .ok && unknown.body.contains("There is a problem"), "\(unknown.body.prefix(2000))")
            #expect(try await scene.size() == before)

            let check = try await alice.submit("/retention/hold/check", from: form, [("case", urn), ("reason", "IPT complaint <IPT/26/0042>")])
            #expect(check.status == .ok && check.body.contains("Check the legal hold") && check.body.contains("IPT complaint &lt;IPT/26/0042&gt;"))
            // Without the passphrase given again nothing is written.
            let noPassphrase = try await alice.submit("/retention/hold", from: check, check.hiddenFields)
            #expect(noPassphrase.body.contains("There is a problem"))
            #expect(try await scene.size() == before)
            let placed = try await alice.submit("/retention/hold", from: check, check.hiddenFields + [("passphrase", WebScene.passphrases["alice"]!)])
            #expect(placed.status == .ok && placed.body.contains("Legal hold placed on \(urn) at entry"), "\(placed.body.prefix(2000))")
            let hold = try #require(try await scene.services.retention.state(of: urn).holds.first)
            #expect(hold.placedBy == "alice" && hold.reason == "IPT complaint <IPT/26/0042>")
            #expect(try await scene.services.retention.state(of: urn).state == .held)
            #expect(placed.body.contains("/retention/holds/\(hold.seq)/release"))

            // The case timeline shows it.
            var ada = Browser(client)
            try await ada.signIn("ada")
            let timeline = try await ada.get("/cases/\(urn)/timeline")
            #expect(timeline.body.contains("Legal hold, entry") && timeline.body.contains("IPT complaint &lt;IPT/26/0042&gt;"), "\(timeline.body.prefix(3000))")

            // Released the same way.
            let releaseForm = try await alice.get("/retention/holds/\(hold.seq)/release")
            #expect(releaseForm.status == .ok && releaseForm.body.contains("Release the legal hold on \(urn)"))
            let noReason = try await alice.submit("/retention/holds/\(hold.seq)/release/check", from: releaseForm, [("reason", "")])
            #expect(noReason.status == .unprocessableContent && noReason.body.contains("href=\"#reason\""))
            let releaseCheck = try await alice.submit("/retention/holds/\(hold.seq)/release/check", from: releaseForm, [("reason", "Complaint dismissed")])
            #expect(releaseCheck.status == .ok && releaseCheck.body.contains("Check the release"))
            let released = try await alice.submit(
                "/retention/holds/\(hold.seq)/release", from: releaseCheck, releaseCheck.hiddenFields + [("passphrase", WebScene.passphrases["alice"]!)])
            #expect(released.status == .ok && released.body.contains("released at entry"), "\(released.body.prefix(2000))")
            #expect(try await scene.services.retention.state(of: urn).holds.isEmpty)
            // A released hold has no release page.
            #expect(try await alice.get("/retention/holds/\(hold.seq)/release").status == .notFound)
        }
    }

    @Test func onlyAnAdministratorWithTheCSRFTokenPlacesOrReleasesAHold() async throws {
        let scene = try await WebScene()
        let urn = try await scene.cancelledCase(now: "2027-01-05T09:00:00.000Z")
        let mo = try await scene.services.users.unlock(userID: "mo", passphrase: WebScene.passphrases["mo"]!)
        let hold = try await scene.services.retention.hold(urn, reason: "IPT complaint", by: mo)
        try await scene.app().test(.router) { client in
            let before = try await scene.size()
            for user in ["ivan", "mo", "ada"] {
                var other = Browser(client)
                try await other.signIn(user)
                #expect(try await other.get("/retention/hold").status == .forbidden, "\(user)")
                #expect(try await other.get("/retention/holds/\(hold.seq)/release").status == .forbidden, "\(user)")
                let home = try await other.get("/")
                let passphrase = ("passphrase", WebScene.passphrases[user]!)
                #expect(try await other.submit("/retention/hold", from: home, [("case", urn), ("reason", "x"), passphrase]).status == .forbidden, "\(user)")
                #expect(try await other.submit("/retention/holds/\(hold.seq)/release", from: home, [("reason", "x"), passphrase]).status == .forbidden, "\(user)")
            }
            var alice = Browser(client)
            try await alice.signIn("alice")
            let passphrase = ("passphrase", WebScene.passphrases["alice"]!)
            #expect(try await alice.post("/retention/hold", form: [("case", urn), ("reason", "x"), passphrase]).status == .forbidden)
            #expect(try await alice.post("/retention/holds/\(hold.seq)/release", form: [("csrf", "forged-token"), ("reason", "x"), passphrase]).status == .forbidden)
            #expect(try await scene.size() == before)
            #expect(try await scene.services.retention.state(of: urn).holds.map(\.seq) == [hold.seq])
        }
    }
}
