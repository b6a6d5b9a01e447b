import Foundation

extension JSONValue {
    /// Converts any `Encodable` into a ``JSONValue`` by encoding it with `JSONEncoder` and parsing the
    /// result strictly, so the register's rules (integers only, safe range) apply to typed bodies too.
    ///
    /// Note that `JSONEncoder` writes a whole-number `Double` such as `2.0` as `2`; only values with a
    /// fractional part are refused as floats.
    /// - Throws: ``LedgerError/Code/malformedJSON`` if encoding fails, or any parse error.
    public init(encoding value: some Encodable) throws(LedgerError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw LedgerError(.malformedJSON, "cannot encode \(type(of: value)) as JSON: \(error)")
        }
        try self.init(parsing: data)
    }

    /// Decodes a `Decodable` type from this value (through its canonical bytes and `JSONDecoder`).
    /// - Throws: ``LedgerError/Code/malformedJSON`` naming the type and the decoding problem.
    public func decode<T: Decodable>(_ type: T.Type) throws(LedgerError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(canonicalBytes))
        } catch {
            throw LedgerError(.malformedJSON, "cannot decode \(T.self) from JSON: \(Self.describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "at the top level" : "at \(p)"
        }
        switch decoding {
        case .keyNotFound(let key, let context):
            return "missing member \"\(key.stringValue)\" \(path(context))"
        case .typeMismatch(let type, let context):
            return "expected \(type) \(path(context)): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "expected \(type) but found null \(path(context))"
        case .dataCorrupted(let context):
            return "\(context.debugDescription) \(path(context))"
        @unknown default:
            return "\(decoding)"
        }
    }
}
