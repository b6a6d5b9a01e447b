import Foundation
import Ledger
import MemoryStorage
import RegisterStorage
import SQLiteStorage
import Testing

/// The rest of the port's contract: the log refuses what would break it, writers run one at a
/// time, snapshots stand still, projection rows come back as stored and in one order, and the
/// same commands give the same bytes on every backend.
@Suite struct ProjectionContractTests {
    typealias Fixture = StorageContractTests.Fixture

    struct Refusal: Error {}

    // MARK: The log refuses what would break it

    @Test(arguments: Backend.allCases) func aGapOrARewriteIsRefused(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        try await fixture.append(3)
        let (entry, node, checkpoint) = try await fixture.store.read { reader in
            (try reader.leafData(at: 2)!, try reader.nodeHash(NodeID(level: 1, index: 0)), try reader.checkpoints()[0])
        }
        await #expect(throws: (any Error).self, "an entry after a gap") {
            try await fixture.store.backend.transaction { try $0.appendLeaf(seq: 5, kind: "test.entry", leaf: entry) }
        }
        await #expect(throws: (any Error).self, "an entry again") {
            try await fixture.store.backend.transaction { try $0.appendLeaf(seq: 2, kind: "test.entry", leaf: entry) }
        }
        await #expect(throws: (any Error).self, "a tree node again") {
            try await fixture.store.backend.transaction { try $0.putNode(NodeID(level: 1, index: 0), .zero) }
        }
        await #expect(throws: (any Error).self, "a checkpoint again") {
            try await fixture.store.backend.transaction { try $0.putCheckpoint(size: checkpoint.size, note: "forged") }
        }
        let after = try await fixture.store.read { reader in
            (try reader.size(), try reader.nodeHash(NodeID(level: 1, index: 0)), try reader.checkpoints())
        }
        #expect(after.0 == 3 && after.1 == node && after.2.map(\.note) == [checkpoint.note])
    }

    @Test(arguments: Backend.allCases) func aReadOnlyStoreWritesNothing(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        try await fixture.append(1)
        let reading: any StorageBackend = switch backend {
        case .sqlite: try SQLiteBackend.open(at: (fixture.store.backend as! SQLiteBackend).path, readOnly: true)
        case .memory: MemoryBackend(readingOnly: fixture.store.backend as! MemoryBackend)
        }
        #expect(reading.isReadOnly)
        await #expect(throws: (any Error).self) {
            try await RegisterStore(backend: reading).append(checkpointSigners: [fixture.registerKey]) { writer in
                try writer.append(kind: "test.entry", body: [:], signedBy: fixture.userKey)
            }
        }
        #expect(try await fixture.store.read { try $0.size() } == 1)
    }

    // MARK: One writer at a time; snapshots stand still

    /// Each transaction reads the size and appends an entry naming it: if two ever ran at once,
    /// two entries would name the same size.
    @Test(arguments: Backend.allCases) func writersRunOneAtATime(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        let stores = [fixture.store, try fixture.secondStore()]
        let (key, userKey) = (fixture.registerKey, fixture.userKey)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                let store = stores[task % 2]
                group.addTask {
                    for _ in 0..<5 {
                        try await store.append(checkpointSigners: [key]) { writer in
                            let seen = try writer.reader.size()
                            try writer.append(kind: "test.entry", body: ["saw": .integer(Int64(seen))], signedBy: userKey)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let entries = try await fixture.store.read { reader in try (0..<reader.size()).map { try reader.entry(at: $0) } }
        #expect(entries.map { $0.body["saw"]?.integerValue } == (0..<40).map { Int64($0) })
        for i in 1..<entries.count { #expect(entries[i].prev == entries[i - 1].leafHash) }
    }

    @Test(arguments: Backend.allCases) func aSnapshotDoesNotMove(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        try await fixture.append(4)
        let snapshot = try await fixture.store.snapshot()
        try await fixture.append(3)
        let (size, checkpoint) = try await snapshot.read { (try $0.size(), try $0.latestCheckpoint()) }
        #expect(size == 4)
        #expect(try Checkpoint(parsing: SignedNote(parsing: #require(checkpoint)).text).size == 4)
        #expect(try await fixture.store.read { try $0.size() } == 7)
    }

    // MARK: Projection rows

    @Test(arguments: Backend.allCases) func rowsComeBackAsStoredInKeyOrder(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        let time = EntryTime(millisecondsSince1970: 1_790_000_000_000)
        // Keys whose byte order differs from a naive string order: upper case, accents, digits.
        let keys = ["web:b", "web:B", "web:é", "web:e", "web:10", "web:9"]
        try await fixture.store.append(checkpointSigners: [fixture.registerKey]) { writer in
            for (offset, key) in keys.enumerated() {
                try writer.saveView(ViewRecord(seq: UInt64(100 - offset), profileKey: key, time: time, viewer: "ivan", caseRef: "C-\(offset % 2)", urn: offset == 0 ? "DS-2026-0001" : nil, outcome: offset == 3 ? .refused : .initial))
            }
            try writer.saveView(ViewRecord(seq: 7, profileKey: "web:b", time: time, viewer: "ivan", caseRef: "C-0", urn: nil, outcome: .authorised))
        }
        let (all, ofB, byCase, byURN, counts) = try await fixture.store.read { reader in
            (try reader.views(), try reader.views(profileKey: "web:b"), try reader.views(caseRef: "C-1"), try reader.views(urn: "DS-2026-0001"),
             (try reader.viewCount(), try reader.initialViewCount(), try reader.allowedViewCount()))
        }
        #expect(all.map(\.seq) == [7, 95, 96, 97, 98, 99, 100], "views come oldest first")
        #expect(ofB.map(\.seq) == [7, 100] && ofB.map(\.outcome) == [.authorised, .initial])
        #expect(byCase.map(\.profileKey) == ["web:9", "web:e", "web:B"].reversed().map { $0 }.sorted { a, b in
            all.first { $0.profileKey == a }!.seq < all.first { $0.profileKey == b }!.seq
        })
        #expect(byURN.map(\.seq) == [100])
        #expect(counts == (7, 5, 6))
        // Pages in the key's byte order, as SQLite's BINARY collation gives it.
        let pages = try await fixture.store.backend.read { storage in
            var keys: [[ProjectionValue]] = []
            var after: [ProjectionValue]?
            while true {
                let page = try storage.rows(.views, after: after, limit: 3)
                guard let last = page.last else { break }
                keys += page.map { $0.key(in: .views) }
                after = last.key(in: .views)
            }
            return keys
        }
        #expect(pages.map { $0[0].description } == ["web:10", "web:9", "web:B", "web:b", "web:b", "web:e", "web:é"])
    }

    @Test(arguments: Backend.allCases) func anEditedRowIsRefusedAndRebuildKeepsTheFixedMeta(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        let user = UserRecord(userID: "ivan", name: "Ivan", roles: ["investigator"], rank: "Officer", headOfPaidService: false,
                              publicKey: fixture.userKey.publicKey, enrolledSeq: 3)
        try await fixture.store.append(checkpointSigners: [fixture.registerKey]) { writer in
            try writer.saveUser(user)
            try writer.setMeta("verifier_key", "k")
        }
        // Round trip, checked under the key.
        let read = try await fixture.store.append(checkpointSigners: [fixture.registerKey]) { try $0.reader.user(id: "ivan") }
        #expect(read == user)
        // Someone with the database gives the user another role, keeping the old tag.
        try await fixture.store.backend.transaction { storage in
            var row = try storage.row(.users, key: [.text("ivan")])!
            row.values[2] = .text("investigator,monitoring-officer")
            try storage.put(.users, row)
        }
        await #expect { try await fixture.store.append(checkpointSigners: [fixture.registerKey]) { try $0.reader.user(id: "ivan") } } throws: {
            ($0 as? StoreError)?.code == .projectionTampered
        }
        // Outside a write nothing is checked (reports), and a rebuild's clearing keeps the format and origin.
        #expect(try await fixture.store.read { try $0.user(id: "ivan")?.roles } == ["investigator", "monitoring-officer"])
        try await fixture.store.append(checkpointSigners: [fixture.registerKey]) { try $0.clearProjections() }
        let (origin, format, users, key) = try await fixture.store.read { reader in
            (try reader.origin(), try reader.meta("format"), try reader.users(), try reader.meta("verifier_key"))
        }
        #expect(origin == StorageContractTests.origin && format == RegisterFormat.current && users.isEmpty && key == nil)
    }

    @Test(arguments: Backend.allCases) func aReplacedUserKeyLeavesOneRow(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        let first = UserRecord(userID: "ivan", name: "Ivan", roles: [], rank: "R", headOfPaidService: false, publicKey: fixture.userKey.publicKey, enrolledSeq: 1)
        var replaced = first
        replaced.publicKey = SigningKey().publicKey
        let second = replaced
        try await fixture.store.append(checkpointSigners: [fixture.registerKey]) { writer in
            try writer.saveUser(first)
            try writer.saveUser(second)
        }
        let (users, old, new) = try await fixture.store.read { reader in
            (try reader.users(), try reader.user(publicKey: first.publicKey), try reader.user(publicKey: second.publicKey))
        }
        #expect(users == [second] && old == nil && new == second)
    }

    @Test(arguments: Backend.allCases) func documentsAreKeptOnceAndSealedKeysReplaced(_ backend: Backend) async throws {
        let fixture = try Fixture(backend)
        defer { fixture.cleanUp() }
        let order = Array("the JP's order".utf8)
        let first = try SealedKey.seal(SigningKey(), passphrase: "one two three four", cost: .interactive)
        let second = try SealedKey.seal(SigningKey(), passphrase: "five six seven eight", cost: .interactive)
        let hash = try await fixture.store.append(checkpointSigners: [fixture.registerKey]) { writer in
            let hash = try writer.saveDocument(order)
            #expect(try writer.saveDocument(order) == hash, "the same bytes again are a no-op")
            try writer.saveSealedKey(first, userID: "ivan")
            try writer.saveSealedKey(second, userID: "ivan")
            return hash
        }
        let (kept, sealed, none) = try await fixture.store.read { reader in
            (try reader.document(hash: hash), try reader.sealedKey(userID: "ivan"), try reader.document(hash: String(repeating: "0", count: 64)))
        }
        #expect(hash == DocumentStore.hash(order) && kept == order && none == nil)
        #expect(sealed?.serialized == second.serialized)
        await #expect { try await fixture.store.append(checkpointSigners: [fixture.registerKey]) { try $0.saveDocument([UInt8](repeating: 1, count: DocumentStore.maximumBytes + 1)) } } throws: {
            ($0 as? StoreError)?.code == .tooLarge
        }
    }

    // MARK: The same bytes on every backend

    /// The same appends under the same clock give byte-identical entries, checkpoints, proofs
    /// and projection rows on every backend (Ed25519 signatures are deterministic).
    @Test func everyBackendStoresTheSameBytes() async throws {
        let registerKey = try NoteSignerKey(name: StorageContractTests.origin, signingKey: SigningKey())
        let userKey = SigningKey()
        let now = EntryTime(millisecondsSince1970: 1_795_000_000_000)
        var results: [[String]] = []
        for backend in Backend.allCases {
            let fixture = try Fixture(backend)
            defer { fixture.cleanUp() }
            for round in 0..<3 {
                try await fixture.store.append(checkpointSigners: [registerKey], now: now) { writer in
                    for i in 0..<(5 + round) {
                        let entry = try writer.append(kind: "test.entry", body: ["round": .integer(Int64(round)), "i": .integer(Int64(i))], signedBy: userKey)
                        try writer.saveView(ViewRecord(seq: entry.seq, profileKey: "web:p\(i % 3)", time: entry.time, viewer: "v", caseRef: "C", urn: nil, outcome: .initial))
                    }
                    try writer.saveAlias("web:p0", "web:p\(round + 1)", seq: writer.size - 1)
                }
            }
            results.append(try await fixture.store.read { reader in
                let size = try reader.size()
                return try reader.leaves(from: 0, limit: 100).map { $0.leaf.map { String($0) }.joined(separator: ".") }
                    + reader.checkpoints().map(\.note)
                    + [try reader.inclusionProof(index: 3, size: size).path.map(\.hex).joined(), try reader.consistencyProof(oldSize: 5, newSize: size).path.map(\.hex).joined()]
                    + reader.views().map { "\($0)" } + reader.aliasGroups().map { $0.joined(separator: ",") }
            })
        }
        #expect(results.count == 2 && results[0] == results[1])
    }
}
