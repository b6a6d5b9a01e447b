import Foundation
import Ledger
import RegisterStorage
import Testing

/// Witnesses' cosignatures kept beside the log (`StoredCosignature`): the same on every backend.
@Suite struct CosignatureContractTests {
    static func line(_ n: Int) -> String { "\u{2014} w.example/\(n) AAAA\(n)" }

    @Test("kept once per witness and size, the first kept; listed by size then witness; the latest size per witness", arguments: Backend.allCases)
    func keepAndList(_ backend: Backend) async throws {
        let fixture = try StorageContractTests.Fixture(backend)
        defer { fixture.cleanUp() }
        let store = fixture.store
        #expect(try await store.read { try $0.cosignatures() }.isEmpty)
        #expect(try await store.read { try $0.latestCosignedSize(witness: "b") } == nil)
        try await store.keepCosignatures([
            StoredCosignature(size: 5, witness: "b", timestamp: 10, line: Self.line(1)),
            StoredCosignature(size: 3, witness: "a", timestamp: 9, line: Self.line(2)),
            StoredCosignature(size: 5, witness: "a", timestamp: 11, line: Self.line(3)),
        ])
        // A second one by the same witness for the same size is ignored: the first stands.
        try await store.keepCosignatures([StoredCosignature(size: 5, witness: "b", timestamp: 99, line: Self.line(4))])
        let all = try await store.read { try $0.cosignatures() }
        #expect(all.map { "\($0.size)\($0.witness)\($0.timestamp)" } == ["3a9", "5a11", "5b10"])
        #expect(try await store.read { try $0.cosignatures(atSize: 5) }.count == 2)
        #expect(try await store.read { try $0.cosignatures(from: 4) }.count == 2)
        #expect(try await store.read { try $0.latestCosignedSize(witness: "a") } == 5)
        #expect(try await store.read { try $0.latestCosignedSize(witness: "c") } == nil)
    }
}
