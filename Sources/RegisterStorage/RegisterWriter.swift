import Ledger

/// Write access inside one append transaction (see `RegisterStore.append`): the log's steps
/// every backend shares — the next entry's `prev` and time, the tree's new nodes, the signed
/// checkpoint, the projection rows' tags — over the backend's `StorageTransaction`.
///
/// Holds the tree's right edge in memory so that each appended leaf costs only the new
/// nodes; the checkpoint is signed once, when the transaction finishes.
public final class RegisterWriter {
    /// The backend's transaction.
    let transaction: any StorageTransaction
    /// Reads see this transaction's own writes, and check the tag of every projection row a
    /// decision reads (with this transaction's register key).
    public var reader: RegisterReader { RegisterReader(transaction, authenticator: authenticator, keyring: keyring) }
    /// Opens and makes the data keys that seal personal data (nil without the data-protection key).
    public let keyring: DataKeyring?
    /// Data keys made in this transaction: the keyring remembers them only once it commits.
    var madeDataKeys: [(name: String, key: [UInt8])] = []
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
    init(
        transaction: any StorageTransaction, origin: String, now: EntryTime, checkpointSigners: [NoteSignerKey], known: LogTip?,
        keyring: DataKeyring? = nil
    ) throws {
        self.transaction = transaction
        self.keyring = keyring
        self.authenticator = checkpointSigners.first.map(ProjectionAuthenticator.init(registerKey:))
        let reader = RegisterReader(transaction)
        self.origin = origin
        self.now = now
        self.checkpointSigners = checkpointSigners
        if let (seq, leaf) = try transaction.lastLeaf() {
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
        try transaction.appendLeaf(seq: entry.seq, kind: entry.kind, leaf: entry.leafData)
        // Level 0 is the leaf hash itself, read back from the entry when needed (see RegisterReader.nodeHash).
        for (id, hash) in tip.frontier.append(leafHash) where id.level > 0 {
            try transaction.putNode(id, hash)
        }
        tip.lastLeaf = entry.leafData
        tip.lastLeafHash = leafHash
        tip.lastTime = entry.time
        appended += 1
    }

    /// Sets a projected meta value (the verifier key, the pack in force), tagged.
    public func setMeta(_ key: String, _ value: String) throws {
        precondition(!ProjectionTable.fixedMetaKeys.contains(key), "\(key) is fixed when the store is made")
        try put(.meta, [.text(key), .text(value)])
    }

    /// Stores (or replaces) a user's sealed private key.
    public func saveSealedKey(_ key: SealedKey, userID: String) throws {
        try transaction.putSealedKey(key.serialized, userID: userID)
    }

    /// Empties every projection table, before a rebuild from the log. Sealed keys stay.
    public func clearProjections() throws {
        try transaction.clearProjections()
    }

    /// Signs and stores the checkpoint for the new size, if anything was appended.
    func finish() throws {
        guard appended > 0 else { return }
        guard !checkpointSigners.isEmpty else {
            throw StoreError(.corrupt, "no register key to sign the checkpoint")
        }
        let checkpoint = Checkpoint(origin: origin, size: size, root: tip.frontier.root)
        let note = try SignedNote.sign(text: checkpoint.text, with: checkpointSigners)
        try transaction.putCheckpoint(size: size, note: note.description)
    }
}
