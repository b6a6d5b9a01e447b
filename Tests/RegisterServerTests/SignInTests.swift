import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import RegisterServer

/// Sign-in, sessions, CSRF, lockout and the security headers (issue 10 §3).
@Suite struct SignInTests {
    @Test func aPageNeedsASignInAndSignInLandsOnIt() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var browser = Browser(client)
            let home = try await browser.get("/")
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/sign-in?next=/")
            let landed = try await browser.signIn("ivan")
            #expect(landed.status == .seeOther && landed.headers[.location] == "/")
            #expect(browser.cookies["ripa_session"] != nil)
            let page = try await browser.get("/")
            #expect(page.status == .ok)
            #expect(page.body.contains("Ivan Inglis"))
        }
    }

    @Test func theSessionCookieIsHttpOnlyStrictAndNewAtEverySignIn() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var browser = Browser(client)
            _ = try await browser.get("/sign-in")
            let token = try #require(browser.cookies["ripa_signin"])
            let response = try await browser.post("/sign-in", form: [("csrf", token), ("user_id", "ivan"), ("passphrase", WebScene.passphrases["ivan"]!)])
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("ripa_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            let first = browser.cookies["ripa_session"]
            try await browser.signIn("ivan")
            #expect(browser.cookies["ripa_session"] != first)
        }
    }

    @Test func aWrongPassphraseIsRefusedWithoutSayingWhichPartWasWrong() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var browser = Browser(client)
            let wrong = try await browser.signIn("ivan", passphrase: "not the passphrase at all")
            let unknown = try await browser.signIn("nobody", passphrase: "not the passphrase at all")
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong.body.contains("The user ID or passphrase is not right"))
            #expect(unknown.body.contains("The user ID or passphrase is not right"))
            #expect(wrong.body.contains(##"<a href="#passphrase">"##), "the error summary links to the field")
            #expect(browser.cookies["ripa_session"] == nil)
        }
    }

    @Test func fiveFailuresLockTheAccountEvenWithTheRightPassphrase() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var browser = Browser(client)
            for _ in 0..<5 { try await browser.signIn("ivan", passphrase: "guessing another passphrase") }
            let locked = try await browser.signIn("ivan")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.contains("locked"))
            #expect(browser.cookies["ripa_session"] == nil)
        }
    }

    @Test func aPostWithoutTheSessionsCSRFTokenIsRefused() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var browser = Browser(client)
            try await browser.signIn("ivan")
            let missing = try await browser.post("/sign-out", form: [])
            #expect(missing.status == .forbidden)
            let forged = try await browser.post("/sign-out", form: [("csrf", "forged-token")])
            #expect(forged.status == .forbidden)
            #expect(try await browser.get("/").status == .ok, "still signed in")
            let page = try await browser.get("/")
            let out = try await browser.submit("/sign-out", from: page, [])
            #expect(out.status == .seeOther)
            #expect(try await browser.get("/").status == .seeOther, "signed out")
        }
    }

    @Test func aSignInFormWithoutItsCookieTokenIsRefused() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var browser = Browser(client)
            let response = try await browser.post("/sign-in", form: [("csrf", "x"), ("user_id", "ivan"), ("passphrase", WebScene.passphrases["ivan"]!)])
            #expect(response.status == .forbidden)
            #expect(browser.cookies["ripa_session"] == nil)
        }
    }

    @Test func anIdleSessionExpires() async throws {
        let scene = try await WebScene()
        try await scene.app(sessionLimits: SessionLimits(idle: .seconds(3), lifetime: .seconds(60))).test(.router) { client in
            var browser = Browser(client)
            try await browser.signIn("ivan")
            #expect(try await browser.get("/").status == .ok)
            try await Task.sleep(for: .seconds(4))
            #expect(try await browser.get("/").status == .seeOther)
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var browser = Browser(client)
            for path in ["/sign-in", "/", "/no-such-page"] {
                let page = try await browser.get(path)
                #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true, "\(path)")
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            }
        }
    }

    @Test func aFormWithoutErrorsMarksNoFieldInError() async throws {
        // Mustache renders a section for an empty string: the pages blank them first.
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var browser = Browser(client)
            let form = try await browser.get("/sign-in")
            #expect(!form.body.contains("form-group--error"))
            #expect(!form.body.contains("error-summary"))
            let failed = try await browser.signIn("ivan", passphrase: "")
            #expect(failed.body.contains("form-group--error") && failed.body.contains("error-summary"))
        }
    }

    @Test func onlyLocalPathsAreFollowedAfterSignIn() {
        #expect(SignIn.localPath("/record") == "/record")
        #expect(SignIn.localPath("//evil.example") == "/")
        #expect(SignIn.localPath("https://evil.example") == "/")
        #expect(SignIn.localPath("/\\evil.example") == "/")
        #expect(SignIn.localPath(nil) == "/")
    }
}
