import Foundation
import Ledger
import RegisterFiles
import RegisterStorage
import Testing

@testable import RIPA

/// The user rules are one function (`Accounts`, issue 9 §4): an administrator who tries what
/// the live register refuses, then writes the same entry straight through the store with a
/// valid signature, is named by `verify --replay` in the live refusal's own words.
@Suite struct UserRuleReplayTests {
    enum Attempt: String, CaseIterable, Sendable {
        /// brian, one of two administrators, revokes himself.
        case selfRevocation
        /// admin, the only administrator, revokes herself.
        case lastAdministratorRevoked
        /// admin, the only administrator, drops her own administrator role.
        case lastAdministratorRoleRemoved
        /// carol, an administrator, approves the monitoring-officer role asked for her.
        case approvalByThePerson
        /// ivan, an investigator, makes mo an auditor.
        case roleChangeByNonAdministrator
    }

    /// Tries the attempt live (it must be refused, writing nothing) and returns the refusal,
    /// then forges the same entry; returns its index and the phrase the rule is known by.
    func attempt(_ attempt: Attempt, in scene: ReplayScene) async throws -> (live: RIPAError, forged: UInt64, phrase: String) {
        let admin = try await scene.unlock("admin")
        switch attempt {
        case .selfRevocation:
            let brian = try await scene.enrol("brian", roles: [.administrator], by: admin)
            let live = try await refused(scene) { try await scene.register.revoke("brian", reason: "leaving", by: brian) }
            let forged = try await scene.forge(.userRevoked, UserRevocation(userID: "brian", reason: "leaving"), signedBy: brian)
            return (live, forged, "cannot revoke themselves; ask another administrator")
        case .lastAdministratorRevoked:
            let live = try await refused(scene) { try await scene.register.revoke("admin", reason: "leaving", by: admin) }
            let forged = try await scene.forge(.userRevoked, UserRevocation(userID: "admin", reason: "leaving"), signedBy: admin)
            return (live, forged, "'admin' is the last administrator")
        case .lastAdministratorRoleRemoved:
            let live = try await refused(scene) { _ = try await scene.register.changeRoles(of: "admin", to: [.investigator], by: admin) }
            let forged = try await scene.forge(.userRolesChanged, UserRolesChange(userID: "admin", roles: [.investigator]), signedBy: admin)
            return (live, forged, "'admin' is the last administrator")
        case .approvalByThePerson:
            // Three administrators, so that carol's new role waits for one who did not ask.
            let brian = try await scene.enrol("brian", roles: [.administrator], by: admin)
            let carol = try await scene.enrol("carol", roles: [.administrator], by: admin)
            try await scene.register.approve("carol", by: brian)
            let (_, account) = try await scene.register.changeRoles(of: "carol", to: [.administrator, .monitoringOfficer], by: admin)
            let pending = try #require(account?.pending)
            let live = try await refused(scene) { _ = try await scene.register.approve("carol", by: carol) }
            let forged = try await scene.forge(.userApproved, UserApproval(userID: "carol", request: pending.seq, roles: pending.roles), signedBy: carol)
            return (live, forged, "carol may not approve their own roles")
        case .roleChangeByNonAdministrator:
            let live = try await refused(scene) { _ = try await scene.register.changeRoles(of: "mo", to: [.auditor], by: scene.ivan) }
            let forged = try await scene.forge(.userRolesChanged, UserRolesChange(userID: "mo", roles: [.auditor]), signedBy: scene.ivan)
            return (live, forged, "may not write user.roles-changed: it needs administrator")
        }
    }

    /// The live refusal: a `RIPAError`, and nothing written.
    func refused(_ scene: ReplayScene, sourceLocation: SourceLocation = #_sourceLocation, _ action: () async throws -> Void) async throws -> RIPAError {
        let before = try await scene.register.store.read { try $0.size() }
        let error = try await #require(throws: RIPAError.self, sourceLocation: sourceLocation) { try await action() }
        let after = try await scene.register.store.read { try $0.size() }
        #expect(after == before, "something was written", sourceLocation: sourceLocation)
        return error
    }

    @Test("refused live, forged through the store: verify --replay names the entry with the live refusal's words", arguments: Attempt.allCases)
    func liveRefusalIsReplayFinding(attempt: Attempt) async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z", onDisk: true)
        defer { scene.cleanUp() }
        let (live, index, phrase) = try await self.attempt(attempt, in: scene)
        #expect(live.message.contains(phrase), "\(live.message)")

        let failure = await #expect(throws: VerificationFailure.self) {
            try await RegisterVerifier(store: scene.register.store).verify(replay: true)
        }
        #expect(failure?.index == index)
        #expect(failure?.check == .authority)
        // One rule, one text: the finding quotes the live refusal whole.
        #expect(failure?.message.contains(live.message) == true, "live: \(live.message)\nreplay: \(failure?.message ?? "none")")

        let result = try ReplayTests.ripa(["verify", "--replay", "--json", "--db", scene.db])
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        #expect(try JSONValue(parsing: result.stdout)["index"] == .integer(Int64(index)))
        #expect(result.stderr.contains(phrase), "\(result.stderr)")

        // `ripa rebuild` projects through the same function: it lists the entry, not applies it.
        let rebuilt = try await Projector.rebuild(scene.register)
        #expect(rebuilt.exceptions.map(\.seq) == [index])
        #expect(rebuilt.exceptions.first?.rule == live.message)
    }

    @Test("the honest path through the same rules replays cleanly")
    func honestChangesReplay() async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z")
        defer { scene.cleanUp() }
        let admin = try await scene.unlock("admin")
        let brian = try await scene.enrol("brian", roles: [.administrator], by: admin)
        _ = try await scene.register.changeRoles(of: "admin", to: [.administrator, .auditor], by: brian)
        try await scene.register.revoke("brian", reason: "left the council", by: admin)
        _ = try await scene.register.changeRoles(of: "mo", to: [.auditor], by: admin)
        try await scene.register.revoke("ivan", reason: "left the council", by: admin)
        let report = try await RegisterVerifier(store: scene.register.store).verify(replay: true)
        #expect(report.activeUsers == 2, "admin and mo")
    }
}

extension ReplayScene {
    func unlock(_ id: String) async throws -> Actor {
        try await register.unlock(userID: id, passphrase: id == "admin" ? "velvet orbit lantern benjo" : "copper kettle tide " + String(id.reversed()))
    }

    /// Invites and accepts a user through the register's own rules.
    func enrol(_ id: String, roles: [Role], by admin: Actor) async throws -> Actor {
        let invitation = try await register.invite(NewUser(userID: id, name: id.capitalized, roles: roles, rank: "Officer"), by: admin)
        try await register.acceptInvitation(userID: id, code: invitation.code.description, passphrase: "copper kettle tide " + String(id.reversed()))
        return try await unlock(id)
    }
}
