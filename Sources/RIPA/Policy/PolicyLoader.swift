import Foundation
import Yams

/// Reads and checks the policy files the register enforces: one policy pack and one or more
/// offence catalogues, each a YAML file that names its own format in a top-level `schema:` field
/// (Schemas/policy.schema.json describes both).
///
/// Everything the schema says is checked — unknown keys, required fields, types, ranges — and so
/// are the rules between files: exactly one pack, at least one catalogue, no offence id twice, and
/// every exempt offence the pack names present in the catalogue. The first problem found is
/// thrown as a `PolicyError` naming the file, the line and the fix.
public enum PolicyLoader {
    /// Parses and checks a set of policy files given as text.
    ///
    /// - Parameter files: each file's name (used in errors, e.g. `Policies/offences.yaml`) and text.
    ///   Order does not matter except that catalogues are merged in the order given.
    /// - Returns: the pack in force: the pack's rules and the merged catalogue.
    /// - Throws: `PolicyError` for the first problem: bad YAML, an unknown `schema`, a missing,
    ///   unknown or wrongly typed field, a value out of range, no pack or two packs, no catalogue,
    ///   a duplicate offence id, or an exempt offence id the catalogue lacks.
    public static func load(files: [(name: String, text: String)]) throws(PolicyError) -> Policy {
        var packs: [ParsedPack] = []
        var catalogues: [ParsedCatalogue] = []
        for file in files {
            guard file.text.utf8.count <= InputLimits.policyFileBytes else {
                throw PolicyError(.badValue, file: file.name, message: "the file is \(file.text.utf8.count) bytes; a policy file may have at most \(InputLimits.policyFileBytes)")
            }
            let root = try PolicyYAML.parse(name: file.name, text: file.text)
            let document = try YAMLMapping(root, file: file.name, path: "")
            switch try schema(of: document) {
            case PolicyRules.schemaID:
                packs.append(try parsePack(document))
            default:
                catalogues.append(try parseCatalogue(document))
            }
        }

        let usage = "pass the policy pack and the offence catalogue together, e.g. Policies/england-wales-local-authority.yaml Policies/offences.yaml"
        guard let pack = packs.first else {
            throw PolicyError(.missingPack, message: "no policy pack given (a file with `schema: \(PolicyRules.schemaID)`): \(usage)")
        }
        if packs.count > 1 {
            let second = packs[1]
            throw PolicyError(
                .multiplePacks, file: second.file, line: second.schemaLine,
                message: "a second policy pack: \(pack.file) is already the pack; exactly one pack can be in force, so pass only one of them")
        }
        guard !catalogues.isEmpty else {
            throw PolicyError(
                .missingCatalogue,
                message: "no offence catalogue given (a file with `schema: \(OffenceCatalogue.schemaID)`): \(usage)")
        }

        // Merge the catalogues; an id may appear only once across all of them, otherwise which
        // maximum the threshold used would depend on the order the files were named in.
        var offences: [Offence] = []
        var firstSeen: [String: (file: String, line: Int?)] = [:]
        for catalogue in catalogues {
            for entry in catalogue.entries {
                if let first = firstSeen[entry.offence.id] {
                    let firstPlace = first.line.map { "\(first.file):\($0)" } ?? first.file
                    throw PolicyError(
                        .duplicateOffence, file: catalogue.file, line: entry.line,
                        message: "offence id `\(entry.offence.id)` is already defined at \(firstPlace); ids must be unique across all catalogues: delete one entry or give it another id")
                }
                firstSeen[entry.offence.id] = (catalogue.file, entry.line)
                offences.append(entry.offence)
            }
        }

        // The pack's exempt list must name offences the catalogue has: an exemption for an
        // offence nobody can cite is a typo that would silently never apply.
        for (index, id) in pack.rules.seriousCrimeThreshold.exemptOffences.enumerated() where firstSeen[id] == nil {
            let suggestion = YAMLMapping.nearest(to: id, in: offences.map(\.id)).map { " Did you mean `\($0)`?" } ?? ""
            throw PolicyError(
                .unknownOffence, file: pack.file, line: pack.exemptLines[index],
                message: "exempt offence `\(id)` is not in the offence catalogue: add it to Policies/offences.yaml (with `exempt: true`) or remove it from `serious_crime_threshold.exempt_offences`.\(suggestion)")
        }

        // The statute is a floor: the register refuses to adopt a pack below it, so say so here,
        // with the line, before anyone tries.
        if let violation = StatutoryFloor.violations(of: pack.rules).first {
            throw PolicyError(
                .belowStatute, file: pack.file, line: pack.line(of: violation.path),
                message: "\(violation); a pack may tighten the statute, never loosen it")
        }

        return Policy(rules: pack.rules, offences: OffenceCatalogue(offences: offences))
    }

    /// Reads policy files from disk and checks them as `load(files:)` does.
    ///
    /// - Parameter paths: file paths; each path is also the name used in errors.
    /// - Throws: `PolicyError(.missingFile)` when a file cannot be read, else as `load(files:)`.
    public static func load(paths: [String]) throws(PolicyError) -> Policy {
        var files: [(name: String, text: String)] = []
        for path in paths {
            let data: [UInt8]
            do {
                data = try InputFile.bytes(path, limit: InputLimits.policyFileBytes, what: "policy file")
            } catch {
                let message = error.message.replacingOccurrences(of: "policy file \(path) ", with: "this file ")
                throw PolicyError(.missingFile, file: path, message: message.hasPrefix("cannot read") ? "cannot read this file: check the path and its permissions" : message)
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                throw PolicyError(.malformedYAML, file: path, message: "the file is not UTF-8 text: save it as UTF-8")
            }
            files.append((path, text))
        }
        return try load(files: files)
    }

    /// The `schema` value of a document, which decides how the rest of it is read.
    private static func schema(of document: YAMLMapping) throws(PolicyError) -> String {
        let known = [PolicyRules.schemaID, OffenceCatalogue.schemaID]
        let what = "`\(PolicyRules.schemaID)` for a policy pack or `\(OffenceCatalogue.schemaID)` for an offence catalogue"
        let value = try document.string("schema", what)
        guard known.contains(value) else {
            throw PolicyError(
                .unknownSchema, file: document.file, line: document.line(of: "schema"),
                message: "unknown schema `\(value)`: write \(what)")
        }
        return value
    }
}

extension PolicyLoader {
    /// A pack as read from its file, with the lines later cross-file checks report.
    struct ParsedPack {
        var rules: PolicyRules
        var file: String
        var schemaLine: Int?
        var exemptLines: [Int?]
        /// The pack's document, for the line of a key found wrong after parsing.
        var document: YAMLMapping? = nil

        /// The line of a dotted key path such as `durations.chis.months`, as near as is known.
        func line(of path: String) -> Int? {
            guard var mapping = document else { return schemaLine }
            let keys = path.split(separator: ".").map(String.init)
            for key in keys.dropLast() {
                guard let next = try? mapping.mapping(key, key) else { return mapping.line(of: key) }
                mapping = next
            }
            return keys.last.map { mapping.line(of: $0) } ?? mapping.line
        }
    }

    /// A catalogue as read from its file, with each offence's line.
    struct ParsedCatalogue {
        var file: String
        var entries: [(offence: Offence, line: Int?)]
    }

    /// Offence and pack identifiers: lowercase words of letters and digits joined by single hyphens.
    static func isIdentifier(_ id: String) -> Bool {
        let words = id.split(separator: "-", omittingEmptySubsequences: false)
        return !words.isEmpty && words.allSatisfy { word in
            !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
    }
}
