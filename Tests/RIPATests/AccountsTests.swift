import Foundation
import Ledger
import Testing

@testable import RIPA

/// The account rules as one pure function (`Accounts.apply`), run here on an in-memory book as
/// `ripa verify` runs them: several approvals, each from a different administrator other than
/// the one who asked and the person.
@Suite struct AccountsTests {
    struct Scene {
        var book = AccountBook()
        var keys: [String: SigningKey] = [:]
        var seq: UInt64 = 1
        let time = EntryTime(millisecondsSince1970: 1_780_000_000_000)
        let registerKey = SigningKey()

        init(founders: [String], approvals: Int) throws {
            book.found(RegisterCreation(format: "ripa-register/1", origin: "o", verifierKey: "k", administrators: founders))
            book.rule = PolicyRules.TwoPersonControl(approvals: approvals, invitationDays: 7, source: "test")
            var codes: [String: InvitationCode] = [:]
            for id in founders {
                codes[id] = InvitationCode.generate()
                try apply(.userInvited, invitation(id, roles: [.administrator], code: codes[id]!), signedBy: registerKey, byRegisterKey: true)
            }
            for id in founders { try accept(id, code: codes[id]!) }
        }

        func invitation(_ id: String, roles: [Role], code: InvitationCode) -> UserInvitation {
            UserInvitation(userID: id, name: id, roles: roles, rank: "R", headOfPaidService: false, codeHash: code.hash,
                           expiresAt: EntryTime(millisecondsSince1970: time.millisecondsSince1970 + 86_400_000))
        }

        @discardableResult
        mutating func apply(_ kind: EntryKind, _ body: some Encodable, signedBy key: SigningKey, byRegisterKey: Bool = false) throws -> UInt64 {
            seq += 1
            let entry = Entry.sign(seq: seq, time: time, kind: kind.rawValue, prev: .zero, body: try JSONValue(encoding: body), with: key)
            book.update(try Accounts.apply(entry, kind: kind, byRegisterKey: byRegisterKey, context: book))
            return seq
        }

        mutating func accept(_ id: String, code: InvitationCode) throws {
            let key = SigningKey()
            keys[id] = key
            let invited = try #require(try book.account(id: id)).invitedSeq
            try apply(.userAccepted, UserAcceptance(userID: id, invitation: invited, publicKey: key.publicKey.base64, codeProof: code.proof), signedBy: key)
        }

        mutating func approve(_ id: String, by admin: String) throws {
            let request = try #require(try book.account(id: id)?.pending?.seq)
            try apply(.userApproved, UserApproval(userID: id, request: request, roles: [.monitoringOfficer]), signedBy: keys[admin]!)
        }
    }

    @Test("with approvals: 2, a monitoring officer's role needs two other administrators, each once")
    func twoApprovals() throws {
        var scene = try Scene(founders: ["a", "b", "c"], approvals: 2)
        #expect(scene.book.open)
        let code = InvitationCode.generate()
        try scene.apply(.userInvited, scene.invitation("d", roles: [.investigator, .monitoringOfficer], code: code), signedBy: scene.keys["a"]!)
        try scene.accept("d", code: code)
        #expect(try scene.book.account(id: "d")?.roles == [.investigator])
        #expect(try scene.book.account(id: "d")?.pending?.required == 2)

        #expect(throws: RIPAError.self) { try scene.approve("d", by: "a") }  // the requester
        try scene.approve("d", by: "b")
        #expect(try scene.book.account(id: "d")?.roles == [.investigator], "one of two approvals")
        #expect(throws: RIPAError.self) { try scene.approve("d", by: "b") }  // the same administrator twice
        #expect(throws: RIPAError.self) { try scene.approve("d", by: "d") }  // the person
        try scene.approve("d", by: "c")
        #expect(try scene.book.account(id: "d")?.roles == [.investigator, .monitoringOfficer])
        #expect(try scene.book.account(id: "d")?.pending == nil)
    }

    @Test("a grant that not enough other administrators could approve is refused when asked")
    func tooFewApprovers() throws {
        var scene = try Scene(founders: ["a", "b"], approvals: 2)
        #expect(throws: RIPAError.self) {
            try scene.apply(.userInvited, scene.invitation("d", roles: [.administrator], code: .generate()), signedBy: scene.keys["a"]!)
        }
    }

    @Test("the register key invites only the founders the genesis names, and the register opens when all have accepted")
    func founding() throws {
        var scene = Scene.init(uninvited: ())
        scene.book.found(RegisterCreation(format: "ripa-register/1", origin: "o", verifierKey: "k", administrators: ["a", "b"]))
        #expect(!scene.book.open)
        #expect(throws: RIPAError.self) {
            try scene.apply(.userInvited, scene.invitation("eve", roles: [.administrator], code: .generate()), signedBy: scene.registerKey, byRegisterKey: true)
        }
        let (ca, cb) = (InvitationCode.generate(), InvitationCode.generate())
        try scene.apply(.userInvited, scene.invitation("a", roles: [.administrator], code: ca), signedBy: scene.registerKey, byRegisterKey: true)
        try scene.apply(.userInvited, scene.invitation("b", roles: [.administrator], code: cb), signedBy: scene.registerKey, byRegisterKey: true)
        #expect(throws: RIPAError.self) { try scene.accept("a", code: cb) }  // another's code
        try scene.accept("a", code: ca)
        #expect(!scene.book.open)
        try scene.accept("b", code: cb)
        #expect(scene.book.open)
    }
}

extension AccountsTests {
    @Test("the function alone refuses a non-administrator's role change, a self-revocation and the last administrator's removal")
    func whoMayChangeWhom() throws {
        var scene = try Scene(founders: ["a", "b"], approvals: 1)
        let code = InvitationCode.generate()
        try scene.apply(.userInvited, scene.invitation("i", roles: [.investigator], code: code), signedBy: scene.keys["a"]!)
        try scene.accept("i", code: code)
        let reason = UserRevocation(userID: "a", reason: "leaving")

        let byInvestigator = #expect(throws: RIPAError.self) {
            try scene.apply(.userRolesChanged, UserRolesChange(userID: "b", roles: [.auditor]), signedBy: scene.keys["i"]!)
        }
        #expect(byInvestigator?.message == "i (investigator) may not write user.roles-changed: it needs administrator")
        let own = #expect(throws: RIPAError.self) { try scene.apply(.userRevoked, reason, signedBy: scene.keys["a"]!) }
        #expect(own?.message == "an administrator cannot revoke themselves; ask another administrator")
        #expect(throws: RIPAError.self) { try scene.apply(.userRevoked, UserRevocation(userID: "a", reason: " "), signedBy: scene.keys["b"]!) }

        try scene.apply(.userRevoked, reason, signedBy: scene.keys["b"]!)
        let last = #expect(throws: RIPAError.self) {
            try scene.apply(.userRolesChanged, UserRolesChange(userID: "b", roles: [.investigator]), signedBy: scene.keys["b"]!)
        }
        #expect(last?.message.contains("'b' is the last administrator") == true, "\(last?.message ?? "")")
        #expect(try scene.book.account(id: "b")?.roles == [.administrator])
    }
}

extension AccountsTests.Scene {
    init(uninvited: Void) {}
}
