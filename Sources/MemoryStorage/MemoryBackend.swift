import Ledger
import RegisterStorage
import Synchronization

/// A register kept in memory: the storage port's second backend, for tests of the domain
/// that need no disk, and the proof (with `StorageContractTests`) that nothing above the port
/// depends on SQLite.
///
/// The whole register is one value (`MemoryState`); a transaction works on a copy and
/// commits by replacing it, so a throwing body leaves nothing and a snapshot is a copy that
/// later commits do not change. One writer at a time: transactions hold a lock for their body.
public final class MemoryBackend: StorageBackend {
    private let state: Mutex<MemoryState>
    /// Held for the whole of a transaction, so writers run one at a time.
    private let writer = Mutex<Void>(())
    private let closed = Atomic<Bool>(false)
    public let location: String
    public let origin: String
    public let isReadOnly: Bool

    /// A new, empty register with the format and origin recorded.
    public init(origin: String, location: String = "memory") {
        var initial = MemoryState()
        for (key, value) in [("format", RegisterFormat.current), ("origin", origin)] {
            initial.tables[ProjectionTable.meta.name, default: [:]][[.text(key)]] = StoredRow(values: [.text(key), .text(value)], tag: nil)
        }
        state = Mutex(initial)
        self.origin = origin
        self.location = location
        isReadOnly = false
    }

    /// A read-only view of another memory register's current state.
    public init(readingOnly other: MemoryBackend) {
        state = Mutex(other.state.withLock { $0 })
        location = other.location
        origin = other.origin
        isReadOnly = true
    }

    private func current() throws -> MemoryState {
        guard !closed.load(ordering: .relaxed) else { throw StoreError(.database, "the register at \(location) is closed") }
        return state.withLock { $0 }
    }

    public func read<T: Sendable>(_ body: @Sendable (any StorageReading) throws -> T) async throws -> T {
        try body(MemoryTransaction(state: try current(), writable: false))
    }

    public func snapshot() async throws -> any StorageSnapshot {
        MemorySnapshot(state: try current())
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any StorageTransaction) throws -> T) async throws -> T {
        guard !isReadOnly else { throw StoreError(.database, "the register at \(location) was opened read-only") }
        return try writer.withLock { _ in
            let transaction = MemoryTransaction(state: try current(), writable: true)
            let result = try body(transaction)
            state.withLock { $0 = transaction.state }
            return result
        }
    }

    /// Nothing to do: a replaced value is gone from memory once nothing refers to it.
    public func compact() async throws {}

    public func close() async throws {
        closed.store(true, ordering: .relaxed)
    }
}

struct MemorySnapshot: StorageSnapshot {
    let state: MemoryState

    func read<T: Sendable>(_ body: @Sendable (any StorageReading) throws -> T) async throws -> T {
        try body(MemoryTransaction(state: state, writable: false))
    }
}
