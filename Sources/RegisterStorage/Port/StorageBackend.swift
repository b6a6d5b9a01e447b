import Ledger

/// A place the register is kept: the storage port every backend implements.
///
/// The contract (checked for every backend by `StorageContractTests`):
/// - **One writer at a time.** `transaction` runs its body with the write lock held against
///   every other writer, in this process or another, and the body sees every transaction
///   committed before it. The register takes its decisions inside the body (the gate's count,
///   the next URN), so none can race another writer.
/// - **All or nothing.** If the body throws, nothing it wrote is kept; once `transaction`
///   returns, everything it wrote is durable.
/// - **Consistent reads.** `read` and a `snapshot` see the register as of one commit: entries,
///   tree nodes, checkpoints and projections together, never half of a transaction.
///
/// The entry points are `async`: a front end on an event loop awaits them and never blocks
/// on disk or network. The body of a read or a transaction is synchronous, by design: it is
/// the domain's decision, a pure function of what it reads, run by the backend where its
/// connection lives (SQLite: GRDB's writer queue; a PostgreSQL backend: a connection leased
/// for the transaction, its reads awaited on the backend's own thread, never the caller's).
///
/// No type of a database library appears here: a backend maps these calls to its own.
public protocol StorageBackend: Sendable {
    /// A short description of where the register is kept, for messages (a path, a URL
    /// without credentials).
    var location: String { get }
    /// The origin the register's checkpoints name, recorded when the backend made the register.
    var origin: String { get }
    /// Whether the backend was opened for reading only: `transaction` then throws.
    var isReadOnly: Bool { get }

    /// Runs `body` against the register as of the latest commit.
    func read<T: Sendable>(_ body: @Sendable (any StorageReading) throws -> T) async throws -> T

    /// A view of the register as of this moment that later commits (by anyone) do not change.
    func snapshot() async throws -> any StorageSnapshot

    /// Runs `body` as the one writer, atomically and durably (see the type's contract).
    func transaction<T: Sendable>(_ body: @Sendable (any StorageTransaction) throws -> T) async throws -> T

    /// Rewrites the store so that nothing deleted or replaced can be read back from its files
    /// (SQLite: a checkpoint that empties the WAL, then `VACUUM`), after personal data was
    /// destroyed. Writers wait while it runs.
    func compact() async throws

    /// Releases the backend; later calls fail.
    func close() async throws

    /// A number that changes whenever anything is committed to the register, by this process
    /// or any other, read at once on the caller's thread (no hop to the store's threads); nil
    /// where the backend cannot tell that cheaply. A cache of pages keyed by it never serves
    /// one that a commit has changed.
    func changeCounter() -> UInt64?
}

extension StorageBackend {
    /// No cheap counter: the caller asks the store itself (the log's size, in a read).
    public func changeCounter() -> UInt64? { nil }
}

/// A fixed view of the register (`StorageBackend.snapshot()`): every read sees the same commit.
public protocol StorageSnapshot: Sendable {
    /// Runs `body` against the snapshot.
    func read<T: Sendable>(_ body: @Sendable (any StorageReading) throws -> T) async throws -> T
}

/// What a read or a transaction may consult: the log, what is kept beside it, and the
/// projections as generic rows.
///
/// Projection rows are values in `ProjectionTable.columns` order, each with its stored tag;
/// the typed records and the tag checks live above the port (`RegisterReader`), once for
/// every backend. Lists come in the table's key order.
public protocol StorageReading {
    // MARK: The log

    /// The number of entries stored.
    func size() throws -> UInt64
    /// The last entry's seq and stored bytes, or nil for an empty log.
    func lastLeaf() throws -> (seq: UInt64, leaf: [UInt8])?
    /// The stored bytes (leaf data) of entry `seq`, or nil.
    func leaf(at seq: UInt64) throws -> [UInt8]?
    /// Up to `limit` stored leaves with seq ≥ `from`, in seq order. Gaps are not filled in:
    /// a verifier must notice them.
    func leaves(from seq: UInt64, limit: Int) throws -> [(seq: UInt64, leaf: [UInt8])]
    /// The stored bytes of every entry of a kind, in seq order.
    func leaves(kind: String) throws -> [[UInt8]]
    /// A stored tree node above the leaves (level ≥ 1), or nil.
    func node(_ id: NodeID) throws -> Hash?
    /// Several stored tree nodes (level ≥ 1) at once; absent ones are missing from the result.
    func nodes(_ ids: [NodeID]) throws -> [NodeID: Hash]
    /// Every stored checkpoint, smallest size first.
    func checkpoints() throws -> [(size: UInt64, note: String)]
    /// The checkpoint of the largest size, or nil.
    func latestCheckpoint() throws -> String?
    /// Witnesses' cosignatures of the register's checkpoints (`StoredCosignature`) with size ≥
    /// `size`, smallest size first (then by witness key), at most `limit`. A register made before
    /// witnessing has none.
    func cosignatures(from size: UInt64, limit: Int) throws -> [StoredCosignature]
    /// The largest checkpoint size the witness with key `witness` has cosigned, or nil.
    func latestCosignedSize(witness: String) throws -> UInt64?

    // MARK: Beside the log

    /// A user's sealed key in its text form, or nil.
    func sealedKey(userID: String) throws -> String?
    /// A kept document's bytes by its hash, or nil.
    func document(hash: String) throws -> [UInt8]?
    /// A case's data key as kept (`DataKeyRow`: sealed under the data-protection key, or the
    /// tombstone of its destruction), or nil if none was ever made.
    func dataKey(name: String) throws -> DataKeyRow?
    /// Every data key row, by name.
    func dataKeys() throws -> [DataKeyRow]

    // MARK: Projections

    /// The row of `table` with this primary key (values in `table.key` order), or nil.
    func row(_ table: ProjectionTable, key: [ProjectionValue]) throws -> StoredRow?
    /// The rows of `table` whose `column` holds `value`, in key order.
    func rows(_ table: ProjectionTable, where column: String, is value: ProjectionValue) throws -> [StoredRow]
    /// Up to `limit` rows of `table` with a key after `key` (all, if nil), in key order.
    func rows(_ table: ProjectionTable, after key: [ProjectionValue]?, limit: Int) throws -> [StoredRow]
    /// How many rows of `table` match every condition (all rows, for none).
    func count(_ table: ProjectionTable, where conditions: [(column: String, value: ProjectionValue)]) throws -> Int
}

/// What the one writer may do inside `StorageBackend.transaction`, besides reading its own writes.
public protocol StorageTransaction: StorageReading {
    /// Stores entry `seq`; it must be the next one (seq = size), or the backend refuses.
    func appendLeaf(seq: UInt64, kind: String, leaf: [UInt8]) throws
    /// Stores a tree node above the leaves; a node is written once and never changed.
    func putNode(_ id: NodeID, _ hash: Hash) throws
    /// Stores a signed checkpoint; one per size, never changed.
    func putCheckpoint(size: UInt64, note: String) throws
    /// Keeps a witness's cosignature of the checkpoint of its size; a second one by the same
    /// witness for the same size is ignored (the first, earliest, is kept).
    func putCosignature(_ cosignature: StoredCosignature) throws
    /// Stores or replaces a user's sealed key.
    func putSealedKey(_ sealed: String, userID: String) throws
    /// Keeps a document under its hash; the same hash again is a no-op.
    func putDocument(_ content: [UInt8], hash: String) throws
    /// Deletes the document under a hash (its case's personal data destroyed).
    func deleteDocument(hash: String) throws
    /// Stores a new data key, or replaces one by its tombstone (destruction). A backend must
    /// not keep the replaced bytes anywhere it can be read back (SQLite: `secure_delete`).
    func putDataKey(_ row: DataKeyRow) throws
    /// Inserts a projection row, or replaces the row with the same key.
    func put(_ table: ProjectionTable, _ row: StoredRow) throws
    /// Deletes the rows of `table` whose `column` holds `value`.
    func delete(_ table: ProjectionTable, where column: String, is value: ProjectionValue) throws
    /// Empties every projection table (the meta rows in `ProjectionTable.fixedMetaKeys` stay),
    /// before a rebuild from the log.
    func clearProjections() throws
}
