import Ledger

/// A witness's `cosignature/v1` of one of the register's checkpoints, as the register keeps it
/// beside the log (C2SP tlog-cosignature; docs/witnesses.md). Not part of the signed log: a
/// cosignature is the witness's statement, checked by `verify` against the witness's key and
/// the checkpoint of its size.
public struct StoredCosignature: Sendable, Hashable, Codable {
    /// The size of the checkpoint cosigned.
    public let size: UInt64
    /// The witness's verifier key text (`<name>+<id>+<base64(0x04 ‖ key)>`).
    public let witness: String
    /// The witness's timestamp, POSIX seconds.
    public let timestamp: UInt64
    /// The signature line, `— <name> <base64>`, without a newline.
    public let line: String

    /// A kept cosignature.
    public init(size: UInt64, witness: String, timestamp: UInt64, line: String) {
        self.size = size
        self.witness = witness
        self.timestamp = timestamp
        self.line = line
    }

    /// How the memory backend keeps them: a table of generic rows outside `ProjectionTable.all`,
    /// so rebuild, rotation and `clearProjections` never touch them, and with no tag (a
    /// cosignature is authenticated by the witness's signature, not the register key).
    public static let table = ProjectionTable(name: "cosignatures", columns: ["size", "witness", "timestamp", "line"], key: ["size", "witness"])

    /// This cosignature as a row of `table`.
    public var row: StoredRow {
        StoredRow(values: [.integer(Int64(size)), .text(witness), .integer(Int64(timestamp)), .text(line)], tag: nil)
    }

    /// A cosignature from a row of `table`.
    public init(row: StoredRow) throws {
        guard row.values.count == 4, case .integer(let size) = row.values[0], case .text(let witness) = row.values[1],
              case .integer(let timestamp) = row.values[2], case .text(let line) = row.values[3], size >= 0, timestamp >= 0
        else { throw StoreError(.corrupt, "a stored cosignature row is malformed") }
        self.init(size: UInt64(size), witness: witness, timestamp: UInt64(timestamp), line: line)
    }
}

extension RegisterReader {
    /// Every kept cosignature with size ≥ `from`, smallest size first.
    public func cosignatures(from size: UInt64 = 0) throws -> [StoredCosignature] {
        try storage.cosignatures(from: size, limit: Int.max)
    }

    /// The kept cosignatures of the checkpoint of `size`.
    public func cosignatures(atSize size: UInt64) throws -> [StoredCosignature] {
        try storage.cosignatures(from: size, limit: 1024).filter { $0.size == size }
    }

    /// The largest size `witness` (its verifier key text) has cosigned, or nil.
    public func latestCosignedSize(witness: String) throws -> UInt64? {
        try storage.latestCosignedSize(witness: witness)
    }
}

extension RegisterStore {
    /// Keeps witnesses' cosignatures (the first one per witness and size), in one transaction
    /// that appends no entry and signs no checkpoint: a cosignature is beside the log, not in it.
    public func keepCosignatures(_ cosignatures: [StoredCosignature]) async throws {
        guard !cosignatures.isEmpty else { return }
        try await backend.transaction { transaction in
            for cosignature in cosignatures { try transaction.putCosignature(cosignature) }
        }
    }
}
