import Ledger
import RegisterStorage

/// Witnesses' cosignatures in a memory register: rows of `StoredCosignature.table`, which is
/// not a projection (rebuilds and `clearProjections` leave it alone).
extension MemoryTransaction {
    func cosignatures(from size: UInt64, limit: Int) throws -> [StoredCosignature] {
        let rows = try rows(StoredCosignature.table, after: nil, limit: Int.max)
        return Array(try rows.map(StoredCosignature.init(row:)).filter { $0.size >= size }.prefix(limit))
    }

    func latestCosignedSize(witness: String) throws -> UInt64? {
        try rows(StoredCosignature.table, where: "witness", is: .text(witness)).map { try StoredCosignature(row: $0).size }.max()
    }

    func putCosignature(_ cosignature: StoredCosignature) throws {
        guard try row(StoredCosignature.table, key: [.integer(Int64(cosignature.size)), .text(cosignature.witness)]) == nil else { return }
        try put(StoredCosignature.table, cosignature.row)
    }
}
