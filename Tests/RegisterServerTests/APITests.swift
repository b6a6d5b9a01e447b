import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import RIPA
import Testing

@testable import RegisterServer

/// The JSON API under /api/v1 (issue 10 §5): sign-in, CSRF, roles, errors as data, and the
/// gate asked by many clients at once (§7).
@Suite struct APITests {
    /// A client of the API: its session cookie and CSRF token.
    struct Client {
        var cookie: String
        var csrf: String

        static func signIn(_ client: any TestClientProtocol, _ user: String) async throws -> Client {
            let body = try JSONValue.object(["user_id": .string(user), "passphrase": .string(WebScene.passphrases[user]!)]).canonicalString
            let response = try await client.execute(
                uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            let setCookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("ripa_session=") })
            let json = try JSONValue(parsing: String(buffer: response.body))
            guard case .string(let csrf)? = json["csrf_token"] else { throw WebError.badRequest("no csrf_token") }
            return Client(cookie: String(setCookie.split(separator: ";")[0]), csrf: csrf)
        }

        func headers(csrf: Bool = true) -> HTTPFields {
            var fields: HTTPFields = [.cookie: cookie, .contentType: "application/json"]
            if csrf { fields[HTTPField.Name("X-CSRF-Token")!] = self.csrf }
            return fields
        }
    }

    static func look(_ address: String, case caseRef: String = "CR-1", authorisation: String? = nil) -> ByteBuffer {
        var members: [String: JSONValue] = ["address": .string(address), "case_ref": .string(caseRef), "purpose": "Check the seller's listings"]
        if let authorisation { members["authorisation"] = .string(authorisation) }
        return ByteBuffer(string: JSONValue.object(members).canonicalString)
    }

    @Test func withoutASessionTheAPIAnswers401AsData() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/cases", method: .get)
            #expect(response.status == .unauthorized)
            let json = try JSONValue(parsing: String(buffer: response.body))
            #expect(json["error"]?["code"] == "signInNeeded")
        }
    }

    @Test func aWrongPassphraseIsRefusedAndNoCookieIsSet() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            let body = #"{"user_id":"ivan","passphrase":"not the right passphrase"}"#
            let response = try await client.execute(
                uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
            #expect(response.status == .unauthorized)
            #expect(response.headers[.setCookie] == nil)
        }
    }

    @Test func aSignInSentAsAFormIsRefused() async throws {
        // A cross-site page can post a form, but not JSON without a CORS preflight.
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/session", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "user_id=ivan&passphrase=copper+kettle+morning+tide"))
            #expect(response.status != .ok)
            #expect(response.headers[.setCookie] == nil)
        }
    }

    @Test func theGateAnswersBeforeALookAndRecordsNothing() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            let ivan = try await Client.signIn(client, "ivan")
            let size = try await scene.services.verification.info().size
            let uri = "/api/v1/gate?address=" + Browser.encode("https://www.facebook.com/sam.subject")
            let response = try await client.execute(uri: uri, method: .get, headers: ivan.headers(csrf: false))
            #expect(response.status == .ok)
            let json = try JSONValue(parsing: String(buffer: response.body))
            #expect(json["allowed"] == true && json["basis"] == "initial-examination")
            #expect(try await scene.services.verification.info().size == size, "asking writes nothing")
        }
    }

    @Test func aLookNeedsTheCSRFHeaderAndTheInvestigatorsRole() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            let ivan = try await Client.signIn(client, "ivan")
            let ada = try await Client.signIn(client, "ada")
            let body = Self.look("https://www.facebook.com/sam.subject")
            let noToken = try await client.execute(uri: "/api/v1/looks", method: .post, headers: ivan.headers(csrf: false), body: body)
            #expect(noToken.status == .forbidden)
            let auditor = try await client.execute(uri: "/api/v1/looks", method: .post, headers: ada.headers(), body: body)
            #expect(auditor.status == .forbidden)
            #expect(try JSONValue(parsing: String(buffer: auditor.body))["error"]?["code"] == "forbidden")
            let ok = try await client.execute(uri: "/api/v1/looks", method: .post, headers: ivan.headers(), body: body)
            #expect(ok.status == .created)
            #expect(try JSONValue(parsing: String(buffer: ok.body))["allowed"] == true)
        }
    }

    @Test func aBadAddressIsTheCoresErrorAsData() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            let ivan = try await Client.signIn(client, "ivan")
            let response = try await client.execute(
                uri: "/api/v1/looks", method: .post, headers: ivan.headers(), body: Self.look("not an address at all"))
            #expect(response.status == .unprocessableContent)
            let json = try JSONValue(parsing: String(buffer: response.body))
            #expect(json["error"]?["code"] != nil && json["error"]?["message"] != nil)
            let missing = try await client.execute(
                uri: "/api/v1/looks", method: .post, headers: ivan.headers(), body: ByteBuffer(string: #"{"address":"x"}"#))
            #expect(missing.status == .unprocessableContent)
            #expect(try JSONValue(parsing: String(buffer: missing.body))["error"]?["values"]?["field"] == "case_ref")
        }
    }

    @Test("20 clients asking the gate about one new profile at once: exactly one initial examination")
    func twentyClientsAtOnce() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.live) { client in
            let ivan = try await Client.signIn(client, "ivan")
            let ivy = try await Client.signIn(client, "ivy")
            let statuses = try await withThrowingTaskGroup(of: JSONValue.self) { group in
                for index in 0..<20 {
                    let who = index.isMultiple(of: 2) ? ivan : ivy
                    group.addTask {
                        let response = try await client.execute(
                            uri: "/api/v1/looks", method: .post, headers: who.headers(),
                            body: Self.look("https://www.instagram.com/new.profile.\(0)", case: "CR-\(index)"))
                        #expect(response.status == .created)
                        return try JSONValue(parsing: String(buffer: response.body))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.count == 20)
            #expect(statuses.filter { $0["allowed"] == true }.count == 1)
            #expect(statuses.filter { $0["basis"] == "initial-examination" }.count == 1)
            #expect(statuses.filter { $0["allowed"] == false }.count == 19)
        }
    }
}
