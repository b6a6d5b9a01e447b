import Foundation
import Yams

/// Reading policy files as YAML nodes, keeping the line of every value so that an error can
/// point at it.
enum PolicyYAML {
    /// YAML 1.2 core-schema resolution rather than Yams' YAML 1.1 default: `yes`, `no`, `on`
    /// and `off` stay strings, sexagesimal and octal-looking numbers are not integers, and dates
    /// are not timestamps. That is also how a JSON Schema validator sees the file, so the loader
    /// and Schemas/policy.schema.json agree on what is a boolean or an integer.
    static let resolver: Resolver = {
        // The patterns are constants; a failure here is a typo in this file, caught by any test.
        // swiftlint:disable:next force_try
        try! Resolver.basic
            .appending(.null, "^(?:~|null|Null|NULL|)$")
            .appending(.bool, "^(?:true|True|TRUE|false|False|FALSE)$")
            .appending(.int, "^[-+]?[0-9]+$")
            .appending(
                .float,
                "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$")
    }()

    /// Parses one file's text into its single document's root node.
    ///
    /// - Throws: `.malformedYAML` with the line libyaml reports, `.emptyFile` when there is no document.
    static func parse(name: String, text: String) throws(PolicyError) -> Node {
        let root: Node?
        do {
            root = try UserYAML.compose(text, resolver: resolver)
        } catch let found as UserYAML.AnchorFound {
            throw PolicyError(
                .malformedYAML, file: name, line: found.line,
                message: "YAML anchors and aliases (& and *) are not accepted in policy files; write each value out in full")
        } catch let error as YamlError {
            throw policyError(from: error, file: name)
        } catch {
            throw PolicyError(.malformedYAML, file: name, message: "cannot read the YAML: \(error)")
        }
        guard let root else {
            throw PolicyError(
                .emptyFile, file: name, line: 1,
                message: "the file is empty: a policy file starts with `schema: \(PolicyRules.schemaID)` or `schema: \(OffenceCatalogue.schemaID)`")
        }
        return root
    }

    private static func policyError(from error: YamlError, file: String) -> PolicyError {
        let hint = "check the indentation, the colons after keys, and quote any value containing `: ` or `#`"
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _):
            let during = context.map { " (\($0.text) that began on line \($0.mark.line))" } ?? ""
            return PolicyError(
                .malformedYAML, file: file, line: mark.line, column: mark.column,
                message: "not valid YAML: \(problem)\(during); \(hint)")
        case let .composer(context, problem, mark, _):
            if problem.contains("another document") || context?.text.contains("single document") == true {
                return PolicyError(
                    .malformedYAML, file: file, line: mark.line, column: mark.column,
                    message: "the file holds more than one YAML document: keep one document per file, removing the `---` and moving the rest to a file of its own")
            }
            let during = context.map { " (\($0.text))" } ?? ""
            return PolicyError(
                .malformedYAML, file: file, line: mark.line, column: mark.column,
                message: "not valid YAML: \(problem)\(during); \(hint)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            return PolicyError(
                .malformedYAML, file: file, line: context.mark.line, column: context.mark.column,
                message: "key \(keys) appears more than once in the same mapping; keep one of them")
        case let .reader(problem, _, _, _):
            return PolicyError(.malformedYAML, file: file, message: "cannot read the file as UTF-8 YAML: \(problem)")
        default:
            return PolicyError(.malformedYAML, file: file, message: "not valid YAML: \(error)")
        }
    }

    /// The node's 1-based line, when Yams recorded one.
    static func line(of node: Node) -> Int? { node.mark?.line }

    /// The resolved YAML tag's name, e.g. `tag:yaml.org,2002:int`.
    static func tagName(of node: Node) -> String { node.tag.rawValue }

    /// Whether the node is a plain `null` / `~` / empty value.
    static func isNull(_ node: Node) -> Bool {
        if case .scalar = node { return tagName(of: node) == Tag.Name.null.rawValue }
        return false
    }

    /// How a value reads in a message: the scalar itself (shortened), or what kind of node it is.
    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if isNull(node) { return "an empty value" }
            let text = scalar.string.count > 40 ? String(scalar.string.prefix(37)) + "..." : scalar.string
            switch tagName(of: node) {
            case Tag.Name.str.rawValue: return "the text \"\(text)\""
            case Tag.Name.int.rawValue: return "the integer \(text)"
            case Tag.Name.float.rawValue: return "the number \(text)"
            case Tag.Name.bool.rawValue: return "the boolean \(text)"
            default: return "\(text)"
            }
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
