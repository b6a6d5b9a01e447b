import Foundation
import Yams

extension PolicyLoader {
    /// The keys of one catalogue entry.
    static let offenceKeys = ["id", "title", "statute", "section", "maximum", "exempt", "source", "note"]

    /// Reads a `ripa-register/offence-catalogue/v1` document.
    static func parseCatalogue(_ doc: YAMLMapping) throws(PolicyError) -> ParsedCatalogue {
        try doc.requireOnly(["schema", "offences"])
        let nodes = try doc.list("offences", "the offences, one `- id: ...` mapping each")
        guard !nodes.isEmpty else {
            throw PolicyError(
                .badValue, file: doc.file, line: doc.line(of: "offences"),
                message: "`offences` is empty: a catalogue lists at least one offence")
        }
        var entries: [(offence: Offence, line: Int?)] = []
        for (index, node) in nodes.enumerated() {
            let entry = try YAMLMapping(node, file: doc.file, path: "offences[\(index)]")
            entries.append((try parseOffence(entry), entry.line))
        }
        return ParsedCatalogue(file: doc.file, entries: entries)
    }

    /// Reads one catalogue entry.
    static func parseOffence(_ entry: YAMLMapping) throws(PolicyError) -> Offence {
        try entry.requireOnly(offenceKeys)
        let id = try entry.string("id", "a stable identifier such as fraud-act-2006-s1")
        guard isIdentifier(id) else {
            throw PolicyError(
                .badValue, file: entry.file, line: entry.line(of: "id"),
                message: "offence id \"\(id)\" must be lowercase letters and digits joined by hyphens, e.g. fraud-act-2006-s1")
        }
        let title = try entry.string("title", "what the offence is, e.g. fraud")
        let statute = try entry.string("statute", "the Act or statutory instrument, e.g. Fraud Act 2006")
        let section = try entry.string("section", "the provision, e.g. s.1 or reg. 19")
        let maximum = try parseMaximum(entry.required("maximum", maximumHint), entry: entry)
        let exempt = try entry.bool("exempt", "whether it is an SI 2010/521 art. 7A(3)(b) underage-sales offence")
        let source = try entry.string("source", "the legislation.gov.uk address of the provision")
        guard source.hasPrefix("https://") || source.hasPrefix("http://") else {
            throw PolicyError(
                .badValue, file: entry.file, line: entry.line(of: "source"),
                message: "`\(entry.path(of: "source"))` must be a web address where the maximum can be checked, e.g. https://www.legislation.gov.uk/ukpga/2006/35/section/1")
        }
        let note = try entry.optionalString("note", "a remark for readers")
        return Offence(
            id: id, title: title, statute: statute, section: section,
            maximum: maximum, exempt: exempt, source: source, note: note)
    }

    static let maximumHint = "the maximum custody: {years: 10}, {months: 6}, {years: 1, months: 6}, life or fine-only"

    /// Reads a maximum: `life`, `fine-only`, or `{years: Y, months: M}` with at least one part.
    static func parseMaximum(_ node: Node, entry: YAMLMapping) throws(PolicyError) -> MaximumCustody {
        let path = entry.path(of: "maximum")
        switch node {
        case .scalar:
            let token = try YAMLMapping.string(node, file: entry.file, path: path, what: maximumHint)
            switch token {
            case "life": return .life
            case "fine-only": return .fineOnly
            default:
                throw PolicyError(
                    .badValue, file: entry.file, line: PolicyYAML.line(of: node),
                    message: "`\(path)` is \"\(token)\" but must be \(maximumHint)")
            }
        case .mapping:
            let term = try YAMLMapping(node, file: entry.file, path: path)
            try term.requireOnly(["years", "months"])
            let years = try term.optionalInt("years", in: 0...100, "whole years of imprisonment")
            let months = try term.optionalInt("months", in: 0...1200, "calendar months of imprisonment")
            guard years != nil || months != nil else {
                throw PolicyError(
                    .missingField, file: entry.file, line: term.line,
                    message: "`\(path)` needs `years`, `months` or both, e.g. {years: 2}")
            }
            let total = (years ?? 0) * 12 + (months ?? 0)
            guard total >= 1 else {
                throw PolicyError(
                    .badValue, file: entry.file, line: term.line,
                    message: "`\(path)` is a term of zero: an offence with no imprisonment is written `maximum: fine-only`")
            }
            return .term(months: total)
        default:
            throw PolicyError(
                .wrongType, file: entry.file, line: PolicyYAML.line(of: node),
                message: "`\(path)` must be \(maximumHint), not \(PolicyYAML.describe(node))")
        }
    }
}
