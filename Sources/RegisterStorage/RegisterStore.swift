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
    private let knownTip: KnownTip
    /// Opens the personal data sealed in entries and projections (nil: it stays sealed).
    public let keyring: DataKeyring?

    /// The store over `backend`; with `keyring`, personal data can be sealed and opened.
    public init(backend: any StorageBackend, keyring: DataKeyring? = nil) {
        self.init(backend: backend, keyring: keyring, knownTip: KnownTip())
    }

    /// The same store with a keyring (the register's data-protection key, read beside its key).
    public func with(keyring: DataKeyring?) -> RegisterStore {
        RegisterStore(backend: backend, keyring: keyring, knownTip: knownTip)
    }

    private init(backend: any StorageBackend, keyring: DataKeyring?, knownTip: KnownTip) {
        self.backend = backend
        self.origin = backend.origin
        self.keyring = keyring
        self.knownTip = knownTip
    }

    /// Reads from one consistent view of the register.
    public func read<T: Sendable>(_ body: @Sendable (RegisterReader) throws -> T) async throws -> T {
        let keyring = keyring
        return try await backend.read { try body(RegisterReader($0, keyring: keyring)) }
    }

    /// A view of the register as of this moment that later appends (by this or any other
    /// process) do not change: entries, tree nodes, checkpoints and projections all as of one
    /// point. `verify` reads everything through one.
    public func snapshot() async throws -> RegisterSnapshot {
        RegisterSnapshot(storage: try await backend.snapshot(), keyring: keyring)
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
        let (origin, known, keyring) = (origin, knownTip.value, keyring)
        let (result, left, made): (T, LogTip, [(name: String, key: [UInt8])])
        do {
            (result, left, made) = try await backend.transaction { transaction in
                let signers = try checkpointSigners(RegisterReader(transaction, keyring: keyring))
                let writer = try RegisterWriter(
                    transaction: transaction, origin: origin, now: now, checkpointSigners: signers, known: known, keyring: keyring)
                let result = try body(writer)
                try writer.finish()
                return (result, writer.tip, writer.madeDataKeys)
            }
        } catch {
            // A key opened from a row this transaction wrote is gone with it.
            keyring?.forgetAll()
            throw error
        }
        // Committed: the next append in this process can start from here.
        knownTip.value = left
        for (name, key) in made { keyring?.remember(name, key) }
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
    let keyring: DataKeyring?

    /// Reads from the snapshot; every call sees the same register.
    public func read<T: Sendable>(_ body: @Sendable (RegisterReader) throws -> T) async throws -> T {
        let keyring = keyring
        return try await storage.read { try body(RegisterReader($0, keyring: keyring)) }
    }
}
