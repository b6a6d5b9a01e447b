import Ledger
import RegisterStorage
import Synchronization

/// A register key kept in memory, beside a `MemoryBackend`.
public final class MemoryKeyStore: RegisterKeyStore {
    private struct Keys {
        var current: NoteSignerKey?
        var staged: NoteSignerKey?
        var dataProtection: [UInt8]?
    }

    private let keys = Mutex(Keys())
    public let location = "memory"

    public init() {}

    public func create(_ key: NoteSignerKey) throws {
        try keys.withLock { keys in
            guard keys.current == nil else { throw StoreError(.alreadyExists, "a register key is already kept here") }
            keys.current = key
        }
    }

    public func load(matching verifierKey: String) throws -> NoteSignerKey {
        try keys.withLock { keys in
            if let current = keys.current, current.verifierKey.description == verifierKey { return current }
            if let staged = keys.staged, staged.verifierKey.description == verifierKey {
                keys.current = staged
                keys.staged = nil
                return staged
            }
            throw StoreError(.corrupt, "the key store does not hold this register's current key (\(verifierKey))")
        }
    }

    public func stage(_ next: NoteSignerKey) throws {
        keys.withLock { $0.staged = next }
    }

    public func promoteStaged() throws {
        try keys.withLock { keys in
            guard let staged = keys.staged else { throw StoreError(.corrupt, "no staged key to promote") }
            keys.current = staged
            keys.staged = nil
        }
    }

    public func discardStaged() {
        keys.withLock { $0.staged = nil }
    }

    public func dataProtectionKey() throws -> [UInt8]? {
        keys.withLock { $0.dataProtection }
    }

    public func createDataProtectionKey() throws -> [UInt8] {
        try keys.withLock { keys in
            guard keys.dataProtection == nil else { throw StoreError(.alreadyExists, "a data-protection key is already kept here") }
            let key = Random.bytes(SecretBox.keyByteCount)
            keys.dataProtection = key
            return key
        }
    }

    public func remove() {
        keys.withLock { $0 = Keys() }
    }
}
