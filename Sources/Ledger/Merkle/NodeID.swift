/// A complete subtree of the Merkle tree: the 2^level leaves `[index << level, (index + 1) << level)`.
///
/// Level 0 nodes are leaves. Stores save these nodes so that any proof costs O(log n) reads
/// (DESIGN.md "Storage"); this is the (level, index) addressing of transparency-dev's `compact.NodeID`.
public struct NodeID: Sendable, Hashable, CustomStringConvertible {
    /// Height above the leaves; the subtree holds 2^level leaves.
    public let level: Int
    /// Position among the nodes of this level, counting from 0 at the left.
    public let index: UInt64

    /// Names the node at `level` and `index`.
    public init(level: Int, index: UInt64) {
        precondition(level >= 0 && level < 64, "NodeID level must be in 0..<64")
        self.level = level
        self.index = index
    }

    /// The first leaf the subtree covers.
    public var firstLeaf: UInt64 { index << UInt64(level) }

    /// One past the last leaf the subtree covers.
    public var endLeaf: UInt64 { (index + 1) << UInt64(level) }

    /// The number of leaves the subtree covers, 2^level.
    public var leafCount: UInt64 { 1 << UInt64(level) }

    /// The two children; nil for a leaf.
    public var children: (left: NodeID, right: NodeID)? {
        guard level > 0 else { return nil }
        return (NodeID(level: level - 1, index: index << 1), NodeID(level: level - 1, index: index << 1 | 1))
    }

    /// `level/index`, for messages.
    public var description: String { "\(level)/\(index)" }
}
