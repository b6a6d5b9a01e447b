import Foundation
import Ledger
import MemoryStorage
import RegisterStorage
import Testing

@testable import RIPA

/// A test register on the in-memory backend, reached only through its services, with a
/// clock the test moves.
struct ServiceFixture {
    /// The register's clock: what `RegisterClock.test` reads.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var time: EntryTime
        init(_ text: String) { time = try! EntryTime(parsing: text) }
        func set(_ text: String) { lock.withLock { time = try! EntryTime(parsing: text) } }
        var now: EntryTime { lock.withLock { time } }
    }

    static let passphrases = ["alice": "amber lantern over quiet meadows", "bob": "seven copper kettles hum softly"]

    let services: RegisterServices
    let clock: Clock
    let founders: [InvitationIssued]

    /// Two founding administrators, both accepted: the register is open.
    static func open(at time: String = "2026-03-02T09:00:00.000Z") async throws -> ServiceFixture {
        let fixture = try await unopened(at: time)
        for invitation in fixture.founders {
            _ = try await fixture.services.users.accept(
                userID: invitation.userID, code: invitation.code, passphrase: passphrases[invitation.userID]!)
        }
        return fixture
    }

    /// Two founders invited, neither has accepted.
    static func unopened(at time: String = "2026-03-02T09:00:00.000Z") async throws -> ServiceFixture {
        let clock = Clock(time)
        let (register, _, invitations) = try await Register.build(
            store: RegisterStore(backend: MemoryBackend(origin: "ripa.test/services")), keyStore: MemoryKeyStore(),
            administrators: ["alice", "bob"].map { NewUser(userID: $0, name: $0.capitalized, roles: [.administrator], rank: "Administrator") },
            policy: (try RepositoryFiles.shippedPolicy(), ShippedPolicy.fileNames), testRegister: true,
            clock: .test { clock.now })
        return ServiceFixture(services: RegisterServices(register: register), clock: clock, founders: invitations.map(InvitationIssued.init))
    }

    func actor(_ userID: String, _ passphrase: String? = nil) async throws -> Actor {
        try await services.users.unlock(userID: userID, passphrase: passphrase ?? Self.passphrases[userID]!)
    }

    var size: UInt64 { get async throws { try await services.verification.info().size } }

    static func json(_ value: some Encodable) throws -> JSONValue { try JSONValue(encoding: value) }
}

@Suite struct UserServiceTests {
    typealias F = ServiceFixture

    @Test("an invitation's expiry is computed inside the transaction from the register's clock, never behind the last entry")
    func invitationExpiryFromTheRegistersClock() async throws {
        let f = try await F.open(at: "2026-03-02T09:00:00.000Z")
        f.clock.set("2026-03-05T12:30:00.000Z")
        let alice = try await f.actor("alice")
        let first = try await f.services.users.invite(userID: "ivan", name: "Ivan Ives", roles: [.investigator], rank: "Officer", by: alice)
        let week = try EntryTime(parsing: "2026-03-12T12:30:00.000Z")
        #expect(first.expiresAt == week, "7 days (the pack's invitation_days) after the clock")

        // A clock set behind the register's last entry: entry times never go backwards, and
        // the default follows the entry's own time (`writer.nextTime`), not the raw clock.
        f.clock.set("2026-03-01T00:00:00.000Z")
        let second = try await f.services.users.invite(userID: "ian", name: "Ian Irons", roles: [.investigator], rank: "Officer", by: alice)
        #expect(second.expiresAt == first.expiresAt)
        #expect(second.seq == first.seq + 1)
        #expect(try await f.services.users.user("ian").status == "invited, not yet accepted (code valid until 2026-03-12T12:30:00.000Z)")
    }

    @Test("invite, accept, approve, change roles, revoke: typed commands and the account they leave")
    func lifecycle() async throws {
        let f = try await F.open()
        let (alice, bob) = (try await f.actor("alice"), try await f.actor("bob"))
        let invitation = try await f.services.users.invite(
            userID: "mo", name: "Mona Okafor", roles: [.monitoringOfficer], rank: "Director", by: alice)
        #expect(invitation.awaitingApproval == [.monitoringOfficer])

        let shown = try F.json(try await f.services.users.user("mo"))
        #expect(shown["public_key"] == .null && shown["accepted_seq"] == .null && shown["revoked_seq"] == .null)
        #expect(shown["roles"] == [] && shown["awaiting_approval"]?["requested_by"] == "alice")
        #expect(shown["awaiting_approval"]?["request_seq"]?.integerValue == Int64(invitation.seq))

        let accepted = try await f.services.users.accept(userID: "mo", code: invitation.code, passphrase: "violet harbour under winter stars")
        #expect(accepted.registerOpen && accepted.seq == invitation.seq + 1)
        await #expect(throws: RIPAError.self, "the inviter may not approve her own request") {
            _ = try await f.services.users.approve("mo", by: alice)
        }
        let approved = try await f.services.users.approve("mo", by: bob)
        #expect(approved.roles == [.monitoringOfficer] && approved.awaitingApproval == nil)

        let changed = try await f.services.users.changeRoles(of: "mo", to: [.monitoringOfficer, .auditor], by: alice)
        #expect(changed.roles == [.auditor, .monitoringOfficer].sorted() && changed.awaitingApproval == nil)
        let revoked = try await f.services.users.revoke("mo", reason: "left the council", by: bob)
        #expect(revoked.seq == changed.seq + 1)
        await #expect(throws: RIPAError.self) { _ = try await f.actor("mo", "violet harbour under winter stars") }
        #expect(try await f.services.users.list().map(\.userID) == ["alice", "bob", "mo"])
        #expect(try await f.services.users.user("mo").status.hasPrefix("revoked at entry"))
    }

    @Test("the passphrase rule is the service's: a weak one is refused and nothing is written", arguments: [
        "short", "password1234567890", "aaaaaaaaaaaaaaaaaaaa",
    ])
    func passphraseRule(weak: String) async throws {
        let f = try await F.open()
        let invitation = try await f.services.users.invite(userID: "ivan", name: "Ivan Ives", roles: [.investigator], rank: "Officer", by: try await f.actor("alice"))
        let before = try await f.size
        await #expect(throws: RIPAError.self) {
            _ = try await f.services.users.accept(userID: "ivan", code: invitation.code, passphrase: weak)
        }
        let after = try await f.size
        #expect(after == before)
        await #expect(throws: RIPAError.self) { _ = try await f.services.users.changePassphrase(of: try await f.actor("alice"), to: weak) }
        let afterChange = try await f.size
        #expect(afterChange == before)
    }

    @Test("a new passphrase replaces the key: the old one unlocks nothing")
    func changePassphrase() async throws {
        let f = try await F.open()
        let changed = try await f.services.users.changePassphrase(of: try await f.actor("alice"), to: "copper moth drifts past lanterns")
        #expect(changed.userID == "alice")
        await #expect(throws: RIPAError.self) { _ = try await f.actor("alice") }
        #expect(try await f.actor("alice", "copper moth drifts past lanterns").userID == "alice")
        #expect(try await f.services.users.user("alice").keysReplaced == 1)
    }

    @Test("only an administrator rotates the register key; info then names the new key")
    func rotateRegisterKey() async throws {
        let f = try await F.open()
        let alice = try await f.actor("alice")
        let invitation = try await f.services.users.invite(userID: "ivan", name: "Ivan Ives", roles: [.investigator], rank: "Officer", by: alice)
        _ = try await f.services.users.accept(userID: "ivan", code: invitation.code, passphrase: "violet harbour under winter stars")
        let ivan = try await f.actor("ivan", "violet harbour under winter stars")
        let error = await #expect(throws: RIPAError.self) { _ = try await f.services.users.rotateRegisterKey(reason: "scheduled", by: ivan) }
        #expect(error?.code == .notPermitted)
        let before = try await f.services.verification.info().verifierKey
        let rotated = try await f.services.users.rotateRegisterKey(reason: "scheduled", by: alice)
        #expect(rotated.verifierKey != before)
        #expect(try await f.services.verification.info().verifierKey == rotated.verifierKey)
        #expect(try await f.services.verification.verify().report?.verifierKeys == [before, rotated.verifierKey])
    }

    @Test("until every founder accepts, the register is not open and no one can act")
    func notOpenUntilFoundersAccept() async throws {
        let f = try await F.unopened()
        #expect(try await f.services.users.isOpen() == false)
        let accepted = try await f.services.users.accept(userID: "alice", code: f.founders[0].code, passphrase: F.passphrases["alice"]!)
        #expect(!accepted.registerOpen)
        await #expect(throws: RIPAError.self) { _ = try await f.actor("alice") }
        #expect(throws: RIPAError.self) { try UserService.checkCodeForm("ABCD-EFGH") }
    }
}

@Suite struct PolicyServiceTests {
    typealias F = ServiceFixture

    @Test("the pack in force prints as {seq, hash, policy}; each offence is evaluated at the threshold")
    func inForce() async throws {
        let f = try await F.open()
        let adopted = try await f.services.policy.inForce()
        let hash = try PolicyAdoption.hash(of: adopted.policy)
        #expect(adopted.seq == 1 && adopted.hash == hash)
        guard case .object(let members) = try F.json(adopted) else { Issue.record("not an object"); return }
        #expect(Set(members.keys) == ["seq", "hash", "policy"])
        let thresholds = try adopted.offenceThresholds()
        #expect(thresholds.count == adopted.policy.offences.offences.count)
        #expect(thresholds.contains { $0.finding == .passes } && thresholds.contains { $0.finding == .exempt })
    }

    @Test("adopting needs a higher version; the new one is in force from its entry, named by its files")
    func adopt() async throws {
        let f = try await F.open()
        let alice = try await f.actor("alice")
        var policy = try RepositoryFiles.shippedPolicy()
        await #expect(throws: (any Error).self, "the same version again") {
            _ = try await f.services.policy.adopt(policy, files: ["same.yaml"], by: alice)
        }
        policy.rules.version += 1
        let adopted = try await f.services.policy.adopt(policy, readFrom: ["/somewhere/pack.yaml", "/somewhere/offences.yaml"], by: alice)
        #expect(adopted.version == policy.rules.version && adopted.offences == policy.offences.offences.count)
        let inForce = try await f.services.policy.inForce()
        #expect(inForce.seq == adopted.seq && inForce.hash == adopted.hash)
    }
}

@Suite struct VerificationServiceTests {
    typealias F = ServiceFixture

    @Test("verify reports as the CLI's JSON; a key the register never used is a failure result, not an error")
    func verify() async throws {
        let f = try await F.open()
        let result = try await f.services.verification.verify(replay: true)
        let report = try #require(result.report)
        let size = try await f.size
        #expect(result.ok && result.testRegister && report.size == size)
        let json = try F.json(result)
        #expect(json["ok"] == true && json["test_register"] == true && json["kept_checkpoint_size"] == .null)
        #expect(json["replayed_decisions"]?.integerValue != nil && json["summary"]?.stringValue == report.summary)
        #expect(try F.json(try json.decode(VerificationResult.self)) == json, "it reads back as it prints")

        let stranger = try NoteSignerKey(name: "ripa.test/services", signingKey: SigningKey()).verifierKey
        let failed = try await f.services.verification.verify(trustedKey: stranger)
        #expect(!failed.ok && failed.failure?.check == .checkpoint)
        let failedJSON = try F.json(failed)
        #expect(failedJSON["ok"] == false && failedJSON["index"] == .null && failedJSON["check"] == "checkpoint")
        #expect(failedJSON["size"] == nil)
    }

    @Test("rebuild is an administrator's: the service checks the role")
    func rebuild() async throws {
        let f = try await F.open()
        let alice = try await f.actor("alice")
        let invitation = try await f.services.users.invite(userID: "aud", name: "Audrey Oduya", roles: [.auditor], rank: "Auditor", by: alice)
        _ = try await f.services.users.accept(userID: "aud", code: invitation.code, passphrase: "violet harbour under winter stars")
        let error = await #expect(throws: RIPAError.self) {
            _ = try await f.services.verification.rebuild(by: try await f.actor("aud", "violet harbour under winter stars"))
        }
        #expect(error?.code == .notPermitted)
        let rebuilt = try await f.services.verification.rebuild(by: alice)
        let size = try await f.size
        #expect(rebuilt.entries == size && rebuilt.exceptions.isEmpty)
        #expect(try F.json(rebuilt)["ok"] == true)
    }

    @Test("the log names each signer; proofs verify against the root info reports")
    func logAndProofs() async throws {
        let f = try await F.open()
        var lines: [LogLine] = []
        try await f.services.verification.log(from: 0, described: true) { lines += $0 }
        let size = try await f.size
        #expect(lines.count == Int(size))
        #expect(lines.map(\.signer) == ["register", "register", "register", "register", "alice", "bob"])
        let kinds = lines.map { (try? Entry(leafData: Array($0.leaf.utf8)))?.kind }
        #expect(kinds == lines.map(\.kind))
        var bare: [LogLine] = []
        try await f.services.verification.log(from: 4, described: false) { bare += $0 }
        #expect(bare.map(\.seq) == [4, 5] && bare.allSatisfy { $0.kind == nil } && bare[0].leaf == lines[4].leaf)
        await #expect(throws: RIPAError.self) { try await f.services.verification.log(from: 7, described: false) { _ in } }

        let info = try await f.services.verification.info()
        let inclusion = try await f.services.verification.inclusionProof(index: 4)
        #expect(inclusion.root == info.root && inclusion.size == info.size)
        let proof = InclusionProof(index: 4, size: inclusion.size, path: inclusion.proof.compactMap(Hash.init(base64:)))
        #expect(proof.verify(leafHash: try #require(Hash(base64: inclusion.leafHash)), root: try #require(Hash(base64: info.root))))
        let consistency = try await f.services.verification.consistencyProof(old: 3)
        #expect(consistency.newRoot == info.root && consistency.new == info.size)
        #expect(try await f.services.verification.latestCheckpoint().hasPrefix("ripa.test/services\n\(info.size)\n\(info.root)\n"))
        await #expect(throws: RIPAError.self) { _ = try await f.services.verification.document(sha256: String(repeating: "0", count: 64)) }
    }
}
