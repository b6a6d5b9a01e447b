import Ledger
import Testing

/// RFC 6962 / RFC 9162 vectors from transparency-dev/merkle (Vectors/rfc6962.json).
@Suite("RFC 6962 vectors")
struct RFC6962VectorTests {
    static func leaves() throws -> [[UInt8]] {
        try Vectors.load("rfc6962").requiredArray("leaves_hex").map { try hexBytes(#require($0.stringValue)) }
    }

    static func tree() throws -> MerkleTree {
        MerkleTree(leafHashes: try leaves().map { RFC6962.leafHash($0) })
    }

    static func root(size: UInt64) throws -> Hash {
        try hexHash(Vectors.load("rfc6962").required("roots_by_size").requiredString(String(size)))
    }

    @Test("leaf, node and empty-tree hashes")
    func hashes() throws {
        let hashes = try Vectors.load("rfc6962").required("hashes")
        #expect(RFC6962.emptyRoot == (try hexHash(hashes.requiredString("empty_tree"))))
        #expect(RFC6962.leafHash([UInt8]()) == (try hexHash(hashes.requiredString("leaf_of_empty"))))
        #expect(RFC6962.leafHash(Array("L123456".utf8)) == (try hexHash(hashes.requiredString("leaf_of_ascii_L123456"))))
        // The vector hashes two 4-byte strings as children; nodeHash takes 32-byte hashes, so check the
        // scheme (0x01 ‖ left ‖ right) on the vector, then that nodeHash implements that scheme.
        let node = Hash.sha256([0x01] + Array("N123".utf8) + Array("N456".utf8))
        #expect(node == (try hexHash(hashes.requiredString("node_of_ascii_N123_N456"))))
        let a = Hash.sha256(Array("a".utf8)), b = Hash.sha256(Array("b".utf8))
        #expect(RFC6962.nodeHash(a, b) == Hash.sha256([0x01] + a.bytes + b.bytes))
        #expect(RFC6962.nodeHash(a, b) != RFC6962.nodeHash(b, a))
    }

    @Test("roots by size, from MerkleTree and from TreeFrontier")
    func roots() throws {
        let leaves = try Self.leaves()
        let tree = try Self.tree()
        var frontier = TreeFrontier()
        #expect(frontier.root == (try Self.root(size: 0)))
        for size in 0...UInt64(leaves.count) {
            let expected = try Self.root(size: size)
            #expect(tree.root(size: size) == expected, "size \(size)")
            #expect(MerkleTree(leafHashes: leaves[0..<Int(size)].map { RFC6962.leafHash($0) }).root(size: size) == expected)
            if size > 0 {
                frontier.append(RFC6962.leafHash(leaves[Int(size) - 1]))
                #expect(frontier.root == expected, "frontier size \(size)")
            }
        }
    }

    struct InclusionVector: Sendable, CustomTestStringConvertible {
        let index: UInt64, size: UInt64, path: [Hash]
        var testDescription: String { "leaf \(index) of \(size)" }
    }

    static func inclusionVectors() throws -> [InclusionVector] {
        try Vectors.load("rfc6962").requiredArray("inclusion").map {
            InclusionVector(index: UInt64(try $0.requiredInteger("index")), size: UInt64(try $0.requiredInteger("size")),
                            path: try $0.requiredArray("proof").map { try hexHash(#require($0.stringValue)) })
        }
    }

    @Test("inclusion proofs build to the published path and verify; every alteration fails", arguments: try inclusionVectors())
    func inclusion(_ v: InclusionVector) throws {
        let leaves = try Self.leaves()
        let proof = try Self.tree().inclusionProof(index: v.index, size: v.size)
        #expect(proof.path == v.path)
        let published = InclusionProof(index: v.index, size: v.size, path: v.path)
        let leaf = RFC6962.leafHash(leaves[Int(v.index)])
        let root = try Self.root(size: v.size)
        #expect(published.verify(leafHash: leaf, root: root))
        #expect(try published.root(forLeafHash: leaf) == root)

        // Bad proofs derived from the published one.
        #expect(!published.verify(leafHash: flipped(leaf), root: root), "wrong leaf")
        #expect(!published.verify(leafHash: leaf, root: flipped(root)), "wrong root")
        #expect(!published.verify(leafHash: RFC6962.leafHash(leaves[Int((v.index + 1) % v.size)]), root: root), "other leaf")
        #expect(!InclusionProof(index: (v.index + 1) % v.size, size: v.size, path: v.path).verify(leafHash: leaf, root: root), "wrong index")
        // (A different size with the same path shape is not a distinct claim: the root binds the size.)
        #expect(!InclusionProof(index: v.index, size: v.index, path: v.path).verify(leafHash: leaf, root: root), "size ≤ index")
        #expect(!InclusionProof(index: v.size, size: v.size, path: v.path).verify(leafHash: leaf, root: root), "index = size")
        #expect(!InclusionProof(index: v.index, size: v.size, path: v.path.dropLast()).verify(leafHash: leaf, root: root), "truncated")
        #expect(!InclusionProof(index: v.index, size: v.size, path: v.path + [root]).verify(leafHash: leaf, root: root), "extended")
        if v.path.count > 1 {
            #expect(!InclusionProof(index: v.index, size: v.size, path: v.path.reversed()).verify(leafHash: leaf, root: root), "reversed")
        }
        for i in v.path.indices {
            var path = v.path
            path[i] = flipped(path[i], byte: i)
            #expect(!InclusionProof(index: v.index, size: v.size, path: path).verify(leafHash: leaf, root: root), "element \(i) altered")
        }
        #expect(ledgerError { _ = try InclusionProof(index: v.index, size: v.size, path: v.path.dropLast()).root(forLeafHash: leaf) }?.code == .malformedProof)
    }

    struct ConsistencyVector: Sendable, CustomTestStringConvertible {
        let old: UInt64, new: UInt64, path: [Hash]
        var testDescription: String { "\(old) → \(new)" }
    }

    static func consistencyVectors() throws -> [ConsistencyVector] {
        try Vectors.load("rfc6962").requiredArray("consistency").map {
            ConsistencyVector(old: UInt64(try $0.requiredInteger("old")), new: UInt64(try $0.requiredInteger("new")),
                              path: try $0.requiredArray("proof").map { try hexHash(#require($0.stringValue)) })
        }
    }

    @Test("consistency proofs build to the published path and verify; every alteration fails", arguments: try consistencyVectors())
    func consistency(_ v: ConsistencyVector) throws {
        let proof = try Self.tree().consistencyProof(oldSize: v.old, newSize: v.new)
        #expect(proof.path == v.path)
        let published = ConsistencyProof(oldSize: v.old, newSize: v.new, path: v.path)
        let oldRoot = try Self.root(size: v.old), newRoot = try Self.root(size: v.new)
        #expect(published.verify(oldRoot: oldRoot, newRoot: newRoot))

        #expect(!published.verify(oldRoot: flipped(oldRoot), newRoot: newRoot), "wrong old root")
        #expect(!published.verify(oldRoot: oldRoot, newRoot: flipped(newRoot)), "wrong new root")
        #expect(!published.verify(oldRoot: newRoot, newRoot: oldRoot), "roots swapped")
        #expect(!ConsistencyProof(oldSize: v.old + 1, newSize: v.new, path: v.path).verify(oldRoot: oldRoot, newRoot: newRoot), "wrong old size")
        #expect(!ConsistencyProof(oldSize: v.old, newSize: v.old - 1, path: v.path).verify(oldRoot: oldRoot, newRoot: newRoot), "new size below old")
        #expect(!ConsistencyProof(oldSize: v.old, newSize: v.new, path: []).verify(oldRoot: oldRoot, newRoot: newRoot), "empty")
        #expect(!ConsistencyProof(oldSize: v.old, newSize: v.new, path: v.path.dropLast()).verify(oldRoot: oldRoot, newRoot: newRoot), "truncated")
        #expect(!ConsistencyProof(oldSize: v.old, newSize: v.new, path: v.path + [newRoot]).verify(oldRoot: oldRoot, newRoot: newRoot), "extended")
        for i in v.path.indices {
            var path = v.path
            path[i] = flipped(path[i], byte: 31 - i)
            #expect(!ConsistencyProof(oldSize: v.old, newSize: v.new, path: path).verify(oldRoot: oldRoot, newRoot: newRoot), "element \(i) altered")
        }
    }
}
