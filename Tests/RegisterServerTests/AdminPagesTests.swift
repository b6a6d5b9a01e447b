import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import RIPA
import RegisterFiles
import Testing

@testable import RegisterServer

extension Browser.Page {
    /// The hidden fields of the page's forms but the CSRF token, unescaped, in order.
    var adminHidden: [(String, String)] { hiddenFields }
}

extension Browser {
    /// Posts a multipart form with files.
    mutating func adminUpload(_ path: String, fields: [(String, String)], files: [(name: String, filename: String, text: String)]) async throws -> Page {
        let boundary = "----admin-test-\(UUID().uuidString)"
        var body = ""
        for (name, value) in fields { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n" }
        for file in files {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: application/yaml\r\n\r\n\(file.text)\r\n"
        }
        body += "--\(boundary)--\r\n"
        var headers = HTTPFields()
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    /// Fills in the invitation form and its check page; the result page.
    mutating func adminInvite(_ id: String, name: String, roles: [String], passphrase: String?) async throws -> (check: Page, result: Page) {
        let form = try await get("/people/new")
        let check = try await submit("/people/new/check", from: form, [("user_id", id), ("name", name), ("rank", "Officer")] + roles.map { ("roles", $0) })
        let result = try await submit("/people/new", from: check, check.adminHidden + (passphrase.map { [("passphrase", $0)] } ?? []))
        return (check, result)
    }
}

/// The administrator's pages: people, invitations, approvals, roles, revocation, lockouts,
/// policy and the register key (issue 10 §2).
@Suite struct AdminPagesTests {
    static let alice = WebScene.passphrases["alice"]!

    @Test func peopleIsForAdministratorsOnly() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var alice = Browser(client)
            try await alice.signIn("alice")
            let people = try await alice.get("/people")
            #expect(people.status == .ok)
            #expect(people.body.contains("Ivan Inglis") && people.body.contains("Ada Auditor"))
            #expect(people.body.contains(#"<strong class="tag tag--green">active</strong>"#))
            #expect(people.body.contains("There are no lockouts in force"))
            for path in ["/people/new", "/people/ivan", "/policy", "/register-key", "/people/ivan/revoke"] {
                #expect(try await alice.get(path).status == .ok, "\(path)")
            }
            for user in ["ivan", "ada", "mo"] {
                var browser = Browser(client)
                try await browser.signIn(user)
                for path in ["/people", "/people/new", "/people/ivan", "/policy", "/register-key"] {
                    #expect(try await browser.get(path).status == .forbidden, "\(user) \(path)")
                }
                let page = try await browser.get("/")
                let before = try await scene.services.verification.info().size
                let post = try await browser.submit(
                    "/people/new", from: page,
                    [("user_id", "eve"), ("name", "Eve"), ("rank", "x"), ("roles", "auditor"), ("passphrase", WebScene.passphrases[user]!)])
                #expect(post.status == .forbidden, "\(user) POST /people/new")
                #expect(try await browser.submit("/register-key/rotate", from: page, [("reason", "x"), ("passphrase", WebScene.passphrases[user]!)]).status == .forbidden)
                #expect(try await scene.services.verification.info().size == before)
            }
        }
    }

    @Test func anInvitationShowsItsCodeOnceAndTheCodeIsAccepted() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var alice = Browser(client)
            try await alice.signIn("alice")
            let (check, result) = try await alice.adminInvite("iris", name: "Iris Ingram", roles: ["investigator"], passphrase: Self.alice)
            #expect(check.status == .ok && check.body.contains("Check the invitation") && check.body.contains("Iris Ingram"))
            #expect(check.body.contains(#"name="passphrase""#), "the check page asks for the passphrase again")
            #expect(result.status == .ok)
            let code = try #require(auditBetween(result.body, #"<strong id="invitation-code">"#, "</strong>"))
            #expect(code.count >= 16)
            #expect(result.body.contains("/invitation?user=iris"))
            let people = try await alice.get("/people")
            #expect(people.body.contains("Iris Ingram") && people.body.contains(">invited</strong>"))
            #expect(!people.body.contains(code), "the code is shown once")
            #expect(!(try await alice.get("/people/iris")).body.contains(code))

            var iris = Browser(client)
            let form = try await iris.get("/invitation?user=iris")
            let accepted = try await iris.post("/invitation", form: [
                ("csrf", try #require(form.csrf)), ("user_id", "iris"), ("code", code),
                ("passphrase", "lantern quiet harbour meadow"), ("passphrase_again", "lantern quiet harbour meadow"),
            ])
            #expect(accepted.body.contains("Invitation accepted"), "\(accepted.body)")
            let signedIn = try await iris.signIn("iris", passphrase: "lantern quiet harbour meadow")
            #expect(signedIn.status == .seeOther)
            #expect((try await alice.get("/people/iris")).body.contains(">active</strong>"))
        }
    }

    @Test func aMissingOrWrongPassphraseWritesNothing() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var alice = Browser(client)
            try await alice.signIn("alice")
            let before = try await scene.services.verification.info().size
            let missing = try await alice.adminInvite("iris", name: "Iris Ingram", roles: ["investigator"], passphrase: nil).result
            #expect(missing.status == .unprocessableContent)
            #expect(missing.body.contains(##"<a href="#passphrase">"##) && missing.body.contains(#"id="passphrase""#))
            #expect(!missing.body.contains("invitation-code"))
            let wrong = try await alice.adminInvite("iris", name: "Iris Ingram", roles: ["investigator"], passphrase: "not alice's passphrase at all").result
            #expect(wrong.status == .forbidden && wrong.body.contains("The passphrase is not right"))
            let revokeForm = try await alice.get("/people/ivy/revoke")
            let revokeCheck = try await alice.submit("/people/ivy/revoke/check", from: revokeForm, [("reason", "Left the council")])
            #expect(revokeCheck.body.contains("Check the revocation") && revokeCheck.body.contains("Left the council"))
            let revoke = try await alice.submit("/people/ivy/revoke", from: revokeCheck, revokeCheck.adminHidden + [("passphrase", "wrong wrong wrong wrong")])
            #expect(revoke.status == .forbidden)
            let keyPage = try await alice.get("/register-key")
            let keyCheck = try await alice.submit("/register-key/check", from: keyPage, [("reason", "Scheduled")])
            let rotate = try await alice.submit("/register-key/rotate", from: keyCheck, keyCheck.adminHidden)
            #expect(rotate.status == .unprocessableContent)
            #expect(try await scene.services.verification.info().size == before, "nothing was written")
            #expect(try await scene.services.users.user("ivy").revokedSeq == nil)
            let noReason = try await alice.submit("/people/ivy/revoke/check", from: revokeForm, [("reason", "  ")])
            #expect(noReason.status == .unprocessableContent && noReason.body.contains(##"<a href="#reason">"##))
            let noRoles = try await alice.submit("/people/new/check", from: revokeForm, [("user_id", "iris"), ("name", "Iris"), ("rank", "x")])
            #expect(noRoles.status == .unprocessableContent && noRoles.body.contains(##"<a href="#roles">"##) && noRoles.body.contains(#"id="roles""#))
        }
    }

    @Test func aNameWithMarkupIsShownEscaped() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var alice = Browser(client)
            try await alice.signIn("alice")
            let (check, result) = try await alice.adminInvite("mal", name: "<script>alert(1)</script>", roles: ["auditor"], passphrase: Self.alice)
            #expect(result.status == .ok, "\(result.body)")
            for page in [check, result, try await alice.get("/people"), try await alice.get("/people/mal")] {
                #expect(!page.body.contains("<script>alert(1)</script>"))
                #expect(page.body.contains("&lt;script&gt;alert(1)&lt;"))
            }
            #expect(try await scene.services.users.user("mal").name == "<script>alert(1)</script>")
        }
    }

    @Test func revokingAndChangingRolesAreSignedAndShown() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var alice = Browser(client)
            try await alice.signIn("alice")
            var ivy = Browser(client)
            try await ivy.signIn("ivy")
            let form = try await alice.get("/people/ivy/revoke")
            let check = try await alice.submit("/people/ivy/revoke/check", from: form, [("reason", "Left the council")])
            let done = try await alice.submit("/people/ivy/revoke", from: check, check.adminHidden + [("passphrase", Self.alice)])
            #expect(done.status == .seeOther && done.headers[.location] == "/people/ivy?done=revoked")
            #expect((try await alice.get("/people/ivy")).body.contains(">revoked</strong>"))
            #expect(try await scene.services.users.user("ivy").revokedSeq != nil)
            #expect(try await ivy.get("/").status == .seeOther, "the revoked person's session ended")

            let rolesForm = try await alice.get("/people/ivan/roles")
            #expect(rolesForm.body.contains(#"value="investigator" checked"#))
            let rolesCheck = try await alice.submit("/people/ivan/roles/check", from: rolesForm, [("roles", "investigator"), ("roles", "auditor")])
            #expect(rolesCheck.body.contains("investigator, auditor"))
            let changed = try await alice.submit("/people/ivan/roles", from: rolesCheck, rolesCheck.adminHidden + [("passphrase", Self.alice)])
            #expect(changed.status == .seeOther)
            #expect(try await scene.services.users.user("ivan").roles == [.investigator, .auditor])
        }
    }

    @Test func lockoutsAreShownAndLifted() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var alice = Browser(client)
            try await alice.signIn("alice")
            var ivan = Browser(client)
            for _ in 0..<5 { try await ivan.signIn("ivan", passphrase: "a wrong guess of the passphrase") }
            #expect(try await ivan.signIn("ivan").status == .tooManyRequests)
            let people = try await alice.get("/people")
            #expect(people.body.contains("User ID ivan"))
            #expect(!people.body.contains("There are no lockouts in force"))
            for kind in ["user", "address"] {
                let page = try await alice.get("/people")
                let subject = kind == "user" ? "ivan" : try #require(auditBetween(page.body, #"name="kind" value="address">"#, "</form>").flatMap {
                    auditBetween($0, #"name="subject" value=""#, "\"")
                })
                let lifted = try await alice.submit("/people/lockouts/lift", from: page, [("kind", kind), ("subject", subject)])
                #expect(lifted.status == .seeOther)
            }
            #expect((try await alice.get("/people")).body.contains("There are no lockouts in force"))
            #expect(try await ivan.signIn("ivan").status == .seeOther)
        }
    }

    /// A register with two founding administrators, for two-person control.
    static func twoAdministrators() async throws -> (RegisterServices, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ripa-web-admin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let clock = TestClock(try EntryTime(parsing: "2026-03-02T09:00:00.000Z"))
        let (services, created) = try await RegisterFiles.create(
            databasePath: folder.appendingPathComponent("register.db").path, origin: "ripa.test-council.gov.uk/register",
            founders: [Founder(userID: "alice", name: "Alice Adams", rank: "Head of Legal"), Founder(userID: "bea", name: "Bea Brown", rank: "Head of IT")],
            testRegister: true, clock: .test { clock.now })
        for (index, id) in ["alice", "bea"].enumerated() {
            _ = try await services.users.accept(userID: id, code: created.invitations[index].code, passphrase: id == "alice" ? Self.alice : "quiet orbit velvet harbour")
        }
        return (services, folder)
    }

    @Test func theInviterMayNotApproveAPrivilegedRoleAnotherAdministratorMay() async throws {
        let (services, folder) = try await Self.twoAdministrators()
        defer { try? FileManager.default.removeItem(at: folder) }
        let app = try await buildApplication(ServerArguments(services: services, port: 0))
        try await app.test(.router) { client in
            var alice = Browser(client)
            try await alice.signIn("alice", passphrase: Self.alice)
            let (check, result) = try await alice.adminInvite("carl", name: "Carl Cole", roles: ["monitoring-officer"], passphrase: Self.alice)
            #expect(check.body.contains("wait for another administrator"))
            #expect(result.status == .ok && result.body.contains("will wait for another administrator"))
            #expect((try await alice.get("/people")).body.contains("Awaiting approval"))
            let before = try await services.verification.info().size
            let approveCheck = try await alice.get("/people/carl/approve")
            #expect(approveCheck.status == .ok && approveCheck.body.contains("Check the approval"))
            let refused = try await alice.submit("/people/carl/approve", from: approveCheck, [("passphrase", Self.alice)])
            #expect(refused.status == .forbidden)
            #expect(refused.body.contains("may not approve them"), "\(refused.body)")
            #expect(refused.body.contains("error-summary"))
            #expect(try await services.verification.info().size == before)

            var bea = Browser(client)
            try await bea.signIn("bea", passphrase: "quiet orbit velvet harbour")
            let beaCheck = try await bea.get("/people/carl/approve")
            let approved = try await bea.submit("/people/carl/approve", from: beaCheck, [("passphrase", "quiet orbit velvet harbour")])
            #expect(approved.status == .seeOther)
            #expect(try await services.users.user("carl").awaitingApproval == nil)
            #expect(try await services.users.user("carl").roles.contains(.monitoringOfficer))
        }
    }

    /// The shipped pack, with its version set.
    static func shippedPack(version: Int) throws -> [(name: String, filename: String, text: String)] {
        let policies = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Policies")
        let pack = try String(contentsOf: policies.appendingPathComponent("england-wales-local-authority.yaml"), encoding: .utf8)
        let offences = try String(contentsOf: policies.appendingPathComponent("offences.yaml"), encoding: .utf8)
        let versioned = pack.replacingOccurrences(of: "\nversion: 1\n", with: "\nversion: \(version)\n")
        return [("pack", "england-wales-local-authority.yaml", versioned), ("offences", "offences.yaml", offences)]
    }

    @Test func aPolicyPackIsUploadedCheckedAndAdopted() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var alice = Browser(client)
            try await alice.signIn("alice")
            let policy = try await alice.get("/policy")
            #expect(policy.status == .ok)
            #expect(policy.body.contains("fraud-act-2006-s1") && policy.body.contains("<code>durations."), "rules and offences")
            let csrf = try #require(policy.csrf)

            let same = try await alice.adminUpload("/policy/check", fields: [("csrf", csrf)], files: try Self.shippedPack(version: 1))
            #expect(same.status == .ok && same.body.contains("Check the policy pack"))
            let refused = try await alice.submit("/policy/adopt", from: same, same.adminHidden + [("passphrase", Self.alice)])
            #expect(refused.status == .unprocessableContent && refused.body.contains("error-summary"), "version 1 is in force already")

            let broken = try await alice.adminUpload("/policy/check", fields: [("csrf", csrf)], files: [("pack", "pack.yaml", "schema: nonsense\n"), ("offences", "o.yaml", "x: 1\n")])
            #expect(broken.status == .unprocessableContent && broken.body.contains("error-summary"))
            let missing = try await alice.adminUpload("/policy/check", fields: [("csrf", csrf)], files: [])
            #expect(missing.status == .unprocessableContent && missing.body.contains(##"<a href="#pack">"##))

            let check = try await alice.adminUpload("/policy/check", fields: [("csrf", csrf)], files: try Self.shippedPack(version: 2))
            #expect(check.status == .ok)
            #expect(check.body.contains("<dd>2 (in force: 1)</dd>"))
            let before = try await scene.services.verification.info().size
            let noPassphrase = try await alice.submit("/policy/adopt", from: check, check.adminHidden)
            #expect(noPassphrase.status == .unprocessableContent)
            #expect(try await scene.services.verification.info().size == before)
            let adopted = try await alice.submit("/policy/adopt", from: check, check.adminHidden + [("passphrase", Self.alice)])
            #expect(adopted.status == .ok && adopted.body.contains("Policy adopted"), "\(adopted.body)")
            #expect(try await scene.services.policy.inForce().policy.rules.version == 2)
            #expect(try await scene.services.policy.inForce().seq == before)
        }
    }

    @Test func theRegisterKeyIsShownAndRotated() async throws {
        let scene = try await WebScene()
        let old = try await scene.services.verification.info().verifierKey
        try await scene.app().test(.router) { client in
            var alice = Browser(client)
            try await alice.signIn("alice")
            let page = try await alice.get("/register-key")
            #expect(page.body.contains(auditEscapeCheck(old)) || auditUnescape(page.body).contains(old))
            let check = try await alice.submit("/register-key/check", from: page, [("reason", "Scheduled rotation")])
            #expect(check.body.contains("Check the rotation") && check.body.contains("Scheduled rotation"))
            let rotated = try await alice.submit("/register-key/rotate", from: check, check.adminHidden + [("passphrase", Self.alice)])
            #expect(rotated.status == .ok && rotated.body.contains("Register key rotated"))
            let new = try await scene.services.verification.info().verifierKey
            #expect(new != old)
            #expect(auditUnescape(rotated.body).contains(new))
        }
    }
}
