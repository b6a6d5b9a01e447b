/// A JSON value restricted to what the register's canonical form allows (DESIGN.md "Canonical JSON").
///
/// Numbers are integers in the I-JSON safe range ±(2^53 − 1) (RFC 7493 §2.2); floating-point numbers
/// are refused because RFC 8785's number serialisation of doubles is a common source of
/// disagreement between implementations, and the register never needs them.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer; the parser only produces values with |n| ≤ 2^53 − 1.
    case integer(Int64)
    /// A string (any Unicode scalars; lone surrogates cannot occur).
    case string(String)
    /// An ordered array.
    case array([JSONValue])
    /// An object; member order is irrelevant because canonical form sorts names (RFC 8785 §3.2.3).
    case object([String: JSONValue])

    /// The largest magnitude an integer may have: 2^53 − 1, the I-JSON safe range (RFC 7493 §2.2).
    public static let maxSafeInteger: Int64 = 9_007_199_254_740_991

    /// The member named `key` if this is an object that has it; nil otherwise.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer if this is an integer.
    public var integerValue: Int64? {
        if case .integer(let n) = self { return n }
        return nil
    }

    /// The Boolean if this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members if this is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension JSONValue: CustomStringConvertible {
    /// The canonical text, so logs and test failures show exactly what would be signed.
    public var description: String { canonicalString }
}

extension JSONValue: ExpressibleByStringLiteral {
    /// A string literal is a JSON string.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// An integer literal is a JSON integer.
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// A Boolean literal is `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// An array literal is a JSON array.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// A dictionary literal is a JSON object; if a name repeats, the last value wins.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension JSONValue: ExpressibleByNilLiteral {
    /// `nil` is JSON `null`.
    public init(nilLiteral: ()) { self = .null }
}
