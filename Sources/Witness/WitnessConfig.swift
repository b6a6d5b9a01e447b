import Ledger
import RIPA

/// The logs a witness cosigns for: one `log <vkey>` line per trusted checkpoint key, in the
/// C2SP tlog-policy syntax (spaces or tabs between items, blank lines and `#` comments
/// ignored). The key's name is the log's origin; several keys for one origin are all trusted
/// (a register key rotation: add the new key before the register rotates).
///
/// ```
/// # Leeds City Council's RIPA register
/// log ripa.leeds.gov.uk/register+1a2b3c4d+AVu…
/// ```
public struct WitnessConfig: Sendable, Hashable {
    /// The trusted checkpoint keys, by origin.
    public let keys: [String: [NoteVerifierKey]]

    /// The most bytes of a config file read.
    public static let maximumBytes = 1024 * 1024

    /// A config from keys.
    public init(keys: [NoteVerifierKey]) {
        self.keys = Dictionary(grouping: keys, by: \.name)
    }

    /// Parses a config file's text.
    /// - Throws: `RIPAError.badInput` naming the line that is wrong.
    public init(parsing text: String) throws(RIPAError) {
        var keys: [NoteVerifierKey] = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let items = raw.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let keyword = items.first, !keyword.hasPrefix("#") else { continue }
            guard keyword == "log", items.count == 2 || items.count == 3 else {
                throw RIPAError(.badInput, "witness config line \(offset + 1): expected `log <verifier key> [<url>]`", reason: .witnessConfigMalformed,
                                values: ["line": String(offset + 1)])
            }
            do {
                keys.append(try NoteVerifierKey(parsing: String(items[1])))
            } catch {
                throw RIPAError(.badInput, "witness config line \(offset + 1): \(error.message)", reason: .witnessConfigMalformed,
                                values: ["line": String(offset + 1)])
            }
        }
        guard !keys.isEmpty else {
            throw RIPAError(.badInput, "the witness config names no log: add a line `log <the register's verifier key>`", reason: .witnessConfigMalformed)
        }
        self.init(keys: keys)
    }

    /// Reads a config file.
    public static func load(path: String) throws(RIPAError) -> WitnessConfig {
        try WitnessConfig(parsing: InputFile.text(path, limit: maximumBytes, what: "witness config"))
    }
}
