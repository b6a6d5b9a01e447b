import Foundation

/// The fields of an `application/x-www-form-urlencoded` body (WHATWG URL §5.1): repeated
/// names keep every value in order.
struct FormFields: Sendable {
    private(set) var values: [String: [String]] = [:]
    /// Files uploaded with a multipart form, by field name.
    var files: [String: UploadedFile] = [:]

    init() {}

    /// Parses a body; `+` is a space, `%XX` a byte, invalid escapes are kept as written.
    init(encoded body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The first value of a field, or nil.
    subscript(_ name: String) -> String? { values[name]?.first }

    /// Every value of a field.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// The field's value with surrounding white space removed; nil when missing or blank.
    func text(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// Whether a checkbox was ticked.
    func ticked(_ name: String) -> Bool { self[name] != nil }

    mutating func set(_ name: String, _ value: String) { values[name] = [value] }

    mutating func append(_ name: String, _ value: String) { values[name, default: []].append(value) }
}

/// A file sent with a multipart form.
struct UploadedFile: Sendable {
    /// The name the browser gave (only shown, never used as a path).
    var filename: String
    /// Its bytes.
    var bytes: [UInt8]
}
