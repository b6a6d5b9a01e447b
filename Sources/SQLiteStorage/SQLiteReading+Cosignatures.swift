import Foundation
import GRDB
import Ledger
import RegisterStorage

/// Witnesses' cosignatures in SQLite: the `cosignatures` table of `Schemas/register.sql`.
///
/// A register made before witnessing has no such table: reads then find none, and the first
/// write creates it (`RegisterSchema.cosignaturesTable`, the DDL the schema is made with), so existing
/// databases open and read-only copies are never written.
extension SQLiteReading {
    private func hasCosignatureTable() throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cosignatures')") ?? false
    }

    func cosignatures(from size: UInt64, limit: Int) throws -> [StoredCosignature] {
        guard try hasCosignatureTable() else { return [] }
        let rows = try Row.fetchAll(
            db, sql: "SELECT size, witness, timestamp, line FROM cosignatures WHERE size >= ? ORDER BY size, witness LIMIT ?",
            arguments: [Int64(size), Int64(min(limit, Int(Int64.max)))])
        return rows.map { StoredCosignature(size: UInt64($0["size"] as Int64), witness: $0["witness"], timestamp: UInt64($0["timestamp"] as Int64), line: $0["line"]) }
    }

    func latestCosignedSize(witness: String) throws -> UInt64? {
        guard try hasCosignatureTable() else { return nil }
        return try Int64.fetchOne(db, sql: "SELECT MAX(size) FROM cosignatures WHERE witness = ?", arguments: [witness]).map { UInt64($0) }
    }

    func putCosignature(_ cosignature: StoredCosignature) throws {
        if try !hasCosignatureTable() { try db.execute(sql: RegisterSchema.cosignaturesTable) }
        try db.execute(
            sql: "INSERT OR IGNORE INTO cosignatures (size, witness, timestamp, line) VALUES (?, ?, ?, ?)",
            arguments: [Int64(cosignature.size), cosignature.witness, Int64(cosignature.timestamp), cosignature.line])
    }
}
