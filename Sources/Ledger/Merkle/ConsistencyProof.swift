/// An RFC 9162 §2.1.4 consistency proof: shows that the tree of `newSize` leaves extends the tree of
/// `oldSize` leaves, so the log was only appended to (DESIGN.md "Verification": rollback and forks).
public struct ConsistencyProof: Sendable, Hashable {
    /// The size of the earlier tree.
    public let oldSize: UInt64
    /// The size of the later tree.
    public let newSize: UInt64
    /// The proof hashes, in RFC 9162 order.
    public let path: [Hash]

    /// Wraps a proof received from elsewhere, for verification.
    public init(oldSize: UInt64, newSize: UInt64, path: [Hash]) {
        self.oldSize = oldSize
        self.newSize = newSize
        self.path = path
    }

    /// Builds PROOF(oldSize, D[newSize]) of RFC 9162 §2.1.4.1 from stored nodes.
    ///
    /// `nodeHash` is asked only for complete subtrees inside `[0, newSize)`. Equal sizes, and an old size
    /// of 0 (every tree extends the empty one), give an empty path.
    /// - Throws: ``LedgerError/Code/invalidProof`` if `oldSize > newSize`; whatever `nodeHash` throws.
    public static func build(oldSize: UInt64, newSize: UInt64, nodeHash: (NodeID) throws -> Hash) throws -> ConsistencyProof {
        guard oldSize <= newSize else {
            throw LedgerError(.invalidProof, "cannot prove consistency from size \(oldSize) to the smaller size \(newSize)")
        }
        guard oldSize > 0 && oldSize < newSize else {
            return ConsistencyProof(oldSize: oldSize, newSize: newSize, path: [])
        }
        // SUBPROOF(m, D[begin:end], b), unrolled; ranges are collected top-down and emitted bottom-up.
        var ranges: [(begin: UInt64, end: UInt64)] = []
        var begin: UInt64 = 0
        var end = newSize
        var m = oldSize
        var oldTreeIsWholeSubtree = true
        while true {
            if m == end - begin {
                if !oldTreeIsWholeSubtree { ranges.append((begin, end)) }
                break
            }
            let k = SubtreeHash.split(end - begin)
            if m <= k {
                ranges.append((begin + k, end))
                end = begin + k
            } else {
                ranges.append((begin, begin + k))
                begin += k
                m -= k
                oldTreeIsWholeSubtree = false
            }
        }
        var path: [Hash] = []
        path.reserveCapacity(ranges.count)
        for range in ranges.reversed() {
            path.append(try SubtreeHash.range(begin: range.begin, end: range.end, nodeHash: nodeHash))
        }
        return ConsistencyProof(oldSize: oldSize, newSize: newSize, path: path)
    }

    /// Whether this proof shows that the tree with root `newRoot` extends the one with root `oldRoot`,
    /// by the verification algorithm of RFC 9162 §2.1.4.2 exactly (with the usual extra cases:
    /// equal sizes need an empty path and equal roots; old size 0 needs an empty path and the empty root).
    public func verify(oldRoot: Hash, newRoot: Hash) -> Bool {
        guard oldSize <= newSize else { return false }
        if oldSize == newSize { return path.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return path.isEmpty && oldRoot == RFC6962.emptyRoot }
        // 1. An empty path cannot prove anything here.
        guard !path.isEmpty else { return false }
        // 2. If first is an exact power of 2, prepend first_hash.
        var proof = path
        if oldSize & (oldSize - 1) == 0 { proof.insert(oldRoot, at: 0) }
        // 3–4.
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        // 5.
        var fr = proof[0]
        var sr = proof[0]
        // 6.
        for c in proof.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = RFC6962.nodeHash(c, fr)
                sr = RFC6962.nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = RFC6962.nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        // 7.
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}
