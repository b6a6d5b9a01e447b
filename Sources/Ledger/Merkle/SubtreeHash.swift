/// Hashes of the (possibly incomplete) subtrees that RFC 9162 §2.1 proofs are made of, computed only
/// from complete stored nodes.
enum SubtreeHash {
    /// The largest power of two strictly less than `n` (n ≥ 2): RFC 9162's split point `k`.
    @inline(__always)
    static func split(_ n: UInt64) -> UInt64 {
        UInt64(1) << UInt64(63 - (n - 1).leadingZeroBitCount)
    }

    /// MTH(D[begin:end]) for a range whose `begin` is a multiple of the largest power of two not above
    /// `end - begin` — true of every subtree the RFC's recursive definitions visit.
    ///
    /// Such a range is either one complete node or a right-edge subtree, which is the right-to-left fold
    /// of the complete nodes named by the set bits of its width. So this asks `nodeHash` for
    /// `popcount(end - begin)` complete nodes, all inside `[begin, end)`.
    static func range(begin: UInt64, end: UInt64, nodeHash: (NodeID) throws -> Hash) rethrows -> Hash {
        precondition(begin < end, "empty subtree range")
        var nodes: [NodeID] = []
        var position = begin
        let width = end - begin
        var level = 63 - width.leadingZeroBitCount
        while level >= 0 {
            let bit = UInt64(1) << UInt64(level)
            if width & bit != 0 {
                nodes.append(NodeID(level: level, index: position >> UInt64(level)))
                position += bit
            }
            level -= 1
        }
        var hash = try nodeHash(nodes[nodes.count - 1])
        for node in nodes.dropLast().reversed() {
            hash = RFC6962.nodeHash(try nodeHash(node), hash)
        }
        return hash
    }
}
