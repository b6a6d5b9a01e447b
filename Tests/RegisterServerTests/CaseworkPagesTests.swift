import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import RIPA
import Testing

@testable import RegisterServer

/// The answers of a complete application, as the question page's fields.
func applicationAnswers(
    subject: String = "Jo Bloggs", offences: [String] = ["fraud-act-2006-s1"], identities: String = "https://www.facebook.com/jo.bloggs",
    team: String = "", operation: String = "Operation Lantern"
) -> [(String, String)] {
    [
        ("type", "directed-surveillance"), ("operation", operation), ("purpose", "Preventing or detecting crime: benefit fraud"),
        ("details", "Covert observation of the subject's online selling"), ("information_sought", "Evidence of undeclared income"),
        ("subject1_name", subject), ("subject1_address", "1 High Street, Anytown"), ("subject1_dob", "1980-03-27"),
        ("subject1_identities", identities), ("subject2_name", ""), ("subject2_address", ""), ("subject2_dob", ""), ("subject2_identities", ""),
        ("necessity", "No less intrusive means will obtain the evidence"), ("proportionality", "Limited to the subject's public selling"),
        ("collateral_intrusion", "Other people's posts are not recorded"), ("confidential", "no"), ("team", team),
        ("requested_duration_months", ""),
    ] + offences.map { ("offences", $0) }
}

extension Browser {
    /// Applies through the question page and check your answers, sending back the check
    /// page's hidden fields as a browser would; the submission's response.
    mutating func apply(_ answers: [(String, String)] = applicationAnswers()) async throws -> (check: Page, result: Page) {
        let new = try await get("/applications/new")
        #expect(new.status == .ok)
        let check = try await submit("/applications/check", from: new, answers)
        #expect(check.status == .ok, "check page: \(check.body.prefix(400))")
        let result = try await submit("/applications", from: check, check.hiddenFields)
        return (check, result)
    }

    /// Applies and returns the URN from the redirect.
    mutating func applied(_ answers: [(String, String)] = applicationAnswers()) async throws -> String {
        let (_, result) = try await apply(answers)
        #expect(result.status == .seeOther)
        let location = try #require(result.headers[.location])
        #expect(location.hasSuffix("?done=applied"))
        return String(location.dropFirst("/cases/".count).prefix { $0 != "?" })
    }

    /// A monitoring officer's decision through question, check and step-up; the signing response.
    mutating func decide(_ urn: String, _ action: String, _ fields: [(String, String)], passphrase: String?) async throws -> Page {
        let question = try await get("/cases/\(urn)/\(action)")
        #expect(question.status == .ok)
        let check = try await submit("/cases/\(urn)/\(action)/check", from: question, fields)
        #expect(check.status == .ok, "check page: \(check.body.prefix(300))")
        #expect(check.body.contains("Check your answers"))
        return try await submit("/cases/\(urn)/\(action)", from: check, check.hiddenFields + (passphrase.map { [("passphrase", $0)] } ?? []))
    }

    /// The JP's decision, with an order, through the multipart form.
    mutating func recordJudicial(_ urn: String, decision: String = "approved", passphrase: String?, order: [UInt8]? = Array("%PDF-1.4 the court's order".utf8),
                                 day: String = "2", hour: String = "10") async throws -> Page {
        let form = try await get("/cases/\(urn)/judicial")
        #expect(form.status == .ok)
        #expect(form.body.contains(#"enctype="multipart/form-data""#))
        let token = try #require(form.csrf)
        var fields = [("csrf", token), ("decision", decision), ("court", "Anytown Magistrates' Court"), ("magistrate", "J. Justice"),
                      ("decided_day", day), ("decided_month", "3"), ("decided_year", "2026"), ("decided_hour", hour), ("decided_minute", "30")]
        if let passphrase { fields.append(("passphrase", passphrase)) }
        return try await postMultipart("/cases/\(urn)/judicial", fields: fields, files: order.map { [("order", "order.pdf", $0)] } ?? [])
    }
}

extension WebScene {
    /// Entries in the register.
    func size() async throws -> UInt64 { try await services.verification.info().size }

    /// An application by ivan granted by mo and approved by a JP (recorded by ivan): live from 2 March 2026.
    func liveAuthorisation(_ client: any TestClientProtocol, answers: [(String, String)] = applicationAnswers()) async throws -> String {
        var ivan = Browser(client)
        try await ivan.signIn("ivan")
        let urn = try await ivan.applied(answers)
        try clock.set("2026-03-02T10:00:00.000Z")
        var mo = Browser(client)
        try await mo.signIn("mo")
        let granted = try await mo.decide(urn, "grant", [("reasons", "Necessary and proportionate")], passphrase: WebScene.passphrases["mo"])
        #expect(granted.headers[.location] == "/cases/\(urn)?done=granted")
        try clock.set("2026-03-02T11:00:00.000Z")
        let approved = try await ivan.recordJudicial(urn, passphrase: WebScene.passphrases["ivan"])
        #expect(approved.headers[.location] == "/cases/\(urn)?done=judicial", "\(approved.body.prefix(600))")
        return urn
    }
}

/// The investigator's and the monitoring officer's pages (issue 10 §2).
@Suite struct CaseworkPagesTests {
    @Test func anApplicationIsGrantedApprovedWithTheOrderAndCancelled() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let new = try await ivan.get("/applications/new")
            #expect(new.body.contains(#"value="fraud-act-2006-s1""#))
            #expect(new.body.contains("Fraud Act 2006"), "each offence shows its statute")
            let (check, result) = try await ivan.apply()
            #expect(check.body.contains("The threshold is met"))
            #expect(check.body.contains("Change<span class=\"visually-hidden\"> Operation"))
            #expect(check.hiddenFields.contains { $0 == ("subject1_name", "Jo Bloggs") }, "the answers travel in hidden fields")
            let change = try await ivan.submit("/applications/edit", from: check, check.hiddenFields)
            #expect(change.status == .ok && change.body.contains(#"name="operation" type="text" value="Operation Lantern""#), "Change goes back with every answer")
            #expect(change.body.contains(#"value="fraud-act-2006-s1" checked"#) && change.body.contains(#"value="no" checked"#))
            let location = try #require(result.headers[.location])
            #expect(location == "/cases/DS-2026-0001?done=applied")
            let confirmation = try await ivan.get(location)
            #expect(confirmation.body.contains("panel--confirmation") && confirmation.body.contains("DS-2026-0001"))
            #expect(confirmation.body.contains("Awaiting decision"))
            let mine = try await ivan.get("/applications")
            #expect(mine.body.contains(#"<a href="/cases/DS-2026-0001">DS-2026-0001</a>"#))

            try scene.clock.set("2026-03-02T10:00:00.000Z")
            var mo = Browser(client)
            try await mo.signIn("mo")
            let queue = try await mo.get("/decisions")
            #expect(queue.body.contains("DS-2026-0001") && queue.body.contains("Operation Lantern"))
            let casePage = try await mo.get("/cases/DS-2026-0001")
            #expect(casePage.body.contains(#"href="/cases/DS-2026-0001/grant""#))
            let grantForm = try await mo.get("/cases/DS-2026-0001/grant")
            #expect(grantForm.body.contains("the policy&#39;s default: 28 days") || grantForm.body.contains("the policy's default: 28 days"))
            let involved = try await mo.submit("/cases/DS-2026-0001/grant/check", from: grantForm, [("reasons", "R"), ("directly_involved", "yes")])
            #expect(involved.body.contains("You declare that you are otherwise directly involved"))
            let before = try await scene.size()
            let granted = try await mo.decide("DS-2026-0001", "grant", [("reasons", "Necessary and proportionate")], passphrase: WebScene.passphrases["mo"])
            #expect(granted.status == .seeOther && granted.headers[.location] == "/cases/DS-2026-0001?done=granted")
            #expect(try await scene.size() == before + 1)
            let afterGrant = try await mo.get("/cases/DS-2026-0001?done=granted")
            #expect(afterGrant.body.contains("Granted, awaiting JP") && afterGrant.body.contains("notification--success"))
            #expect(try await mo.get("/decisions").body.contains("No application is awaiting a decision"))

            try scene.clock.set("2026-03-02T11:00:00.000Z")
            let approved = try await ivan.recordJudicial("DS-2026-0001", passphrase: WebScene.passphrases["ivan"])
            #expect(approved.status == .seeOther && approved.headers[.location] == "/cases/DS-2026-0001?done=judicial", "\(approved.body.prefix(500))")
            let status = try await scene.services.casework.status(of: "DS-2026-0001")
            #expect(status.state == .active)
            #expect(status.authorisation.periods.first?.judicial?.order != nil, "the order was kept")
            #expect(status.authorisation.periods.first?.judicial?.decidedAt == (try EntryTime(parsing: "2026-03-02T10:30:00.000Z")), "10:30 London in March is 10:30 UTC")
            let active = try await ivan.get("/cases/DS-2026-0001")
            #expect(active.body.contains(">Active<") && active.body.contains("the order is kept in the register"))
            #expect(!active.body.contains(#"/cancel""#), "an investigator is not offered the officer's actions")

            let cancelled = try await mo.decide("DS-2026-0001", "cancel", [("reason", "Evidence obtained"), ("value_obtained", "Proof of income")],
                                               passphrase: WebScene.passphrases["mo"])
            #expect(cancelled.headers[.location] == "/cases/DS-2026-0001?done=cancelled")
            #expect(try await scene.services.casework.status(of: "DS-2026-0001").state == .cancelled)
            #expect(try await mo.get("/cases/DS-2026-0001").body.contains(">Cancelled<"))
        }
    }

    @Test func anApplicationBelowTheThresholdIsExplainedThenRecordedAsRefused() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let before = try await scene.size()
            let new = try await ivan.get("/applications/new")
            let check = try await ivan.submit("/applications/check", from: new, applicationAnswers(offences: ["psh-fraud-2013-s1-1"]))
            #expect(check.body.contains("The threshold is not met") && check.body.contains(">Fails<"))
            #expect(check.body.contains("fine only"))
            #expect(try await scene.size() == before, "checking writes nothing")
            let result = try await ivan.submit("/applications", from: check, check.hiddenFields)
            #expect(result.status == .unprocessableContent)
            #expect(result.body.contains("Application refused at the serious crime threshold"))
            #expect(result.body.contains("No URN was given"))
            #expect(try await scene.size() == before + 1, "the refusal is recorded")
            #expect(try await scene.services.casework.statuses().cases.isEmpty)
        }
    }

    @Test func aPageOrActionOfAnotherRoleIsForbidden() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let urn = try await ivan.applied()
            var mo = Browser(client)
            try await mo.signIn("mo")
            #expect(try await mo.get("/applications/new").status == .forbidden)
            #expect(try await mo.get("/applications").status == .forbidden)
            let before = try await scene.size()
            let page = try await ivan.get("/applications")
            let grant = try await ivan.submit("/cases/\(urn)/grant", from: page, [("reasons", "I grant my own"), ("passphrase", WebScene.passphrases["ivan"]!)])
            #expect(grant.status == .forbidden)
            #expect(try await ivan.get("/cases/\(urn)/grant").status == .forbidden)
            #expect(try await ivan.get("/decisions").status == .forbidden)
            #expect(try await ivan.get("/due").status == .forbidden)
            var ada = Browser(client)
            try await ada.signIn("ada")
            #expect(try await ada.get("/cases/\(urn)/judicial").status == .forbidden)
            #expect(try await ada.get("/cases/\(urn)").status == .ok, "an auditor reads the case")
            #expect(try await scene.size() == before)
            #expect(try await scene.services.casework.status(of: urn).state == .applied)
        }
    }

    @Test func aPostWithoutTheCSRFTokenWritesNothing() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let urn = try await ivan.applied()
            let before = try await scene.size()
            #expect(try await ivan.post("/applications", form: applicationAnswers()).status == .forbidden)
            var mo = Browser(client)
            try await mo.signIn("mo")
            let grant = try await mo.post("/cases/\(urn)/grant", form: [("reasons", "x"), ("passphrase", WebScene.passphrases["mo"]!)])
            #expect(grant.status == .forbidden)
            #expect(try await scene.size() == before)
        }
    }

    @Test func aMissingOrWrongPassphraseSignsNothing() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let urn = try await ivan.applied()
            var mo = Browser(client)
            try await mo.signIn("mo")
            let before = try await scene.size()
            let missing = try await mo.decide(urn, "grant", [("reasons", "Necessary")], passphrase: nil)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.body.contains(##"<a href="#passphrase">Enter your passphrase"##))
            #expect(missing.body.contains(#"name="reasons" value="Necessary""#), "the answers are kept")
            let wrong = try await mo.decide(urn, "grant", [("reasons", "Necessary")], passphrase: "not my passphrase at all")
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.body.contains(##"<a href="#passphrase">The passphrase is not right"##))
            let judicial = try await ivan.recordJudicial(urn, passphrase: "not my passphrase either")
            #expect(judicial.status == .unprocessableContent)
            #expect(judicial.body.contains(##"<a href="#passphrase">"##))
            #expect(try await scene.size() == before, "nothing was written")
            #expect(try await scene.services.casework.status(of: urn).state == .applied)
        }
    }

    @Test func aFormErrorKeepsWhatWasTypedAndLinksToTheField() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let new = try await ivan.get("/applications/new")
            var answers = applicationAnswers(operation: "Operation Typed")
            answers.removeAll { $0.0 == "necessity" }
            let page = try await ivan.submit("/applications/check", from: new, answers)
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains(##"<a href="#necessity">"##), "the service's error links to the field")
            #expect(page.body.contains(#"id="operation" name="operation" type="text" value="Operation Typed""#))
            #expect(page.body.contains(#"value="Jo Bloggs""#))
            #expect(page.body.contains(#"value="fraud-act-2006-s1" checked"#))
            let badDate = try await ivan.submit("/applications/check", from: new, applicationAnswers().map { $0.0 == "subject1_dob" ? ($0.0, "1980-02-30") : $0 })
            #expect(badDate.body.contains(##"<a href="#subject1_dob">"##))
            #expect(badDate.body.contains(#"value="1980-02-30""#))

            let urn = try await ivan.applied()
            var mo = Browser(client)
            try await mo.signIn("mo")
            let before = try await scene.size()
            let form = try await mo.get("/cases/\(urn)/grant")
            let notNumber = try await mo.submit("/cases/\(urn)/grant/check", from: form, [("reasons", "My reasons"), ("review_interval", "soon")])
            #expect(notNumber.status == .unprocessableContent)
            #expect(notNumber.body.contains(##"<a href="#review_interval">"##) && notNumber.body.contains("My reasons"))
            let tooLong = try await mo.decide(urn, "grant", [("reasons", "My reasons"), ("review_interval", "400")], passphrase: WebScene.passphrases["mo"])
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.body.contains(##"<a href="#review_interval">"##), "the service's range error links to the field")
            #expect(tooLong.body.contains(#"value="400""#) && tooLong.body.contains("My reasons"))
            #expect(try await scene.size() == before)
            let noDecision = try await ivan.recordJudicial(urn, decision: "", passphrase: WebScene.passphrases["ivan"])
            #expect(noDecision.status == .unprocessableContent)
            #expect(noDecision.body.contains(##"<a href="#decision">"##))
            #expect(noDecision.body.contains(#"id="court" name="court" type="text" value="Anytown Magistrates"#), "the court typed is kept")
            #expect(noDecision.body.contains(#"id="decided_hour" name="decided_hour" type="text" inputmode="numeric" value="10""#))
            #expect(try await scene.size() == before)
        }
    }

    @Test func aSubjectsNameIsEscaped() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            let (check, result) = try await ivan.apply(applicationAnswers(subject: "<script>alert(1)</script>"))
            #expect(check.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !check.body.contains("<script>"))
            let urn = String(try #require(result.headers[.location]).dropFirst("/cases/".count).prefix { $0 != "?" })
            #expect(try await scene.services.casework.authorisation(urn).application.subjects[0].name == "<script>alert(1)</script>")
            let page = try await ivan.get("/cases/\(urn)")
            #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.body.contains("<script>"))
        }
    }

    @Test func dueShowsWhatNeedsAttentionAndTheOfficerReviewsAndRenews() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            let urn = try await scene.liveAuthorisation(client)
            try scene.clock.set("2026-05-25T09:00:00.000Z")
            var mo = Browser(client)
            try await mo.signIn("mo")
            let due = try await mo.get("/due")
            #expect(due.body.contains(#"<a href="/cases/\#(urn)">"#))
            #expect(due.body.contains("Review overdue") && due.body.contains(">Expiring<"))
            let reviewed = try await mo.decide(urn, "review", [("findings", "Listings found"), ("still_necessary", "yes")], passphrase: WebScene.passphrases["mo"])
            #expect(reviewed.headers[.location] == "/cases/\(urn)?done=reviewed")
            let review = try #require(try await scene.services.casework.authorisation(urn).reviews.last)
            #expect(review.stillNecessary && review.findings == "Listings found")
            #expect(!(try await mo.get("/due").body.contains("Review overdue")))
            let renewed = try await mo.decide(urn, "renew", [("changes", "None"), ("value_so_far", "Good"), ("reasons", "Still needed")],
                                             passphrase: WebScene.passphrases["mo"])
            #expect(renewed.headers[.location] == "/cases/\(urn)?done=renewed")
            #expect(try await scene.services.casework.authorisation(urn).pendingRenewal != nil)
            #expect(try await mo.get("/cases/\(urn)").body.contains("/judicial"), "the renewal awaits a JP")
        }
    }
}
