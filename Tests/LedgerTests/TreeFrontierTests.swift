import Ledger
import Testing

@Suite("TreeFrontier")
struct TreeFrontierTests {
    static let leafHashes: [Hash] = {
        var rng = SeededGenerator(seed: 42)
        return (0..<64).map { _ in RFC6962.leafHash((0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }) }
    }()
    static let tree = MerkleTree(leafHashes: leafHashes)

    @Test("appending one by one gives MerkleTree's root at every size and emits exactly the completed nodes")
    func append() {
        var frontier = TreeFrontier()
        #expect(frontier.size == 0)
        #expect(frontier.root == RFC6962.emptyRoot)
        for (i, leaf) in Self.leafHashes.enumerated() {
            let emitted = frontier.append(leaf)
            let size = UInt64(i + 1)
            #expect(frontier.size == size)
            #expect(frontier.root == Self.tree.root(size: size))
            // Leaf first, then one parent per trailing one-bit of the old size, each a level higher.
            #expect(emitted.count == 1 + (~UInt64(i)).trailingZeroBitCount)
            #expect(emitted.first?.0 == NodeID(level: 0, index: UInt64(i)))
            for (n, (id, hash)) in emitted.enumerated() {
                #expect(id.level == n)
                #expect(id.endLeaf == size, "completed node \(id) must end at the new size")
                #expect(hash == Self.tree.nodeHash(id))
            }
        }
    }

    @Test("a frontier reloaded from the emitted nodes continues like the original")
    func reload() {
        var stored: [NodeID: Hash] = [:]
        var frontier = TreeFrontier()
        for leaf in Self.leafHashes {
            for (id, hash) in frontier.append(leaf) { stored[id] = hash }
        }
        for size in UInt64(0)...64 {
            var requested = 0
            var reloaded = TreeFrontier(size: size) { id in
                requested += 1
                #expect(id.endLeaf <= size, "asked for \(id), not complete inside \(size)")
                return stored[id] ?? Hash.zero
            }
            #expect(requested == size.nonzeroBitCount)
            #expect(reloaded.size == size)
            #expect(reloaded.root == Self.tree.root(size: size))
            for next in Int(size)..<64 {
                reloaded.append(Self.leafHashes[next])
                #expect(reloaded.root == Self.tree.root(size: UInt64(next + 1)))
            }
        }
    }

    @Test("reloading propagates the node source's error")
    func reloadError() {
        struct Missing: Error {}
        #expect(throws: Missing.self) { _ = try TreeFrontier(size: 5) { _ in throw Missing() } }
    }
}
