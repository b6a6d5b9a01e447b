/// In-memory tree over leaf hashes, for tests and small registers; uses the same build functions as
/// a store does, with every complete node kept in memory.
public struct MerkleTree: Sendable {
    /// `levels[l][i]` is the hash of ``NodeID`` (l, i); level 0 holds the leaf hashes.
    private var levels: [[Hash]]

    /// Builds every complete node over `leafHashes` (O(n) hashing, O(n) memory).
    public init(leafHashes: [Hash]) {
        levels = [leafHashes]
        while levels[levels.count - 1].count > 1 {
            let below = levels[levels.count - 1]
            var level: [Hash] = []
            level.reserveCapacity(below.count / 2)
            var i = 0
            while i + 1 < below.count {
                level.append(RFC6962.nodeHash(below[i], below[i + 1]))
                i += 2
            }
            levels.append(level)
        }
    }

    /// The number of leaves.
    public var size: UInt64 { UInt64(levels[0].count) }

    /// The hash of a complete node; the node must lie inside the tree.
    public func nodeHash(_ id: NodeID) -> Hash {
        precondition(id.level < levels.count && id.index < UInt64(levels[id.level].count),
                     "node \(id) is not a complete subtree of a tree of \(size) leaves")
        return levels[id.level][Int(id.index)]
    }

    /// The root of the tree made of the first `size` leaves; ``RFC6962/emptyRoot`` for 0.
    public func root(size: UInt64) -> Hash {
        precondition(size <= self.size, "root(size:) beyond the tree's \(self.size) leaves")
        guard size > 0 else { return RFC6962.emptyRoot }
        return SubtreeHash.range(begin: 0, end: size, nodeHash: nodeHash)
    }

    /// The inclusion proof of leaf `index` in the tree of the first `size` leaves.
    /// - Throws: ``LedgerError/Code/invalidProof`` if `index >= size` or `size` exceeds the tree.
    public func inclusionProof(index: UInt64, size: UInt64) throws -> InclusionProof {
        guard size <= self.size else {
            throw LedgerError(.invalidProof, "tree has \(self.size) leaves, cannot prove at size \(size)")
        }
        return try InclusionProof.build(index: index, size: size, nodeHash: nodeHash)
    }

    /// The consistency proof between the trees of the first `oldSize` and `newSize` leaves.
    /// - Throws: ``LedgerError/Code/invalidProof`` if `oldSize > newSize` or `newSize` exceeds the tree.
    public func consistencyProof(oldSize: UInt64, newSize: UInt64) throws -> ConsistencyProof {
        guard newSize <= self.size else {
            throw LedgerError(.invalidProof, "tree has \(self.size) leaves, cannot prove at size \(newSize)")
        }
        return try ConsistencyProof.build(oldSize: oldSize, newSize: newSize, nodeHash: nodeHash)
    }
}
