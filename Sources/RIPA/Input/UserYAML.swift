import Yams

/// Composing YAML a person wrote (an application form, a policy file) without anchors or
/// aliases.
///
/// An alias repeats a node without repeating its text, so nine lines of nested aliases (a
/// "billion laughs" bomb) stand for billions of nodes: reading one in `apply --file` took
/// 3 GB and never finished. No field of an application or a policy needs them, so a file
/// with either is refused before anything is built from it.
enum UserYAML {
    /// Where an anchor or alias was found.
    struct AnchorFound: Error {
        /// 1-based line.
        let line: Int?
    }

    /// The file's single document, composed; nil for an empty file.
    ///
    /// - Throws: `AnchorFound` if any node carries an anchor (or is an alias); `YamlError`
    ///   for bad YAML or several documents.
    static func compose(_ text: String, resolver: Resolver = .default) throws -> Node? {
        let parser = try Parser(yaml: text, resolver: resolver)
        let root = try parser.singleRoot()
        // The parser holds the anchors the nodes point to (weakly): keep it alive for the walk.
        try withExtendedLifetime(parser) {
            if let root, let found = firstAnchor(in: root) { throw AnchorFound(line: found) }
        }
        return root
    }

    /// The line of the first node, in document order, that has an anchor or is an alias.
    ///
    /// Composing shares an aliased node rather than copying it, so composing a bomb is cheap;
    /// walking it is not. But an alias can only name an anchor defined earlier, and a walk in
    /// document order meets that anchored node — the one every copy shares — before any
    /// copy: the walk stops there, having visited only nodes written out in the text.
    private static func firstAnchor(in node: Node) -> Int?? {
        if node.anchor != nil { return .some(node.mark?.line) }
        switch node {
        case .alias(let alias): return .some(alias.mark?.line)
        case .scalar: return nil
        case .sequence(let sequence):
            for item in sequence { if let found = firstAnchor(in: item) { return found } }
            return nil
        case .mapping(let mapping):
            for (key, value) in mapping {
                if let found = firstAnchor(in: key) { return found }
                if let found = firstAnchor(in: value) { return found }
            }
            return nil
        }
    }
}
