import Foundation
import GRDB
import RegisterStorage

/// The data keys, in `data_keys` (`Schemas/register.sql`).
extension SQLiteReading {
    func dataKey(name: String) throws -> DataKeyRow? {
        var query = FastStatement(try db.cachedStatement(sql: "SELECT name, sealed, destroyed_seq FROM data_keys WHERE name = ?"))
        query.bind(name)
        return try query.fetchOne(db, Self.dataKeyRow)
    }

    func dataKeys() throws -> [DataKeyRow] {
        try FastStatement(try db.cachedStatement(sql: "SELECT name, sealed, destroyed_seq FROM data_keys ORDER BY name")).fetchAll(db, Self.dataKeyRow)
    }

    private static func dataKeyRow(_ columns: FastStatement.Columns) -> DataKeyRow {
        DataKeyRow(
            name: columns.text(0), sealed: columns.isNull(1) ? nil : columns.blob(1),
            destroyedSeq: columns.isNull(2) ? nil : UInt64(columns.int64(2)))
    }

    func putDataKey(_ row: DataKeyRow) throws {
        // secure_delete (SQLiteBackend.pragmas) zeroes the replaced row's bytes in the page.
        try db.execute(
            sql: "INSERT INTO data_keys (name, sealed, destroyed_seq) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET sealed = excluded.sealed, destroyed_seq = excluded.destroyed_seq",
            arguments: [row.name, row.sealed.map { Data($0) }, row.destroyedSeq.map { Int64($0) }])
    }
}
