/// The right edge of a Merkle tree — a "compact range" in transparency-dev terms: for each set bit of
/// `size`, the hash of the complete subtree that bit stands for, largest first.
///
/// It is all a writer needs to append leaves and compute the new root (RFC 9162 §2.1.1) in O(log n)
/// memory, whatever the size of the log.
public struct TreeFrontier: Sendable, Hashable {
    /// The number of leaves in the tree.
    public private(set) var size: UInt64
    /// One hash per set bit of `size`, from the highest bit (leftmost subtree) to the lowest.
    private var hashes: [Hash]

    /// The frontier of the empty tree.
    public init() {
        size = 0
        hashes = []
    }

    /// Loads the frontier of a tree of `size` leaves from stored node hashes: asks `nodeHash` for the
    /// `popcount(size)` complete subtrees that make up the right edge.
    /// - Throws: whatever `nodeHash` throws.
    public init(size: UInt64, nodeHash: (NodeID) throws -> Hash) rethrows {
        self.size = size
        hashes = []
        hashes.reserveCapacity(size.nonzeroBitCount)
        for node in Self.nodes(size: size) {
            hashes.append(try nodeHash(node))
        }
    }

    /// The complete subtrees that make up a tree of `size` leaves, left to right.
    static func nodes(size: UInt64) -> [NodeID] {
        var nodes: [NodeID] = []
        var begin: UInt64 = 0
        var level = 63
        while level >= 0 {
            let bit = UInt64(1) << UInt64(level)
            if size & bit != 0 {
                nodes.append(NodeID(level: level, index: begin >> UInt64(level)))
                begin += bit
            }
            level -= 1
        }
        return nodes
    }

    /// Appends a leaf and returns every node that became complete, the leaf (level 0) first and then
    /// each parent up the tree, so a store can save them all in the same transaction.
    @discardableResult
    public mutating func append(_ leafHash: Hash) -> [(NodeID, Hash)] {
        var completed: [(NodeID, Hash)] = [(NodeID(level: 0, index: size), leafHash)]
        merge(leafHash) { completed.append($0) }
        return completed
    }

    /// Appends a leaf without listing the nodes it completes: for a verifier that only needs
    /// the roots, and would otherwise build and drop an array per leaf.
    public mutating func appendLeaf(_ leafHash: Hash) {
        merge(leafHash) { _ in }
    }

    /// Merges the new leaf into the frontier, telling `completed` each parent node it completes.
    @inline(__always)
    private mutating func merge(_ leafHash: Hash, _ completed: ((NodeID, Hash)) -> Void) {
        var carry = leafHash
        var index = size
        var level = 0
        // Each trailing one-bit of the old size is a complete subtree of the same height as the carry:
        // merge them, exactly like binary addition of 1.
        while (size >> UInt64(level)) & 1 == 1 {
            carry = RFC6962.nodeHash(hashes.removeLast(), carry)
            index >>= 1
            level += 1
            completed((NodeID(level: level, index: index), carry))
        }
        hashes.append(carry)
        size += 1
    }

    /// The tree head: the right-to-left fold of the frontier; ``RFC6962/emptyRoot`` when empty.
    public var root: Hash {
        guard var root = hashes.last else { return RFC6962.emptyRoot }
        for hash in hashes.dropLast().reversed() {
            root = RFC6962.nodeHash(hash, root)
        }
        return root
    }
}
