/// An RFC 9162 §2.1.3 inclusion proof: the audit path that links one leaf to the root of a tree of
/// `size` leaves, in the order any RFC 6962 verifier (Go's sumdb/tlog, transparency-dev/merkle) expects.
public struct InclusionProof: Sendable, Hashable {
    /// The 0-based index of the leaf.
    public let index: UInt64
    /// The size of the tree the proof is for.
    public let size: UInt64
    /// Sibling hashes from the leaf's level up to the root.
    public let path: [Hash]

    /// Wraps a proof received from elsewhere, for verification.
    public init(index: UInt64, size: UInt64, path: [Hash]) {
        self.index = index
        self.size = size
        self.path = path
    }

    /// Builds the proof PATH(index, D[size]) of RFC 9162 §2.1.3.1 from stored nodes.
    ///
    /// `nodeHash` is asked only for complete subtrees inside `[0, size)`; the one incomplete subtree on the
    /// right edge that a proof may need is folded from its complete parts. At most about 2·log2(size) calls.
    /// - Throws: ``LedgerError/Code/invalidProof`` if `index >= size`; whatever `nodeHash` throws.
    public static func build(index: UInt64, size: UInt64, nodeHash: (NodeID) throws -> Hash) throws -> InclusionProof {
        guard index < size else {
            throw LedgerError(.invalidProof, "cannot prove leaf \(index) in a tree of \(size) leaves: index must be below size")
        }
        // Walk down from the root, noting the sibling range at each split; the path lists them bottom-up.
        var siblings: [(begin: UInt64, end: UInt64)] = []
        var begin: UInt64 = 0
        var end = size
        while end - begin > 1 {
            let k = SubtreeHash.split(end - begin)
            if index < begin + k {
                siblings.append((begin + k, end))
                end = begin + k
            } else {
                siblings.append((begin, begin + k))
                begin += k
            }
        }
        var path: [Hash] = []
        path.reserveCapacity(siblings.count)
        for range in siblings.reversed() {
            path.append(try SubtreeHash.range(begin: range.begin, end: range.end, nodeHash: nodeHash))
        }
        return InclusionProof(index: index, size: size, path: path)
    }

    /// The root this proof gives for `leafHash` (RFC 9162 §2.1.3.2).
    /// - Throws: ``LedgerError/Code/malformedProof`` if the index is not below the size or the path has the
    ///   wrong number of hashes for this index and size.
    public func root(forLeafHash leafHash: Hash) throws(LedgerError) -> Hash {
        guard index < size else {
            throw LedgerError(.malformedProof, "inclusion proof names leaf \(index) of a tree of only \(size) leaves")
        }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in path {
            guard sn != 0 else {
                throw LedgerError(.malformedProof, "inclusion proof has more hashes than a tree of \(size) leaves needs")
            }
            if fn & 1 == 1 || fn == sn {
                r = RFC6962.nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = RFC6962.nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else {
            throw LedgerError(.malformedProof, "inclusion proof has fewer hashes than a tree of \(size) leaves needs")
        }
        return r
    }

    /// Whether this proof shows `leafHash` at ``index`` in the tree of ``size`` leaves whose root is `root`.
    public func verify(leafHash: Hash, root: Hash) -> Bool {
        guard let computed = try? self.root(forLeafHash: leafHash) else { return false }
        return computed == root
    }
}
