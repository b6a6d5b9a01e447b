import Foundation
import Ledger
import RegisterStorage
import Testing

@testable import RIPA

/// Destruction on a register kept in files (SQLite): after the approval and the compaction,
/// nothing of the destroyed cases' keys or personal data is left in the database, its WAL or
/// its SHM — not the sealed data keys, not the sealed case document, not the text.
@Suite("Retention on disk") struct RetentionOnDiskTests {
    static let name = "Ottoline Pemberton-Vasquez"
    static let purpose = "detecting a fraud by the trader Ottoline"
    static let profile = "https://www.instagram.com/ottoline.pv"
    static let lookProfile = "https://www.facebook.com/quillon.mabberley"

    static func storeBytes(_ db: String) throws -> Data {
        var bytes = Data()
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: db + suffix) {
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: db + suffix)))
        }
        return bytes
    }

    @Test("after destruction and compaction no byte of the database, WAL or SHM holds the destroyed keys, the sealed document or the text; verify --replay passes")
    func nothingLeftInTheFiles() async throws {
        let scene = try await ReplayScene(at: "2026-03-02T09:00:00.000Z", onDisk: true)
        defer { scene.cleanUp() }
        let services = RegisterServices(register: scene.register)
        func actor(_ id: String) async throws -> Actor {
            try await scene.register.unlock(userID: id, passphrase: id == "admin" ? "velvet orbit lantern benjo" : "copper kettle tide " + String(id.reversed()))
        }
        let application = Application(
            type: .directedSurveillance, operation: "Op Heron", purpose: Self.purpose,
            subjects: [Subject(name: Self.name, address: "9 Gannet Row, Hull", dateOfBirth: "1979-11-23", onlineIdentities: [try OnlineIdentity(address: Self.profile)])],
            offences: ["fraud-act-2006-s1"], necessity: "No other way", proportionality: "Limited", collateralIntrusion: "Minimal",
            confidentialInformationLikely: false, team: ["ivan"])
        let urn = try #require(try await services.casework.apply(application, by: try await actor("ivan")).urn)
        _ = try await services.casework.grant(urn: urn, reasons: "Necessary to identify Ottoline's business", reviewInterval: nil, firstReview: nil, directlyInvolved: false, by: try await actor("mo"))
        _ = try await services.casework.recordJudicial(
            urn: urn, decision: .approved, court: "Hull Magistrates", magistrate: "J. Bench", decidedAt: scene.clock.now, order: nil, by: try await actor("ivan"))
        _ = try await services.gate.look(at: Self.lookProfile, caseRef: "FR/2026/099", purpose: "is Quillon the trader", authorisation: nil, by: try await actor("ivan"))
        scene.clock.set("2026-04-10T10:00:00.000Z")
        _ = try await services.casework.cancel(urn: urn, reason: "Ottoline identified", valueObtained: "Her trading address", ceasedAt: nil, by: try await actor("mo"))

        // What an attacker with the files and the data-protection key would need: the sealed
        // data keys and the sealed case document as stored now.
        let (keyRows, document) = try await scene.register.store.read { reader in
            (try reader.dataKeyRows().filter { [urn, "case:FR/2026/099"].contains($0.name) }, try reader.authorisation(urn: urn)?.document)
        }
        #expect(keyRows.count == 2 && keyRows.allSatisfy { $0.sealed != nil })
        let sealedDocument = try #require(document?["sealed"]?["box"]?.stringValue)

        scene.clock.set("2032-01-05T09:00:00.000Z")
        let due = try await services.retention.due().cases.map(\.caseName)
        #expect(Set(due) == [urn, "case:FR/2026/099"])
        let requested = try await services.retention.request(by: try await actor("admin"))
        let approved = try await services.retention.approve(request: requested.request.seq, by: try await actor("admin"))
        #expect(approved.compacted && Set(approved.cases.map(\.caseName)) == [urn, "case:FR/2026/099"])

        let bytes = try Self.storeBytes(scene.db)
        #expect(bytes.count > 4096)
        for row in keyRows {
            #expect(bytes.range(of: Data(try #require(row.sealed))) == nil, "the sealed data key of \(row.name) is still in the files")
        }
        #expect(bytes.range(of: Data(sealedDocument.utf8)) == nil, "the sealed case document is still in the files")
        for secret in [Self.name, "Ottoline", "Quillon", "quillon.mabberley", "ottoline.pv", "Gannet Row", "1979-11-23", "Her trading address"] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is in the files")
        }
        // The tombstones say what destroyed them; the register still verifies and replays.
        let after = try await scene.register.store.read { reader in try reader.dataKeyRows().filter { [urn, "case:FR/2026/099"].contains($0.name) } }
        #expect(after.allSatisfy { $0.sealed == nil && $0.destroyedSeq == approved.seq })
        _ = try await RegisterVerifier(store: scene.register.store).verify(replay: true, now: scene.clock.now)
        let kept = try await services.casework.authorisation(urn)
        #expect(kept.application.operation == "Op Heron" && kept.application.subjects.isEmpty)
    }
}
