import Ledger
import RegisterStorage

/// The log as C2SP tlog-tiles: hash tiles and entry bundles, read from the stored tree, so an
/// auditor or a witness can follow the register with tools nobody here wrote.
extension VerificationService {
    /// A tile of the tree of the latest signed checkpoint, or nil when that tree has no such
    /// tile (beyond its size, or wider than its hashes so far).
    ///
    /// Tile level `l` holds the hashes of the complete subtrees of tree level `8l`; hash `i`
    /// of tile `n` is the node `(8l, 256n + i)`. A tile's bytes never change once its hashes
    /// exist, partial ones included: a partial tile of width `W` is the first `W` hashes of the
    /// full one. Hash tiles carry no personal data: anyone may read them.
    ///
    /// - Parameter path: a `TilePath` of kind `.hashes`.
    /// - Returns: the hashes, 32 bytes each, concatenated; nil if the tile does not exist.
    /// - Throws: when the store cannot be read, or a stored node is missing.
    public func hashTile(_ path: TilePath) async throws -> [UInt8]? {
        guard case .hashes(let level) = path.kind else {
            throw RIPAError(.badInput, "\(path) is an entry bundle, not a hash tile")
        }
        // Tree levels run 0 to 63: tile level 8 would start at tree level 64.
        guard level < 64 / TilePath.height else { return nil }
        let treeLevel = level * TilePath.height
        return try await register.store.read { reader -> [UInt8]? in
            guard let range = Self.tileRange(path, complete: try Self.publishedSize(reader) >> UInt64(treeLevel)) else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(range.count * 32)
            if treeLevel == 0 {
                for item in try Self.leaves(range, reader) {
                    RFC6962.leafHash(item.leaf).withUnsafeBytes { bytes.append(contentsOf: $0) }
                }
            } else {
                for index in range {
                    try reader.nodeHash(NodeID(level: treeLevel, index: index)).withUnsafeBytes { bytes.append(contentsOf: $0) }
                }
            }
            return bytes
        }
    }

    /// An entry bundle of the tree of the latest signed checkpoint: the leaf data of each entry
    /// under level-0 tile `n`, each preceded by its length as a big-endian uint16 (C2SP
    /// tlog-tiles "Log entries"); nil when that tree has no such bundle.
    ///
    /// Entries name people and cases, so only an auditor reads them.
    ///
    /// - Throws: `RIPAError.notPermitted` unless the actor is an auditor; `RIPAError.badInput`
    ///   for an entry longer than a uint16 can say (65,535 bytes).
    public func entryBundle(_ path: TilePath, by actor: Actor) async throws -> [UInt8]? {
        guard actor.holds(.auditor) else {
            throw RIPAError(.notPermitted, "\(actor.userID) may not read the log's entries: it needs the auditor role")
        }
        guard case .entries = path.kind else {
            throw RIPAError(.badInput, "\(path) is a hash tile, not an entry bundle")
        }
        return try await register.store.read { reader -> [UInt8]? in
            guard let range = Self.tileRange(path, complete: try Self.publishedSize(reader)) else { return nil }
            var bytes: [UInt8] = []
            for (seq, leaf) in try Self.leaves(range, reader) {
                guard leaf.count <= Int(UInt16.max) else {
                    throw RIPAError(.badInput, "entry \(seq) is \(leaf.count) bytes, more than an entry bundle's 16-bit length can carry; read it from the log instead")
                }
                bytes.append(UInt8(leaf.count >> 8))
                bytes.append(UInt8(leaf.count & 0xff))
                bytes.append(contentsOf: leaf)
            }
            return bytes
        }
    }

    /// The size of the tree the tiles describe: the latest signed checkpoint's, so a client
    /// that verified the checkpoint finds every tile it needs, and nothing is published
    /// before it is signed.
    static func publishedSize(_ reader: RegisterReader) throws -> UInt64 {
        guard let text = try reader.latestCheckpoint() else { return 0 }
        return try Checkpoint(parsing: try SignedNote(parsing: text).text).size
    }

    /// The node indices (at the tile's tree level) a tile holds, given how many complete
    /// nodes that level has; nil when the tile does not exist yet.
    static func tileRange(_ path: TilePath, complete: UInt64) -> Range<UInt64>? {
        let width = UInt64(TilePath.width)
        let (start, overflow) = path.index.multipliedReportingOverflow(by: width)
        guard !overflow else { return nil }
        let count = UInt64(path.width ?? TilePath.width)
        guard start < complete, count <= complete - start else { return nil }
        return start..<(start + count)
    }

    /// The stored leaves in the range, checked to be all there.
    static func leaves(_ range: Range<UInt64>, _ reader: RegisterReader) throws -> [(seq: UInt64, leaf: [UInt8])] {
        let leaves = try reader.leaves(from: range.lowerBound, limit: range.count)
        guard leaves.count == range.count, leaves.first?.seq == range.lowerBound, leaves.last?.seq == range.upperBound - 1 else {
            throw StoreError(.corrupt, "entries \(range.lowerBound) to \(range.upperBound - 1) are not all in storage")
        }
        return leaves
    }
}
