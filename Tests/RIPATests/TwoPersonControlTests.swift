import Foundation
import Ledger
import RegisterFiles
import Testing

@testable import RIPA

/// The pack's `two_person_control` (issue 8 §2): how many other administrators approve a
/// privileged grant, with a floor of 1 on a real register, and how long an invitation lasts.
@Suite struct TwoPersonControlTests {
    typealias F = PolicyFixtures

    static func load(_ pack: String) throws -> Policy {
        try PolicyLoader.load(files: [(name: "pack.yaml", text: pack), (name: "offences.yaml", text: F.catalogue)])
    }

    @Test("a pack without the section gets one approval and seven days; the shipped pack says so explicitly")
    func defaults() throws {
        let rule = try Self.load(F.pack).rules.twoPersonControl
        #expect(rule.approvals == 1 && rule.invitationDays == 7)
        let shipped = try RepositoryFiles.shippedPolicy().rules.twoPersonControl
        #expect(shipped.approvals == 1 && shipped.invitationDays == 7)
        #expect(shipped.source.contains("RIPA.md §3"))
    }

    @Test("0 approvals loads but only a test register takes it; 10 is out of range")
    func floorOfOneOnARealRegister() async throws {
        let zero = try Self.load(F.pack + "two_person_control: {approvals: 0, invitation_days: 3, source: test}\n")
        #expect(zero.rules.twoPersonControl.approvals == 0)
        #expect(throws: RIPAError.self) { try zero.rules.twoPersonControl.requireFloor(testRegister: false) }
        try zero.rules.twoPersonControl.requireFloor(testRegister: true)
        #expect(throws: PolicyError.self) { try Self.load(F.pack + "two_person_control: {approvals: 10, invitation_days: 3, source: test}\n") }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ripa-tpc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let founders = ["alice", "bob"].map { NewUser(userID: $0, name: $0, roles: [.administrator], rank: "Administrator") }
        await #expect(throws: RIPAError.self) {
            _ = try await RegisterFiles.create(databasePath: directory.appendingPathComponent("real.db").path, origin: "ripa.test/register",
                                    administrators: founders, policy: (zero, ["pack.yaml"]))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("real.db").path))
    }

    @Test("an invitation code reads back however it is typed, and its proof hashes to its hash")
    func invitationCode() throws {
        let code = InvitationCode.generate()
        #expect(code.description.count == 39 && code.description.split(separator: "-").count == 8)
        #expect(try InvitationCode(parsing: code.description.lowercased().replacingOccurrences(of: "-", with: " ")) == code)
        #expect(InvitationCode.hash(ofProof: code.proof) == code.hash)
        #expect(InvitationCode.generate() != code)
        #expect(throws: RIPAError.self) { try InvitationCode(parsing: "ABCD-EFGH") }
    }
}
