import Ledger

/// Where the register key is kept: never inside the log's backend, so that whoever holds the
/// database alone can neither sign checkpoints nor tag projection rows.
///
/// A rotation stages the next key before the rotation entry commits and promotes it after;
/// `load(matching:)` finishes a rotation interrupted between the two.
public protocol RegisterKeyStore: Sendable {
    /// A short description of where the key is (a path), for messages.
    var location: String { get }
    /// Keeps a new register key; refuses to replace one.
    func create(_ key: NoteSignerKey) throws
    /// The key whose verifier key is `verifierKey` (the one the log names as current), or an
    /// error if the store holds another.
    func load(matching verifierKey: String) throws -> NoteSignerKey
    /// Keeps the next key of a rotation beside the current one.
    func stage(_ next: NoteSignerKey) throws
    /// Makes the staged key the register key (after the rotation entry committed).
    func promoteStaged() throws
    /// Drops a staged key (the rotation entry did not commit).
    func discardStaged()
    /// Removes every key (only to undo a failed creation).
    func remove()
    /// The data-protection key (32 bytes) that seals the data keys of personal data, or nil if
    /// this store has none (an auditor's copy, or a register made before sealing). Kept beside
    /// the register key, never in the backend.
    func dataProtectionKey() throws -> [UInt8]?
    /// Makes and keeps a new data-protection key; refuses to replace one.
    func createDataProtectionKey() throws -> [UInt8]
}
