import Ledger

/// Authenticates projection rows with a key the database does not hold, so that the live
/// register never takes a decision from a row edited outside it (docs/formats.md "Projection tags").
///
/// The key is BLAKE2b-256 keyed with the register signing key's seed over a fixed context:
/// whoever can sign checkpoints can tag rows, nobody holding only the database can. Each
/// row's tag is BLAKE2b-128 over the table name and its columns, each with its storage class
/// and length. A tag covers one row: it shows a row was changed or made up, not that a row
/// was deleted or put back as it was earlier (`verify --replay` compares every row with the log).
///
/// `ripa key rotate` re-tags every row under the new key in the rotation's own transaction,
/// after checking every row under the old key (a rotation never launders an edited row).
public struct ProjectionAuthenticator: Sendable {
    /// The derivation context; a new tag format gets a new context.
    static let context = "ripa-register/projection-mac/v1"
    private let hash: KeyedHash

    /// The authenticator of the register key `registerKey`.
    public init(registerKey: NoteSignerKey) {
        hash = KeyedHash(deriving: registerKey.signingKey.seed, context: Self.context)
    }

    static func message(_ table: ProjectionTable, _ values: [ProjectionValue]) -> [UInt8] {
        var message: [UInt8] = []
        message.reserveCapacity(192)
        message.append(contentsOf: table.name.utf8)
        message.append(0)
        func length(_ count: Int) {
            withUnsafeBytes(of: UInt32(count).bigEndian) { message.append(contentsOf: $0) }
        }
        for value in values {
            switch value {
            case .null:
                message.append(0)
            case .integer(let v):
                message.append(1)
                withUnsafeBytes(of: v.bigEndian) { message.append(contentsOf: $0) }
            case .text(let v):
                message.append(2)
                length(v.utf8.count)
                message.append(contentsOf: v.utf8)
            case .blob(let v):
                message.append(3)
                length(v.count)
                message.append(contentsOf: v)
            }
        }
        return message
    }

    /// The tag of a row of `table` with these column values (in `table.columns` order).
    public func tag(_ table: ProjectionTable, _ values: [ProjectionValue]) -> [UInt8] {
        hash.tag(Self.message(table, values))
    }

    /// Checks a stored row's tag.
    ///
    /// - Throws: `StoreError.projectionTampered` naming the row and what to run.
    func check(_ table: ProjectionTable, _ values: [ProjectionValue], tag: [UInt8]?, row: @autoclosure () -> String) throws {
        guard let tag, hash.isValid(tag, for: Self.message(table, values)) else {
            throw StoreError.tampered(row())
        }
    }
}

extension StoreError {
    /// A projection row whose tag does not match: edited, inserted or moved outside the register.
    static func tampered(_ row: String) -> StoreError {
        StoreError(
            .projectionTampered, "the stored projection of \(row) was changed outside the register, so no decision is taken from it",
            reason: .projectionTampered, values: ["row": row])
    }
}

extension RegisterReader {
    /// The row as stored, its tag checked when this reader holds the register key (inside a
    /// write transaction): every projection read a decision takes goes through here.
    ///
    /// - Throws: `StoreError.projectionTampered` naming `what`.
    func checked(_ table: ProjectionTable, _ row: StoredRow, what: @autoclosure () -> String) throws -> StoredRow {
        if let authenticator { try authenticator.check(table, row.values, tag: row.tag, row: what()) }
        return row
    }
}

extension RegisterWriter {
    /// The tag for a row this transaction writes.
    ///
    /// - Throws: `StoreError.corrupt` if the transaction was opened without the register key
    ///   (a projection row must never be written untagged).
    func tag(_ table: ProjectionTable, _ values: [ProjectionValue]) throws -> [UInt8] {
        guard let authenticator else {
            throw StoreError(.corrupt, "projection rows (\(table.name)) can only be written in a transaction holding the register key")
        }
        return authenticator.tag(table, values)
    }

    /// Writes a projection row, tagged.
    func put(_ table: ProjectionTable, _ values: [ProjectionValue]) throws {
        try transaction.put(table, StoredRow(values: values, tag: try tag(table, values)))
    }

    /// Checks every projection row under this transaction's key and tags it under `next`
    /// (key rotation), then writes later rows under `next` too.
    ///
    /// - Throws: `StoreError.projectionTampered` for the first row whose tag does not match
    ///   (nothing is re-tagged: the transaction rolls back).
    public func reauthenticateProjections(with next: ProjectionAuthenticator) throws {
        guard let current = authenticator else {
            throw StoreError(.corrupt, "re-tagging the projections needs the current register key")
        }
        for table in ProjectionTable.all {
            var after: [ProjectionValue]?
            while true {
                // Pages in key order: each row re-put replaces itself, so the next page starts after it.
                let page = try transaction.rows(table, after: after, limit: 4096)
                guard let last = page.last else { break }
                for row in page {
                    let key = row.key(in: table)
                    if table == .meta, case .text(let name) = key[0], ProjectionTable.fixedMetaKeys.contains(name) { continue }
                    try current.check(table, row.values, tag: row.tag, row: "\(table.name) row \(key.map(\.description).joined(separator: ", "))")
                    try transaction.put(table, StoredRow(values: row.values, tag: next.tag(table, row.values)))
                }
                after = last.key(in: table)
            }
        }
        authenticator = next
    }
}
