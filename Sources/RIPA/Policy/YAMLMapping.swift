import Foundation
import Yams

/// One YAML mapping of a policy file, read field by field with errors that name the file, the
/// line, the field's dotted path and what to write instead.
struct YAMLMapping {
    /// The file the mapping is in.
    let file: String
    /// Dotted path of the mapping from the document root (empty for the root), for messages.
    let path: String
    /// Line of the mapping itself, where a missing field is reported.
    let line: Int?
    /// The entries, in file order, with string keys.
    let entries: [(key: String, keyLine: Int?, value: Node)]

    /// Reads `node` as a mapping with string keys.
    ///
    /// - Throws: `.wrongType` when the node is not a mapping or a key is not a plain string.
    init(_ node: Node, file: String, path: String) throws(PolicyError) {
        guard case .mapping(let mapping) = node else {
            throw PolicyError(
                .wrongType, file: file, line: PolicyYAML.line(of: node),
                message: "\(path.isEmpty ? "the document" : "`\(path)`") must be a mapping of `key: value` lines, not \(PolicyYAML.describe(node))")
        }
        var entries: [(key: String, keyLine: Int?, value: Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key, PolicyYAML.tagName(of: key) == Tag.Name.str.rawValue else {
                throw PolicyError(
                    .wrongType, file: file, line: PolicyYAML.line(of: key),
                    message: "keys must be plain names, not \(PolicyYAML.describe(key))\(path.isEmpty ? "" : " (in `\(path)`)")")
            }
            entries.append((scalar.string, PolicyYAML.line(of: key), value))
        }
        self.file = file
        self.path = path
        self.line = PolicyYAML.line(of: node)
        self.entries = entries
    }

    /// The dotted path of a field of this mapping.
    func path(of key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Refuses any key that is not in `allowed`, suggesting the nearest allowed key.
    ///
    /// - Throws: `.unknownField` at the first unknown key's line.
    func requireOnly(_ allowed: [String]) throws(PolicyError) {
        for entry in entries where !allowed.contains(entry.key) {
            let suggestion = Self.nearest(to: entry.key, in: allowed).map { "did you mean `\($0)`? " } ?? ""
            let place = path.isEmpty ? "at the top level" : "in `\(path)`"
            throw PolicyError(
                .unknownField, file: file, line: entry.keyLine,
                message: "unknown key `\(entry.key)` \(place): \(suggestion)Keys allowed here: \(allowed.map { "`\($0)`" }.joined(separator: ", ")).")
        }
    }

    /// The value of `key`, or `nil` when it is absent or written as `null`/`~`.
    func optional(_ key: String) -> Node? {
        guard let value = entries.first(where: { $0.key == key })?.value, !PolicyYAML.isNull(value) else { return nil }
        return value
    }

    /// The line of `key`'s value, or of the mapping when the key is absent.
    func line(of key: String) -> Int? {
        entries.first(where: { $0.key == key }).flatMap { PolicyYAML.line(of: $0.value) } ?? line
    }

    /// The value of a required `key`.
    ///
    /// - Throws: `.missingField` at the mapping's line; `what` says what to write there.
    func required(_ key: String, _ what: String) throws(PolicyError) -> Node {
        guard let value = optional(key) else {
            let present = entries.contains { $0.key == key }
            let place = path.isEmpty ? "" : " in `\(path)`"
            throw PolicyError(
                .missingField, file: file, line: present ? line(of: key) : line,
                message: present
                    ? "`\(path(of: key))` is empty: give \(what)"
                    : "missing `\(key)`\(place): add `\(key):` with \(what)")
        }
        return value
    }

    /// A required non-empty string.
    func string(_ key: String, _ what: String) throws(PolicyError) -> String {
        try Self.string(required(key, what), file: file, path: path(of: key), what: what)
    }

    /// An optional string: `nil` when absent or null.
    func optionalString(_ key: String, _ what: String) throws(PolicyError) -> String? {
        guard let node = optional(key) else { return nil }
        return try Self.string(node, file: file, path: path(of: key), what: what)
    }

    /// A required integer within `range`.
    func int(_ key: String, in range: ClosedRange<Int>, _ what: String) throws(PolicyError) -> Int {
        try Self.int(required(key, what), in: range, file: file, path: path(of: key), what: what)
    }

    /// An optional integer within `range`: `nil` when absent or null.
    func optionalInt(_ key: String, in range: ClosedRange<Int>, _ what: String) throws(PolicyError) -> Int? {
        guard let node = optional(key) else { return nil }
        return try Self.int(node, in: range, file: file, path: path(of: key), what: what)
    }

    /// A required `true` or `false`.
    func bool(_ key: String, _ what: String) throws(PolicyError) -> Bool {
        let node = try required(key, what)
        guard case .scalar(let scalar) = node, PolicyYAML.tagName(of: node) == Tag.Name.bool.rawValue else {
            throw PolicyError(
                .wrongType, file: file, line: PolicyYAML.line(of: node),
                message: "`\(path(of: key))` must be true or false (\(what)), not \(PolicyYAML.describe(node))")
        }
        return scalar.string.lowercased() == "true"
    }

    /// An optional `true` or `false`: `nil` when absent or null.
    func optionalBool(_ key: String, _ what: String) throws(PolicyError) -> Bool? {
        guard optional(key) != nil else { return nil }
        return try bool(key, what)
    }

    /// A required nested mapping.
    func mapping(_ key: String, _ what: String) throws(PolicyError) -> YAMLMapping {
        try YAMLMapping(required(key, what), file: file, path: path(of: key))
    }

    /// A required list.
    func list(_ key: String, _ what: String) throws(PolicyError) -> [Node] {
        let node = try required(key, what)
        guard case .sequence(let sequence) = node else {
            throw PolicyError(
                .wrongType, file: file, line: PolicyYAML.line(of: node),
                message: "`\(path(of: key))` must be a list (\(what)), written `[a, b]` or one `- item` per line, not \(PolicyYAML.describe(node))")
        }
        return Array(sequence)
    }

    // MARK: Scalars anywhere

    /// Reads a node as a non-empty string.
    static func string(_ node: Node, file: String, path: String, what: String) throws(PolicyError) -> String {
        guard case .scalar(let scalar) = node, PolicyYAML.tagName(of: node) == Tag.Name.str.rawValue else {
            let quoteHint: String
            if case .scalar(let scalar) = node { quoteHint = "; to use it as text, quote it: \"\(scalar.string)\"" } else { quoteHint = "" }
            throw PolicyError(
                .wrongType, file: file, line: PolicyYAML.line(of: node),
                message: "`\(path)` must be text (\(what)), not \(PolicyYAML.describe(node))\(quoteHint)")
        }
        guard !scalar.string.isBlank else {
            throw PolicyError(
                .badValue, file: file, line: PolicyYAML.line(of: node), message: "`\(path)` is blank: give \(what)")
        }
        return scalar.string
    }

    /// Reads a node as an integer within `range`.
    static func int(_ node: Node, in range: ClosedRange<Int>, file: String, path: String, what: String) throws(PolicyError) -> Int {
        let bounds = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
        guard case .scalar(let scalar) = node, PolicyYAML.tagName(of: node) == Tag.Name.int.rawValue else {
            throw PolicyError(
                .wrongType, file: file, line: PolicyYAML.line(of: node),
                message: "`\(path)` must be a whole number \(bounds) (\(what)), not \(PolicyYAML.describe(node))")
        }
        guard let value = Int(scalar.string.hasPrefix("+") ? String(scalar.string.dropFirst()) : scalar.string),
              range.contains(value)
        else {
            throw PolicyError(
                .badValue, file: file, line: PolicyYAML.line(of: node),
                message: "`\(path)` is \(scalar.string) but must be \(bounds) (\(what))")
        }
        return value
    }

    // MARK: Suggestions

    /// The candidate closest to `word` by edit distance, when it is close enough to be a typo.
    static func nearest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, word.count / 3) ? best.0 : nil
    }

    /// Levenshtein distance over Unicode scalars.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
