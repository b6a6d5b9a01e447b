import Foundation
import GRDB
import Ledger
import RegisterStorage
import SQLiteStorage
import Testing

/// The SQLite mechanics under `ripa backup` and `ripa restore`: the online backup, and the
/// exclusive hold that keeps everyone else out while a database is replaced.
@Suite struct SQLiteBackupTests {
    /// The copy holds the same entries, nodes and checkpoints, is mode 0600, has nothing
    /// beside it, and is refused over an existing file.
    @Test func backupCopiesTheRegisterIntoOneFile() async throws {
        let fixture = try StorageContractTests.Fixture(.sqlite)
        defer { fixture.cleanUp() }
        try await fixture.append(100)
        let backend = fixture.store.backend as! SQLiteBackend
        let copy = fixture.directory.appendingPathComponent("copy.db").path
        var steps = 0
        // One page a step: many steps, each reported.
        try backend.backup(to: copy, pagesPerStep: 1) { _, _ in steps += 1 }
        #expect(steps > 1)
        var info = stat()
        #expect(stat(copy, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(!FileManager.default.fileExists(atPath: copy + "-wal") && !FileManager.default.fileExists(atPath: copy + "-shm"))
        let copied = RegisterStore(backend: try SQLiteBackend.open(at: copy, readOnly: true))
        let (size, root, checkpoint) = try await copied.read { (try $0.size(), try $0.root(size: 100), try $0.latestCheckpoint()) }
        #expect(size == 100)
        #expect(root == (try await fixture.store.read { try $0.root(size: 100) }))
        #expect(checkpoint == (try await fixture.store.read { try $0.latestCheckpoint() }))
        try await copied.close()
        #expect { try backend.backup(to: copy) } throws: { ($0 as? StoreError)?.code == .alreadyExists }
    }

    /// Appends from another connection while the copy is taken step by step: none waits for
    /// the backup, and the copy is the register as of one commit (its checkpoint covers exactly
    /// its entries, and its root is the live register's root at that size).
    @Test func backupTakesOneSnapshotWhileOthersAppend() async throws {
        let fixture = try StorageContractTests.Fixture(.sqlite)
        defer { fixture.cleanUp() }
        try await fixture.append(400)
        let writer = try fixture.secondStore()
        let backend = fixture.store.backend as! SQLiteBackend
        let copy = fixture.directory.appendingPathComponent("copy.db").path
        let key = fixture.registerKey, userKey = fixture.userKey
        // Each step appends through the other connection: a writer paused by the backup would
        // wait here for the busy timeout (15 s) and fail the test's time limit, not pass.
        var appended = 0
        try backend.backup(to: copy, pagesPerStep: 2) { _, _ in
            let semaphore = DispatchSemaphore(value: 0)
            Task {
                try? await writer.append(checkpointSigners: [key]) { try $0.append(kind: "test.entry", body: ["n": .integer(1)], signedBy: userKey) }
                semaphore.signal()
            }
            semaphore.wait()
            appended += 1
        }
        let live = try await writer.read { try $0.size() }
        #expect(live == 400 + UInt64(appended) && appended > 2)
        let copied = RegisterStore(backend: try SQLiteBackend.open(at: copy, readOnly: true))
        defer { Task { try? await copied.close() } }
        let (size, root, note) = try await copied.read { (try $0.size(), try $0.root(size: try $0.size()), try $0.latestCheckpoint()) }
        let checkpoint = try Checkpoint(parsing: try SignedNote(parsing: try #require(note)).text)
        #expect(size < live)
        #expect(checkpoint.size == size && checkpoint.root == root)
        #expect(root == (try await writer.read { try $0.root(size: size) }))
        try await writer.close()
    }

    /// While held, nobody else reads or writes; a database someone has open cannot be held;
    /// merging the log leaves the file whole with nothing beside it; a poisoned file is no
    /// longer a database.
    @Test func exclusiveHoldKeepsEveryoneOut() async throws {
        let fixture = try StorageContractTests.Fixture(.sqlite)
        defer { fixture.cleanUp() }
        try await fixture.append(10)
        let path = (fixture.store.backend as! SQLiteBackend).path
        // The fixture's own connection is open: refused.
        #expect { try SQLiteExclusiveHold.hold(at: path) } throws: { ($0 as? StoreError)?.reason == .databaseInUse }
        try await fixture.store.close()

        let hold = try SQLiteExclusiveHold.hold(at: path)
        #expect(try hold.read { try $0.size() } == 10)
        var configuration = Configuration()
        configuration.busyMode = .timeout(0.2)
        // Another connection cannot even open it (GRDB's first read on open is refused).
        #expect(throws: DatabaseError.self) {
            let other = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? other.close() }
            _ = try other.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM entries") }
        }

        try hold.mergeLog()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal") && !FileManager.default.fileExists(atPath: path + "-shm"))
        let copy = path + ".copy"
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        try hold.poison()
        hold.release()
        #expect { try SQLiteBackend.open(at: path) } throws: { ($0 as? StoreError)?.code == .foreignDatabase }
        // The copy taken after the merge is the whole register.
        let copied = RegisterStore(backend: try SQLiteBackend.open(at: copy, readOnly: true))
        #expect(try await copied.read { try $0.size() } == 10)
        try await copied.close()
    }
}
