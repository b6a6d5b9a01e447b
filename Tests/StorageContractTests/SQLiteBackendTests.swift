import Foundation
import GRDB
import Ledger
import RegisterStorage
import SQLiteStorage
import Testing

/// What only the SQLite backend does: its published schema, its file handling.
@Suite struct SQLiteBackendTests {
    static let origin = "store.test/register"

    @Test func publishedSchemaIsTheOneApplied() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let published = try String(contentsOf: root.appendingPathComponent("Schemas/register.sql"), encoding: .utf8)
        #expect(published.trimmingCharacters(in: .newlines) == RegisterSchema.sql.trimmingCharacters(in: .newlines))
    }

    /// Leaf hashes live in `entries` only; `tree_nodes` holds the complete subtrees above them.
    @Test func leavesAreNotStoredTwice() async throws {
        let fixture = try StorageContractTests.Fixture(.sqlite)
        defer { fixture.cleanUp() }
        try await fixture.append(8)
        let db = try DatabaseQueue(path: (fixture.store.backend as! SQLiteBackend).path)
        defer { try? db.close() }
        let (leaves, nodes) = try await db.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tree_nodes WHERE level = 0"), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tree_nodes"))
        }
        #expect(leaves == 0)
        #expect(nodes == 7)  // 4 + 2 + 1 above 8 leaves
    }

    @Test func openRefusesMissingAndForeignFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ripa-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("absent.db").path
        #expect { try SQLiteBackend.open(at: missing) } throws: { ($0 as? StoreError)?.code == .missingDatabase }
        #expect(!FileManager.default.fileExists(atPath: missing))
        let text = directory.appendingPathComponent("text.db").path
        try "hello".write(toFile: text, atomically: true, encoding: .utf8)
        #expect { try SQLiteBackend.open(at: text) } throws: { ($0 as? StoreError)?.code == .foreignDatabase }
    }

    /// The server keys its page cache by `changeCounter()`: it must move on every commit, by
    /// this backend's writer or by another process's (a clerk's `ripa` on the same file), and
    /// on a write behind the tool's back, and stay put while nothing is committed.
    @Test func theChangeCounterMovesOnEveryCommitByAnyone() async throws {
        let fixture = try StorageContractTests.Fixture(.sqlite)
        defer { fixture.cleanUp() }
        let backend = fixture.store.backend as! SQLiteBackend
        let first = try #require(backend.changeCounter())
        _ = try await fixture.store.read { try $0.size() }
        #expect(backend.changeCounter() == first, "a read is not a change")

        try await fixture.append(1)
        let afterOwnWrite = try #require(backend.changeCounter())
        #expect(afterOwnWrite != first)

        // Another process: its own backend over the same file.
        let other = try SQLiteBackend.open(at: backend.path)
        _ = try await RegisterStore(backend: other).read { try $0.size() }
        #expect(backend.changeCounter() == afterOwnWrite)
        let db = try DatabaseQueue(path: backend.path)
        defer { try? db.close() }
        try await db.write { try $0.execute(sql: "INSERT INTO register_meta (key, value) VALUES ('planted', 'behind the tool')") }
        let afterEdit = try #require(backend.changeCounter())
        #expect(afterEdit != afterOwnWrite, "a write behind the tool's back")
        try await other.close()

        let reopened = try SQLiteBackend.open(at: backend.path)
        #expect(reopened.changeCounter() != nil)
        try await reopened.close()
        #expect(reopened.changeCounter() == nil, "a closed backend opens nothing again")

        let readOnly = try SQLiteBackend.open(at: backend.path, readOnly: true)
        #expect(readOnly.changeCounter() == nil, "a read-only open never opens a connection of its own")
        try await readOnly.close()
    }
}

