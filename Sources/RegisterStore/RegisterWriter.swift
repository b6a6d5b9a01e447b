import Foundation
import GRDB
import Ledger

/// Write access inside one append transaction (see `RegisterStore.append`).
///
/// Holds the tree's right edge in memory so that each appended leaf costs only the new
/// node rows; the checkpoint is signed once, when the transaction finishes.
public final class RegisterWriter {
    let db: Database
    /// Reads see this transaction's own writes.
    public let reader: RegisterReader
    /// The origin the checkpoint names.
    public let origin: String
    /// The clock for entries appended in this transaction.
    public let now: EntryTime
    /// The register keys that will sign this transaction's checkpoint.
    public var checkpointSigners: [NoteSignerKey]

    private var frontier: TreeFrontier
    private var appended = 0
    /// The number of entries, including those appended so far in this transaction.
    public var size: UInt64 { frontier.size }
    /// The leaf hash of the last entry (`Hash.zero` for an empty register): the next `prev`.
    public private(set) var lastLeafHash: Hash
    /// The time of the last entry, if any: entry times never go backwards.
    public private(set) var lastTime: EntryTime?

    init(db: Database, origin: String, now: EntryTime, checkpointSigners: [NoteSignerKey]) throws {
        self.db = db
        self.reader = RegisterReader(db: db)
        self.origin = origin
        self.now = now
        self.checkpointSigners = checkpointSigners
        if let last = try reader.lastEntry() {
            frontier = try reader.frontier(size: last.seq + 1)
            lastLeafHash = last.leafHash
            lastTime = last.time
        } else {
            frontier = TreeFrontier()
            lastLeafHash = .zero
            lastTime = nil
        }
    }

    /// The time the next entry will carry: now, or the previous entry's time if the clock
    /// is behind it (time never goes backwards in the log).
    public var nextTime: EntryTime {
        guard let lastTime, lastTime > now else { return now }
        return lastTime
    }

    /// Signs and appends one entry, with its tree nodes.
    ///
    /// - Returns: the entry as stored.
    @discardableResult
    public func append(kind: String, body: JSONValue, signedBy key: SigningKey) throws -> Entry {
        let entry = Entry.sign(seq: size, time: nextTime, kind: kind, prev: lastLeafHash, body: body, with: key)
        try insert(entry)
        return entry
    }

    private func insert(_ entry: Entry) throws {
        var insertEntry = FastInsert(try db.cachedStatement(sql: "INSERT INTO entries (seq, kind, leaf) VALUES (?, ?, ?)"))
        insertEntry.bind(Int64(entry.seq))
        insertEntry.bind(entry.kind)
        insertEntry.bind(entry.leafData)
        try insertEntry.run(db)
        let nodeStatement = try db.cachedStatement(sql: "INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)")
        let leafHash = entry.leafHash
        for (id, hash) in frontier.append(leafHash) {
            var insertNode = FastInsert(nodeStatement)
            insertNode.bind(Int64(id.level))
            insertNode.bind(Int64(id.index))
            insertNode.bind(hash.bytes)
            try insertNode.run(db)
        }
        lastLeafHash = leafHash
        lastTime = entry.time
        appended += 1
    }

    /// Sets a value in `register_meta`.
    public func setMeta(_ key: String, _ value: String) throws {
        try db.execute(
            sql: "INSERT INTO register_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            arguments: [key, value])
    }

    /// Stores (or replaces) a user's sealed private key.
    public func saveSealedKey(_ key: SealedKey, userID: String) throws {
        try db.execute(
            sql: "INSERT INTO sealed_keys (user_id, sealed) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET sealed = excluded.sealed",
            arguments: [userID, key.serialized])
    }

    /// Empties every projection table, before a rebuild from the log. Sealed keys stay.
    public func clearProjections() throws {
        try db.execute(sql: """
            DELETE FROM users; DELETE FROM authorisations; DELETE FROM authorisation_profiles; DELETE FROM views;
            DELETE FROM register_meta WHERE key NOT IN ('format', 'origin');
            """)
    }

    /// Signs and stores the checkpoint for the new size, if anything was appended.
    func finish() throws {
        guard appended > 0 else { return }
        guard !checkpointSigners.isEmpty else {
            throw StoreError(.corrupt, "no register key to sign the checkpoint")
        }
        let checkpoint = Checkpoint(origin: origin, size: size, root: frontier.root)
        let note = try SignedNote.sign(text: checkpoint.text, with: checkpointSigners)
        try db.execute(
            sql: "INSERT INTO checkpoints (size, note) VALUES (?, ?)",
            arguments: [Int64(size), note.description])
    }
}
