import Ledger

/// The register's storage as the domain uses it, over any backend: an append-only log of
/// signed entries, its RFC 6962 tree, its signed checkpoints and the projections derived
/// from them.
///
/// Every append — entries, tree nodes, checkpoint, projection rows — is one backend
/// transaction: it lands whole or not at all, with one writer at a time.
public struct RegisterStore: Sendable {
    /// Where the register is kept.
    public let backend: any StorageBackend
    /// The origin its checkpoints name; fixed when the register is created.
    public let origin: String
    /// The tip the last committed append of this process left (the backend-neutral tip cache).
    private let knownTip = KnownTip()

    /// The store over `backend`.
    public init(backend: any StorageBackend) {
        self.backend = backend
        self.origin = backend.origin
    }

    /// Reads from one consistent view of the register.
    public func read<T: Sendable>(_ body: @Sendable (RegisterReader) throws -> T) async throws -> T {
        try await backend.read { try body(RegisterReader($0)) }
    }

    /// A view of the register as of this moment that later appends (by this or any other
    /// process) do not change: entries, tree nodes, checkpoints and projections all as of one
    /// point. `verify` reads everything through one.
    public func snapshot() async throws -> RegisterSnapshot {
        RegisterSnapshot(storage: try await backend.snapshot())
    }

    /// Appends within one transaction, signing the checkpoint with `checkpointSigners`.
    public func append<T: Sendable>(
        checkpointSigners: [NoteSignerKey],
        now: EntryTime = .now(),
        _ body: @Sendable (RegisterWriter) throws -> T
    ) async throws -> T {
        try await append(checkpointSigners: { _ in checkpointSigners }, now: now, body)
    }

    /// Appends within one transaction.
    ///
    /// `body` sees the register as it stands under the write lock (so a decision taken in
    /// it cannot race another writer), appends entries and projection rows through the
    /// writer, and may change `checkpointSigners` (key rotation). If it appended anything,
    /// the new checkpoint is signed and stored before commit. If it throws, nothing is kept.
    ///
    /// - Parameters:
    ///   - checkpointSigners: chooses the register key(s) that sign the checkpoint, under the
    ///     write lock (so a key rotation by another writer cannot slip in between).
    ///   - now: the clock; entry times are never earlier than the previous entry's.
    public func append<T: Sendable>(
        checkpointSigners: @Sendable (RegisterReader) throws -> [NoteSignerKey],
        now: EntryTime = .now(),
        _ body: @Sendable (RegisterWriter) throws -> T
    ) async throws -> T {
        let (origin, known) = (origin, knownTip.value)
        let (result, left) = try await backend.transaction { transaction in
            let signers = try checkpointSigners(RegisterReader(transaction))
            let writer = try RegisterWriter(transaction: transaction, origin: origin, now: now, checkpointSigners: signers, known: known)
            let result = try body(writer)
            try writer.finish()
            return (result, writer.tip)
        }
        // Committed: the next append in this process can start from here.
        knownTip.value = left
        return result
    }

    /// Whether this store was opened read-only.
    public var isReadOnly: Bool { backend.isReadOnly }

    /// Closes the backend; later calls fail.
    public func close() async throws {
        try await backend.close()
    }
}

/// One unchanging view of the register (`RegisterStore.snapshot()`).
public struct RegisterSnapshot: Sendable {
    let storage: any StorageSnapshot

    /// Reads from the snapshot; every call sees the same register.
    public func read<T: Sendable>(_ body: @Sendable (RegisterReader) throws -> T) async throws -> T {
        try await storage.read { try body(RegisterReader($0)) }
    }
}
