import Ledger

/// A column value of a projection row, with its storage class (the text "1" and the integer 1
/// are different values to the tag).
public enum ProjectionValue: Sendable, Hashable, CustomStringConvertible {
    /// An integer.
    case integer(Int64)
    /// Text (UTF-8).
    case text(String)
    /// Bytes.
    case blob([UInt8])
    /// No value.
    case null

    /// The value as a person reads it in an error message.
    public var description: String {
        switch self {
        case .integer(let v): "\(v)"
        case .text(let v): v
        case .blob(let v): "\(v.count) bytes"
        case .null: "NULL"
        }
    }

    /// The same order SQLite's BINARY collation gives a key column (NULL, then integers, then
    /// text by UTF-8 bytes, then blobs by bytes), so every backend lists rows alike.
    public static func precedes(_ a: ProjectionValue, _ b: ProjectionValue) -> Bool {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): x < y
        case (.text(let x), .text(let y)): x.utf8.lexicographicallyPrecedes(y.utf8)
        case (.blob(let x), .blob(let y)): x.lexicographicallyPrecedes(y)
        default: a.rank < b.rank
        }
    }

    /// Whether key `a` sorts before key `b`, column by column.
    public static func precedes(_ a: [ProjectionValue], _ b: [ProjectionValue]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return precedes(x, y) }
        return a.count < b.count
    }

    private var rank: Int {
        switch self {
        case .null: 0
        case .integer: 1
        case .text: 2
        case .blob: 3
        }
    }

    // Typed reads of a stored row's columns: a value of the wrong class is a corrupt row.

    func text(_ what: @autoclosure () -> String) throws -> String {
        guard case .text(let v) = self else { throw StoreError(.corrupt, "\(what()) is not text") }
        return v
    }

    func integer(_ what: @autoclosure () -> String) throws -> Int64 {
        guard case .integer(let v) = self else { throw StoreError(.corrupt, "\(what()) is not an integer") }
        return v
    }

    func optionalInteger(_ what: @autoclosure () -> String) throws -> Int64? {
        if case .null = self { return nil }
        return try integer(what())
    }

    func optionalText(_ what: @autoclosure () -> String) throws -> String? {
        if case .null = self { return nil }
        return try text(what())
    }

    func blob(_ what: @autoclosure () -> String) throws -> [UInt8] {
        guard case .blob(let v) = self else { throw StoreError(.corrupt, "\(what()) is not bytes") }
        return v
    }
}

/// One stored projection row: its values in `ProjectionTable.columns` order and its tag
/// (nil for the fixed meta rows, written before there is a register key).
public struct StoredRow: Sendable, Hashable {
    /// The column values.
    public var values: [ProjectionValue]
    /// The tag over them (`ProjectionAuthenticator`).
    public var tag: [UInt8]?

    /// Makes a row.
    public init(values: [ProjectionValue], tag: [UInt8]?) {
        self.values = values
        self.tag = tag
    }

    /// The row's primary key in `table`.
    public func key(in table: ProjectionTable) -> [ProjectionValue] {
        table.keyIndices.map { values[$0] }
    }
}
