import Foundation
import GRDB
import Ledger
import MemoryStorage
import RegisterStorage
import SQLiteStorage
import Testing

/// The backends the storage port has; every contract test runs on each.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case memory

    var testDescription: String { rawValue }
}

/// The storage port's contract (`StorageBackend`): what every backend must do alike — atomic
/// appends, one writer at a time, consistent reads, the stored tree and proofs, projections.
@Suite struct StorageContractTests {
    static let origin = "store.test/register"

    struct Fixture {
        let backend: Backend
        let directory: URL
        let store: RegisterStore
        let registerKey: NoteSignerKey
        let userKey = SigningKey()

        init(_ backend: Backend) throws {
            self.backend = backend
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("ripa-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            store = try Self.makeStore(backend, in: directory, name: "r.db")
            registerKey = try NoteSignerKey(name: StorageContractTests.origin, signingKey: SigningKey())
        }

        static func makeStore(_ backend: Backend, in directory: URL, name: String) throws -> RegisterStore {
            switch backend {
            case .sqlite: RegisterStore(backend: try SQLiteBackend.create(at: directory.appendingPathComponent(name).path, origin: StorageContractTests.origin))
            case .memory: RegisterStore(backend: MemoryBackend(origin: StorageContractTests.origin))
            }
        }

        /// Another writer on the same register: a second connection (another process, for
        /// SQLite), with its own tip cache.
        func secondStore() throws -> RegisterStore {
            switch backend {
            case .sqlite: RegisterStore(backend: try SQLiteBackend.open(at: (store.backend as! SQLiteBackend).path))
            case .memory: RegisterStore(backend: store.backend)
            }
        }

        /// A new, empty register of the same backend.
        func otherStore(_ name: String) throws -> RegisterStore {
            try Self.makeStore(backend, in: directory, name: name)
        }

        func append(_ count: Int) async throws {
            try await store.append(checkpointSigners: [registerKey]) { writer in
                for i in 0..<count {
                    try writer.append(kind: "test.entry", body: ["n": .integer(Int64(i))], signedBy: userKey)
                }
            }
        }

        func cleanUp() {
            try? (store.backend as? SQLiteBackend)?.closeNow()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test(arguments: Backend.allCases) func appendsChainAndCheckpoint(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        try await fixture.append(3)
        try await fixture.append(2)
        let (entries, note, checkpoints) = try await fixture.store.read { reader in
            (try (0..<5).map { try reader.entry(at: $0) }, try reader.latestCheckpoint(), try reader.checkpoints())
        }
        #expect(entries.map(\.seq) == [0, 1, 2, 3, 4])
        #expect(entries[0].prev == .zero)
        for i in 1..<5 { #expect(entries[i].prev == entries[i - 1].leafHash) }
        #expect(entries.allSatisfy { $0.hasValidSignature })
        #expect(checkpoints.map(\.size) == [3, 5])
        let signed = try SignedNote(parsing: try #require(note))
        #expect(try signed.verify(with: [fixture.registerKey.verifierKey]).count == 1)
        let checkpoint = try Checkpoint(parsing: signed.text)
        #expect(checkpoint.root == MerkleTree(leafHashes: entries.map(\.leafHash)).root(size: 5))
    }

    @Test(arguments: Backend.allCases) func failedAppendLeavesNothing(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        try await fixture.append(2)
        struct Refusal: Error {}
        await #expect(throws: Refusal.self) {
            try await fixture.store.append(checkpointSigners: [fixture.registerKey]) { writer in
                try writer.append(kind: "test.entry", body: [:], signedBy: fixture.userKey)
                throw Refusal()
            }
        }
        let (size, checkpoints) = try await fixture.store.read { (try $0.size(), try $0.checkpoints().count) }
        #expect(size == 2 && checkpoints == 1)
        // The next append continues cleanly from the last durable entry.
        try await fixture.append(1)
        await #expect(try fixture.store.read { try $0.entry(at: 2).prev == $0.entry(at: 1).leafHash })
    }

    /// A store keeps the end of the log between its appends; another writer appending in
    /// between (a second process, here a second store on the same file) must not leave it
    /// chaining onto a stale entry or a stale tree.
    @Test(arguments: Backend.allCases) func appendsChainAfterAnotherWriter(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        let other = try fixture.secondStore()
        defer { try? (other.backend as? SQLiteBackend)?.closeNow() }
        for (store, count) in [(fixture.store, 3), (other, 2), (fixture.store, 1), (other, 4), (fixture.store, 5)] {
            try await store.append(checkpointSigners: [fixture.registerKey]) { writer in
                for i in 0..<count { try writer.append(kind: "test.entry", body: ["n": .integer(Int64(i))], signedBy: fixture.userKey) }
            }
        }
        let entries = try await fixture.store.read { reader in try (0..<reader.size()).map { try reader.entry(at: $0) } }
        #expect(entries.count == 15)
        for i in 1..<entries.count { #expect(entries[i].prev == entries[i - 1].leafHash, "entry \(i)") }
        let note = try await SignedNote(parsing: try #require(try fixture.store.read { try $0.latestCheckpoint() }))
        #expect(try Checkpoint(parsing: note.text).root == MerkleTree(leafHashes: entries.map(\.leafHash)).root(size: 15))
    }

    /// A batch signs on one core while this one stores; what it stores must be byte for byte
    /// what appending the same entries one by one stores, projections called in order.
    @Test(arguments: Backend.allCases) func batchAppendIsTheSameAsOneByOne(_ backend: Backend) async throws {
        let one = try Fixture(backend)
        defer { one.cleanUp() }
        let batch = try one.otherStore("batch.db")
        defer { try? (batch.backend as? SQLiteBackend)?.closeNow() }
        let now = EntryTime(millisecondsSince1970: 1_795_000_000_000)
        let pending = (0..<300).map { (kind: "test.entry", body: ["n": .integer(Int64($0)), "text": .string("entry \($0)")] as JSONValue) }
        for store in [one.store, batch] {
            _ = try await store.append(checkpointSigners: [one.registerKey], now: now) { writer in
                try writer.append(kind: "test.first", body: [:], signedBy: one.userKey)
            }
        }
        try await one.store.append(checkpointSigners: [one.registerKey], now: now) { writer in
            for item in pending { try writer.append(kind: item.kind, body: item.body, signedBy: one.userKey) }
        }
        let (stored, projected) = try await batch.append(checkpointSigners: [one.registerKey], now: now) { writer in
            var projected: [UInt64] = []
            let stored = try writer.append(contentsOf: pending, signedBy: one.userKey) { entry in projected.append(entry.seq) }
            return (stored, projected)
        }
        #expect(stored.map(\.seq) == Array(1...300))
        #expect(projected == Array(1...300))
        let read = { (store: RegisterStore) in try await store.read { reader in (try reader.leaves(from: 0, limit: 1000).map(\.leaf), try reader.latestCheckpoint()) } }
        let (oneLeaves, oneCheckpoint) = try await read(one.store)
        let (batchLeaves, batchCheckpoint) = try await read(batch)
        #expect(batchLeaves.count == 301)
        #expect(batchLeaves == oneLeaves)
        #expect(batchCheckpoint == oneCheckpoint)
    }

    @Test(arguments: Backend.allCases) func failedBatchLeavesNothing(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        try await fixture.append(2)
        struct Refusal: Error {}
        let pending = (0..<500).map { (kind: "test.entry", body: ["n": .integer(Int64($0))] as JSONValue) }
        await #expect(throws: Refusal.self) {
            try await fixture.store.append(checkpointSigners: [fixture.registerKey]) { writer in
                try writer.append(contentsOf: pending, signedBy: fixture.userKey) { entry in
                    if entry.seq == 100 { throw Refusal() }
                }
            }
        }
        await #expect(try fixture.store.read { try $0.size() } == 2)
        try await fixture.append(1)
        await #expect(try fixture.store.read { try $0.entry(at: 2).prev == $0.entry(at: 1).leafHash })
    }

    @Test(arguments: Backend.allCases) func storedProofsMatchTheInMemoryTree(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        var leaves: [Hash] = []
        for batch in [1, 2, 3, 5, 8, 13] {
            try await fixture.append(batch)
            leaves = try await fixture.store.read { reader in try (0..<reader.size()).map { try reader.entry(at: $0).leafHash } }
            let tree = MerkleTree(leafHashes: leaves)
            let count = UInt64(leaves.count)
            try await fixture.store.read { reader in
                for size in 1...count {
                    let root = try reader.root(size: size)
                    #expect(root == tree.root(size: size))
                    for index in 0..<size {
                        let stored = try reader.inclusionProof(index: index, size: size)
                        #expect(stored == (try tree.inclusionProof(index: index, size: size)))
                    }
                    for old in 1...size {
                        let stored = try reader.consistencyProof(oldSize: old, newSize: size)
                        #expect(stored == (try tree.consistencyProof(oldSize: old, newSize: size)))
                    }
                }
            }
        }
    }

    @Test(arguments: Backend.allCases) func proofsBeyondTheTreeAreRefused(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        try await fixture.append(4)
        try await fixture.store.read { reader in
            #expect(throws: StoreError.self) { try reader.inclusionProof(index: 4, size: 4) }
            #expect(throws: StoreError.self) { try reader.inclusionProof(index: 0, size: 5) }
            #expect(throws: StoreError.self) { try reader.consistencyProof(oldSize: 0, newSize: 4) }
            #expect(throws: StoreError.self) { try reader.consistencyProof(oldSize: 3, newSize: 5) }
            #expect(throws: StoreError.self) { try reader.entry(at: 4) }
        }
    }

    @Test(arguments: Backend.allCases) func concurrentReadersSeeConsistentSnapshots(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        try await fixture.append(1)
        let store = fixture.store
        let key = fixture.registerKey
        let userKey = fixture.userKey
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for _ in 0..<20 {
                    try await store.append(checkpointSigners: [key]) { writer in
                        for _ in 0..<5 { try writer.append(kind: "test.entry", body: [:], signedBy: userKey) }
                    }
                }
            }
            for _ in 0..<2 {
                group.addTask {
                    for _ in 0..<50 {
                        // Every snapshot has a checkpoint covering exactly its entries.
                        let (size, note) = try await store.read { (try $0.size(), try $0.latestCheckpoint()) }
                        let checkpoint = try Checkpoint(parsing: try SignedNote(parsing: try #require(note)).text)
                        #expect(checkpoint.size == size)
                    }
                }
            }
            try await group.waitForAll()
        }
        await #expect(try store.read { try $0.size() } == 101)
    }

    // MARK: The gate's count (issue 8 §3)

    @Test(arguments: Backend.allCases) func theGatesCountIsEveryAllowedLookAcrossTheAliasGroup(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        let at = { @Sendable (ms: Int64) in EntryTime(millisecondsSince1970: 1_700_000_000_000 + ms) }
        try await fixture.store.append(checkpointSigners: [fixture.registerKey]) { writer in
            var seq: UInt64 = 10
            for (key, outcome, time) in [
                ("x:jo", ViewRecord.Outcome.initial, at(0)), ("x:jo", .authorised, at(10)), ("x:jo", .refused, at(20)),
                ("x:id:1", .authorised, at(30)), ("x:other", .initial, at(40)), ("x:jb", .refused, at(50)),
            ] {
                try writer.saveView(ViewRecord(seq: seq, profileKey: key, time: time, viewer: "ivan", caseRef: "C", urn: nil, outcome: outcome))
                seq += 1
            }
        }
        func count(_ key: String, since: EntryTime? = nil) async throws -> Int {
            try await fixture.store.read { try $0.allowedViewCount(profileKey: key, since: since) }
        }
        // Initial and authorised looks count; the refusal does not.
        await #expect(try count("x:jo") == 2)
        await #expect(try count("x:jo", since: at(5)) == 1)
        await #expect(try count("x:id:1") == 1)
        await #expect(try fixture.store.read { try $0.aliasGroup(profileKey: "x:jo") } == ["x:jo"])

        // Aliases merge groups, transitively; the group key is the first key in byte order.
        try await fixture.store.append(checkpointSigners: [fixture.registerKey]) { writer in
            try writer.saveAlias("x:jo", "x:id:1", seq: 20)
            try writer.saveAlias("x:jb", "x:id:1", seq: 21)
        }
        await #expect(try count("x:jo") == 3)
        await #expect(try count("x:jb") == 3)
        await #expect(try count("x:id:1", since: at(25)) == 1)
        await #expect(try count("x:other") == 1)
        await #expect(try fixture.store.read { try $0.aliasGroup(profileKey: "x:jb") } == ["x:id:1", "x:jb", "x:jo"])
        await #expect(try fixture.store.read { try $0.aliasGroups() } == [["x:id:1", "x:jb", "x:jo"]])
        await #expect(try fixture.store.read { try $0.allowedViewCount() } == 4)
    }
}
