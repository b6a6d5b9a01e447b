import Foundation
import GRDB
import Ledger

extension RegisterReader {
    /// The stored account of a user (the domain's JSON), or nil.
    ///
    /// In a write transaction its tag is checked first: the account rules (who may sign,
    /// approvals awaited) decide from it.
    public func accountDocument(userID: String) throws -> JSONValue? {
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT user_id, document, mac FROM accounts WHERE user_id = ?"), arguments: [userID]) else {
            return nil
        }
        try checkTag(.accounts, row, what: "the account of \(userID)")
        return try JSONValue(parsing: [UInt8](row["document"] as Data))
    }

    /// Every stored account, by user id.
    public func accountDocuments() throws -> [(userID: String, document: JSONValue)] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT user_id, document FROM accounts ORDER BY user_id")).map {
            ($0[0] as String, try JSONValue(parsing: [UInt8]($0[1] as Data)))
        }
    }
}

extension RegisterWriter {
    /// Inserts or replaces a user's account document.
    public func saveAccountDocument(_ document: JSONValue, userID: String) throws {
        let bytes = document.canonicalBytes
        let mac = try tag(.accounts, [.text(userID), .blob(bytes)])
        try db.execute(
            sql: "INSERT OR REPLACE INTO accounts (user_id, document, mac) VALUES (?, ?, ?)",
            arguments: [userID, Data(bytes), Data(mac)])
    }
}
