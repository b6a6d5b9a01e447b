import Foundation
import GRDB
import Ledger

/// Write access inside one append transaction (see `RegisterStore.append`).
///
/// Holds the tree's right edge in memory so that each appended leaf costs only the new
/// node rows; the checkpoint is signed once, when the transaction finishes.
public final class RegisterWriter {
    let db: Database
    /// Reads see this transaction's own writes, and check the tag of every projection row a
    /// decision reads (with this transaction's register key).
    public var reader: RegisterReader { RegisterReader(db: db, authenticator: authenticator) }
    /// Tags the projection rows this transaction writes and checks those it reads: derived from
    /// the register key that signs its checkpoint (nil when it holds no key; it may then write
    /// no projection row).
    public internal(set) var authenticator: ProjectionAuthenticator?
    /// The origin the checkpoint names.
    public let origin: String
    /// The clock for entries appended in this transaction.
    public let now: EntryTime
    /// The register keys that will sign this transaction's checkpoint.
    public var checkpointSigners: [NoteSignerKey]

    /// The end of the log as this transaction leaves it.
    private(set) var tip: LogTip
    private var appended = 0
    /// The number of entries, including those appended so far in this transaction.
    public var size: UInt64 { tip.frontier.size }
    /// The leaf hash of the last entry (`Hash.zero` for an empty register): the next `prev`.
    public var lastLeafHash: Hash { tip.lastLeafHash }
    /// The time of the last entry, if any: entry times never go backwards.
    public var lastTime: EntryTime? { tip.lastTime }

    /// - Parameter known: the tip a previous transaction of this process left, reused only if
    ///   the log still ends with exactly that entry (another writer may have appended since).
    init(db: Database, origin: String, now: EntryTime, checkpointSigners: [NoteSignerKey], known: LogTip?) throws {
        self.db = db
        self.authenticator = checkpointSigners.first.map(ProjectionAuthenticator.init(registerKey:))
        let reader = RegisterReader(db: db)
        self.origin = origin
        self.now = now
        self.checkpointSigners = checkpointSigners
        if let (seq, leaf) = try reader.lastLeaf() {
            if let known, known.frontier.size == seq + 1, known.lastLeaf == leaf {
                tip = known
            } else {
                let last = try Entry(leafData: leaf)
                tip = LogTip(lastLeaf: leaf, lastLeafHash: last.leafHash, lastTime: last.time, frontier: try reader.frontier(size: seq + 1))
            }
        } else {
            tip = LogTip()
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
        try insert(entry, leafHash: entry.leafHash)
        return entry
    }

    /// Stores a signed entry that follows the last one, with its tree nodes.
    func insert(_ entry: Entry, leafHash: Hash) throws {
        var insertEntry = FastStatement(try db.cachedStatement(sql: "INSERT INTO entries (seq, kind, leaf) VALUES (?, ?, ?)"))
        insertEntry.bind(Int64(entry.seq))
        insertEntry.bind(entry.kind)
        insertEntry.bind(entry.leafData)
        try insertEntry.run(db)
        let nodeStatement = try db.cachedStatement(sql: "INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)")
        // Level 0 is the leaf hash itself, read back from `entries` when needed (see RegisterReader.nodeHash).
        for (id, hash) in tip.frontier.append(leafHash) where id.level > 0 {
            var insertNode = FastStatement(nodeStatement)
            insertNode.bind(Int64(id.level))
            insertNode.bind(Int64(id.index))
            insertNode.bind(hash.bytes)
            try insertNode.run(db)
        }
        tip.lastLeaf = entry.leafData
        tip.lastLeafHash = leafHash
        tip.lastTime = entry.time
        appended += 1
    }

    /// Sets a value in `register_meta`, tagged as a projection (see `ProjectionTable.meta`).
    public func setMeta(_ key: String, _ value: String) throws {
        let mac = try tag(.meta, [.text(key), .text(value)])
        try db.execute(
            sql: "INSERT INTO register_meta (key, value, mac) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, mac = excluded.mac",
            arguments: [key, value, Data(mac)])
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
            DELETE FROM users; DELETE FROM accounts; DELETE FROM authorisations; DELETE FROM authorisation_profiles; DELETE FROM views; DELETE FROM profile_aliases;
            DELETE FROM register_meta WHERE key NOT IN ('format', 'origin');
            """)
    }

    /// Signs and stores the checkpoint for the new size, if anything was appended.
    func finish() throws {
        guard appended > 0 else { return }
        guard !checkpointSigners.isEmpty else {
            throw StoreError(.corrupt, "no register key to sign the checkpoint")
        }
        let checkpoint = Checkpoint(origin: origin, size: size, root: tip.frontier.root)
        let note = try SignedNote.sign(text: checkpoint.text, with: checkpointSigners)
        try db.execute(
            sql: "INSERT INTO checkpoints (size, note) VALUES (?, ?)",
            arguments: [Int64(size), note.description])
    }
}
