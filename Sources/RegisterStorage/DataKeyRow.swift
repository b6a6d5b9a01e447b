/// A case's data key as the store keeps it: beside the log, never in an entry.
///
/// While the case's personal data is kept, `sealed` holds the 32-byte key sealed under the
/// register's data-protection key (which is kept beside the register key, not in the store),
/// so the store alone discloses nothing. When the data is destroyed the row becomes a
/// tombstone: `sealed` is nil and `destroyedSeq` names the entry that recorded the
/// destruction, so the register can say the data is gone rather than never was.
public struct DataKeyRow: Sendable, Hashable {
    /// The case the key seals: an authorisation's URN, a look's case reference
    /// (`case:<ref>`), or a period of profile tags (`tags:<year>`).
    public var name: String
    /// The key sealed under the data-protection key, or nil once destroyed.
    public var sealed: [UInt8]?
    /// The entry that recorded the destruction, once destroyed.
    public var destroyedSeq: UInt64?

    /// Makes a row.
    public init(name: String, sealed: [UInt8]?, destroyedSeq: UInt64?) {
        self.name = name
        self.sealed = sealed
        self.destroyedSeq = destroyedSeq
    }
}
