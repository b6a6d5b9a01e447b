import Ledger

extension RegisterReader {
    /// The stored account of a user (the domain's JSON), or nil.
    ///
    /// In a write transaction its tag is checked first: the account rules (who may sign,
    /// approvals awaited) decide from it.
    public func accountDocument(userID: String) throws -> JSONValue? {
        guard let row = try storage.row(.accounts, key: [.text(userID)]) else { return nil }
        return try JSONValue(parsing: try checked(.accounts, row, what: "the account of \(userID)").values[1].blob("an accounts row"))
    }

    /// Every stored account, by user id.
    public func accountDocuments() throws -> [(userID: String, document: JSONValue)] {
        try storage.rows(.accounts, after: nil, limit: Int.max).map {
            (try $0.values[0].text("an accounts row"), try JSONValue(parsing: try $0.values[1].blob("an accounts row")))
        }
    }
}

extension RegisterWriter {
    /// Inserts or replaces a user's account document.
    public func saveAccountDocument(_ document: JSONValue, userID: String) throws {
        try put(.accounts, [.text(userID), .blob(document.canonicalBytes)])
    }
}
