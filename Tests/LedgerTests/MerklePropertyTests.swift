import Ledger
import Testing

/// Every proof over a 64-leaf tree of random leaves, built the way a store builds them.
@Suite("Merkle proofs over random trees")
struct MerklePropertyTests {
    static let leafHashes: [Hash] = {
        var rng = SeededGenerator(seed: 6962)
        return (0..<64).map { _ in RFC6962.leafHash((0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }) }
    }()
    static let tree = MerkleTree(leafHashes: leafHashes)

    /// ⌈log2 n⌉.
    static func ceilLog2(_ n: UInt64) -> Int { n <= 1 ? 0 : 64 - (n - 1).leadingZeroBitCount }

    @Test("all inclusion proofs (index < size ≤ 64) verify; any alteration fails")
    func inclusion() throws {
        for size in UInt64(1)...64 {
            let root = Self.tree.root(size: size)
            for index in 0..<size {
                var calls = 0
                let proof = try InclusionProof.build(index: index, size: size) { id in
                    calls += 1
                    #expect(id.endLeaf <= size, "asked for node \(id), not complete inside size \(size)")
                    return Self.tree.nodeHash(id)
                }
                #expect(calls <= 2 * Self.ceilLog2(size) + 1, "O(log n) node reads")
                #expect(proof == (try Self.tree.inclusionProof(index: index, size: size)))
                let leaf = Self.leafHashes[Int(index)]
                #expect(proof.verify(leafHash: leaf, root: root))
                #expect(!proof.verify(leafHash: flipped(leaf), root: root))
                #expect(!proof.verify(leafHash: leaf, root: flipped(root, byte: 31)))
                if size > 1 {
                    let other = Self.leafHashes[Int((index + 1) % size)]
                    #expect(!proof.verify(leafHash: other, root: root))
                }
                for i in proof.path.indices {
                    for byte in [0, 17, 31] {
                        var path = proof.path
                        path[i] = flipped(path[i], byte: byte)
                        #expect(!InclusionProof(index: index, size: size, path: path).verify(leafHash: leaf, root: root))
                    }
                }
            }
        }
    }

    @Test("all consistency proofs (1 ≤ old ≤ new ≤ 64) verify; any alteration fails")
    func consistency() throws {
        for new in UInt64(1)...64 {
            let newRoot = Self.tree.root(size: new)
            for old in UInt64(1)...new {
                let oldRoot = Self.tree.root(size: old)
                var calls = 0
                let proof = try ConsistencyProof.build(oldSize: old, newSize: new) { id in
                    calls += 1
                    #expect(id.endLeaf <= new, "asked for node \(id), not complete inside size \(new)")
                    return Self.tree.nodeHash(id)
                }
                #expect(calls <= 2 * Self.ceilLog2(new) + 1, "O(log n) node reads")
                #expect(proof.verify(oldRoot: oldRoot, newRoot: newRoot))
                #expect(!proof.verify(oldRoot: flipped(oldRoot), newRoot: newRoot))
                #expect(!proof.verify(oldRoot: oldRoot, newRoot: flipped(newRoot, byte: 31)))
                if old < new {
                    #expect(!proof.path.isEmpty)
                    #expect(!proof.verify(oldRoot: Self.tree.root(size: old + 1), newRoot: newRoot))
                } else {
                    #expect(proof.path.isEmpty)
                }
                for i in proof.path.indices {
                    for byte in [0, 17, 31] {
                        var path = proof.path
                        path[i] = flipped(path[i], byte: byte)
                        #expect(!ConsistencyProof(oldSize: old, newSize: new, path: path).verify(oldRoot: oldRoot, newRoot: newRoot))
                    }
                }
            }
        }
    }

    @Test("builds refuse impossible requests")
    func refusals() {
        #expect(ledgerError { _ = try InclusionProof.build(index: 5, size: 5) { Self.tree.nodeHash($0) } }?.code == .invalidProof)
        #expect(ledgerError { _ = try InclusionProof.build(index: 0, size: 0) { Self.tree.nodeHash($0) } }?.code == .invalidProof)
        #expect(ledgerError { _ = try ConsistencyProof.build(oldSize: 6, newSize: 5) { Self.tree.nodeHash($0) } }?.code == .invalidProof)
        #expect(ledgerError { _ = try Self.tree.inclusionProof(index: 0, size: 65) }?.code == .invalidProof)
        #expect(ledgerError { _ = try Self.tree.consistencyProof(oldSize: 1, newSize: 65) }?.code == .invalidProof)
    }

    @Test("the empty tree: every tree extends it")
    func emptyOld() throws {
        let proof = try ConsistencyProof.build(oldSize: 0, newSize: 10) { Self.tree.nodeHash($0) }
        #expect(proof.path.isEmpty)
        #expect(proof.verify(oldRoot: RFC6962.emptyRoot, newRoot: Self.tree.root(size: 10)))
        #expect(!proof.verify(oldRoot: Self.tree.root(size: 1), newRoot: Self.tree.root(size: 10)))
    }

    @Test("errors thrown by the node source propagate")
    func nodeSourceErrors() {
        struct Missing: Error {}
        #expect(throws: Missing.self) { _ = try InclusionProof.build(index: 3, size: 9) { _ in throw Missing() } }
        #expect(throws: Missing.self) { _ = try ConsistencyProof.build(oldSize: 3, newSize: 9) { _ in throw Missing() } }
    }
}
