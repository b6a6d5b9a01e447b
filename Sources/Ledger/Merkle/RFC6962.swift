/// The RFC 6962 / RFC 9162 §2.1.1 Merkle tree hashing scheme, with its domain-separation prefixes
/// (0x00 for leaves, 0x01 for interior nodes) so a leaf can never be passed off as a node.
public enum RFC6962 {
    /// SHA-256(0x00 ‖ data): the hash of one leaf, here an entry's leaf data (DESIGN.md "Entry").
    public static func leafHash(_ data: some Collection<UInt8>) -> Hash {
        var hasher = SHA256()
        hasher.update(0x00 as UInt8)
        hasher.update(data)
        return hasher.finalize()
    }

    /// SHA-256(0x01 ‖ left ‖ right): the hash of an interior node.
    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        var hasher = SHA256()
        hasher.update(0x01 as UInt8)
        hasher.update(left)
        hasher.update(right)
        return hasher.finalize()
    }

    /// The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1).
    public static let emptyRoot: Hash = Hash.sha256([UInt8]())
}
