import Ledger

/// A log as another register wrote it, to be copied into a store byte for byte: what an
/// export bundle carries (docs/bundles.md).
public struct ImportedLog: Sendable {
    /// The entries' stored bytes (leaf data), in order, the first being entry `from`.
    public var leaves: [[UInt8]]
    /// The signed checkpoints, as signed.
    public var checkpoints: [(size: UInt64, note: String)]
    /// The witnesses' cosignatures of them.
    public var cosignatures: [StoredCosignature]
    /// Kept documents by their hash.
    public var documents: [(hash: String, content: [UInt8])]
    /// Data key rows: tombstones of destroyed cases, and keys sealed for this store's keyring.
    public var dataKeys: [DataKeyRow]

    /// A log to import.
    public init(
        leaves: [[UInt8]], checkpoints: [(size: UInt64, note: String)], cosignatures: [StoredCosignature] = [],
        documents: [(hash: String, content: [UInt8])] = [], dataKeys: [DataKeyRow] = []
    ) {
        self.leaves = leaves
        self.checkpoints = checkpoints
        self.cosignatures = cosignatures
        self.documents = documents
        self.dataKeys = dataKeys
    }
}

extension RegisterStore {
    /// Appends an imported log after the entries already stored, verbatim, with the tree nodes
    /// its leaves make, in one transaction. Nothing is checked here and no projection is made:
    /// the entries are another register's, so only a verifier may say whether they hold
    /// (an entry that does not even parse is stored under an empty kind, for the verifier
    /// to name).
    ///
    /// - Throws: `StoreError` when a checkpoint's size is one already stored.
    public func importLog(_ log: ImportedLog) async throws {
        try await backend.transaction { transaction in
            let start = try transaction.size()
            var frontier = try TreeFrontier(size: start) { id in
                try RegisterReader(transaction).nodeHash(id)
            }
            for (offset, leaf) in log.leaves.enumerated() {
                let kind = (try? Entry(leafData: leaf).kind) ?? ""
                try transaction.appendLeaf(seq: start + UInt64(offset), kind: kind, leaf: leaf)
                for (id, hash) in frontier.append(RFC6962.leafHash(leaf)) where id.level > 0 {
                    try transaction.putNode(id, hash)
                }
            }
            for (size, note) in log.checkpoints { try transaction.putCheckpoint(size: size, note: note) }
            for cosignature in log.cosignatures { try transaction.putCosignature(cosignature) }
            for (hash, content) in log.documents { try transaction.putDocument(content, hash: hash) }
            for row in log.dataKeys { try transaction.putDataKey(row) }
        }
    }
}
