import Ledger
import Synchronization

/// The register's data keys, opened with its data-protection key.
///
/// Each case's personal data is sealed under a data key of its own (`DataKeyRow`), kept in the
/// store sealed under the data-protection key; that key lives beside the register key (the
/// `.dpk` file), never in the store, so whoever holds only the database file reads no
/// personal data. Destroying a case's data key erases its data from every entry at once,
/// while the entries' signatures and the tree, which cover the ciphertext, stay valid.
///
/// A process without the data-protection key (an auditor's read-only copy) has no keyring:
/// entries still verify, and their personal fields read as sealed.
public final class DataKeyring: Sendable {
    private let protectionKey: [UInt8]
    /// Keys already opened, by name: opening costs a decryption, and the busiest cases are
    /// opened on every look. Dropped when destroyed.
    private let opened = Mutex<[String: [UInt8]]>([:])
    /// Names known never to be made (a past year's profile tags where no look was recorded):
    /// the caller says which absences cannot change (`lookup(_:in:absenceIsFinal:)`).
    private let absent = Mutex<Set<String>>([])
    /// The time of the register's first entry, once read: it never changes.
    let knownFirstEntryTime = Mutex<EntryTime?>(nil)

    /// A keyring over the 32-byte data-protection key.
    public init(protectionKey: [UInt8]) {
        precondition(protectionKey.count == SecretBox.keyByteCount, "DataKeyring: the data-protection key is 32 bytes")
        self.protectionKey = protectionKey
    }

    /// Binds a sealed data key to its name: a key row copied under another case's name does not open.
    static func additionalData(_ name: String) -> [UInt8] { Array("ripa-register/data-key/v1\n\(name)".utf8) }

    /// The state of a case's data key.
    public enum Lookup: Sendable, Hashable {
        /// The key, opened.
        case key([UInt8])
        /// Destroyed by the entry `seq`.
        case destroyed(seq: UInt64)
        /// No key was ever made under that name.
        case none
    }

    /// Looks a data key up in `storage` and opens it.
    ///
    /// - Throws: `StoreError.corrupt` if the row does not open under this data-protection key
    ///   (the `.dpk` file was replaced, or the row was copied from another case).
    func lookup(_ name: String, in storage: any StorageReading, absenceIsFinal: Bool = false) throws -> Lookup {
        if let key = opened.withLock({ $0[name] }) { return .key(key) }
        if absenceIsFinal, absent.withLock({ $0.contains(name) }) { return .none }
        guard let row = try storage.dataKey(name: name) else {
            if absenceIsFinal { _ = absent.withLock { $0.insert(name) } }
            return .none
        }
        guard let sealed = row.sealed else { return .destroyed(seq: row.destroyedSeq ?? 0) }
        guard let box = SecretBox(base64: String(decoding: sealed, as: UTF8.self)),
              let key = box.open(key: protectionKey, additionalData: Self.additionalData(name)), key.count == SecretBox.keyByteCount
        else {
            throw StoreError(
                .corrupt, "the data key of \(name) does not open under the data-protection key: the key file beside the register is not the one its data keys were sealed under, or the key row was altered",
                reason: "data.keyDoesNotOpen", values: ["case": name])
        }
        opened.withLock { $0[name] = key }
        return .key(key)
    }

    /// A fresh data key for `name`, sealed for storage.
    func make(_ name: String) -> (key: [UInt8], row: DataKeyRow) {
        let key = Random.bytes(SecretBox.keyByteCount)
        let box = SecretBox.seal(key, key: protectionKey, additionalData: Self.additionalData(name))
        return (key, DataKeyRow(name: name, sealed: Array(box.base64.utf8), destroyedSeq: nil))
    }

    /// The row that keeps `key` under `name`, sealed under this keyring's data-protection key:
    /// for a store that receives keys from elsewhere (an inspector's copy of an export bundle).
    public func row(keeping key: [UInt8], name: String) -> DataKeyRow {
        precondition(key.count == SecretBox.keyByteCount, "DataKeyring: a data key is 32 bytes")
        let box = SecretBox.seal(key, key: protectionKey, additionalData: Self.additionalData(name))
        return DataKeyRow(name: name, sealed: Array(box.base64.utf8), destroyedSeq: nil)
    }

    /// Remembers a key made in a transaction that committed (or opened again on the next read).
    func remember(_ name: String, _ key: [UInt8]) {
        opened.withLock { $0[name] = key }
    }

    /// Forgets a destroyed key.
    func forget(_ name: String) {
        _ = opened.withLock { $0.removeValue(forKey: name) }
    }

    /// Forgets every opened key (after a transaction that may have made or destroyed some
    /// failed, so the cache never holds a key the store does not).
    func forgetAll() {
        opened.withLock { $0.removeAll() }
        absent.withLock { $0.removeAll() }
        knownFirstEntryTime.withLock { $0 = nil }
    }
}

extension RegisterReader {
    /// A case's data key, if this reader has the keyring and the key exists.
    ///
    /// - Throws: `StoreError.corrupt` for a key that does not open.
    ///
    /// - Parameter absenceIsFinal: no key of that name can be made any more (a past period's
    ///   tags), so an absence may be remembered.
    public func dataKey(_ name: String, absenceIsFinal: Bool = false) throws -> DataKeyring.Lookup? {
        guard let keyring else { return nil }
        return try keyring.lookup(name, in: storage, absenceIsFinal: absenceIsFinal)
    }

    /// Every data key row (names, tombstones); the sealed bytes are of no use without the keyring.
    public func dataKeyRows() throws -> [DataKeyRow] { try storage.dataKeys() }
}

extension RegisterWriter {
    /// The data key of `name`, made now if there is none.
    ///
    /// - Throws: `StoreError` `data.noProtectionKey` without the keyring, `data.destroyed` if
    ///   the case's data was destroyed (nothing more may be sealed under it).
    public func dataKey(making name: String) throws -> [UInt8] {
        guard let keyring else {
            throw StoreError(
                .corrupt, "personal data cannot be sealed: the register's data-protection key is missing (it is kept beside the register key)",
                reason: "data.noProtectionKey")
        }
        switch try keyring.lookup(name, in: transaction) {
        case .key(let key): return key
        case .destroyed(let seq):
            throw StoreError(
                .corrupt, "the personal data of \(name) was destroyed at entry \(seq); nothing more can be recorded under it",
                reason: "data.destroyed", values: ["case": name, "seq": String(seq)])
        case .none:
            let (key, row) = keyring.make(name)
            try transaction.putDataKey(row)
            madeDataKeys.append((name, key))
            return key
        }
    }

    /// Replaces a case's data key by its tombstone: every entry sealed under it can no longer
    /// be read by anyone. The caller records the destruction (entry `seq`) in the same transaction.
    public func destroyDataKey(_ name: String, seq: UInt64) throws {
        try transaction.putDataKey(DataKeyRow(name: name, sealed: nil, destroyedSeq: seq))
        keyring?.forget(name)
    }
}

/// Where personal data's keys are looked up: a reader of the store (live), or every key of a
/// snapshot opened at once (`DataKeySet`, for `verify --replay`, which walks outside any read).
public protocol DataKeySource {
    /// The key of `name`; nil when this process holds no data-protection key.
    func dataKey(_ name: String, absenceIsFinal: Bool) throws -> DataKeyring.Lookup?

    /// The time of the register's first entry (nil for an empty register): entry times never
    /// go backwards, so no key made for a period of entries names a period before it.
    func firstEntryTime() throws -> EntryTime?
}

extension DataKeySource {
    /// Not known: a caller then counts from the earliest year a register can hold.
    public func firstEntryTime() throws -> EntryTime? { nil }
}

extension RegisterReader: DataKeySource {
    /// The time of entry 0, read once per keyring (it never changes); nil for an empty register.
    public func firstEntryTime() throws -> EntryTime? {
        if let known = keyring?.knownFirstEntryTime.withLock({ $0 }) { return known }
        let time = try storage.leaf(at: 0).map { try Entry(leafData: $0).time }
        if let time { keyring?.knownFirstEntryTime.withLock { $0 = time } }
        return time
    }
}

/// Every data key of a register as of one snapshot, opened.
public struct DataKeySet: DataKeySource, Sendable {
    private let keys: [String: DataKeyring.Lookup]
    private let firstTime: EntryTime?

    public func dataKey(_ name: String, absenceIsFinal: Bool) throws -> DataKeyring.Lookup? {
        keys[name] ?? DataKeyring.Lookup.none
    }

    /// The time of the snapshot's entry 0.
    public func firstEntryTime() throws -> EntryTime? { firstTime }

    init(keys: [String: DataKeyring.Lookup], firstEntryTime: EntryTime?) {
        self.keys = keys
        self.firstTime = firstEntryTime
    }

    /// The keys still kept, opened, by name (what an export bundle may hand to an inspector).
    public var keptKeys: [String: [UInt8]] {
        keys.compactMapValues { lookup in
            if case .key(let key) = lookup { return key }
            return nil
        }
    }
}

extension RegisterReader {
    /// Every data key, opened; nil without the keyring.
    ///
    /// - Throws: `StoreError` `data.keyDoesNotOpen` for a key that does not open.
    public func allDataKeys() throws -> DataKeySet? {
        guard let keyring else { return nil }
        var keys: [String: DataKeyring.Lookup] = [:]
        for row in try storage.dataKeys() { keys[row.name] = try keyring.lookup(row.name, in: storage) }
        return DataKeySet(keys: keys, firstEntryTime: try firstEntryTime())
    }
}
