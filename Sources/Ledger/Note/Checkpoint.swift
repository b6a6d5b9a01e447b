/// The body of a C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): origin, tree size and root
/// hash, one per line, then optional extension lines. Signed as a ``SignedNote`` (DESIGN.md "Checkpoint").
public struct Checkpoint: Sendable, Hashable {
    /// The log's unique name, e.g. `ripa.example-council.gov.uk/register`; chosen at `init`, never changed.
    public let origin: String
    /// The number of entries the checkpoint commits to.
    public let size: UInt64
    /// The RFC 6962 root of the first `size` entries.
    public let root: Hash
    /// Extension lines (without newlines), usually none.
    public let extensions: [String]

    /// Assembles a checkpoint body.
    public init(origin: String, size: UInt64, root: Hash, extensions: [String] = []) {
        self.origin = origin
        self.size = size
        self.root = root
        self.extensions = extensions
    }

    /// `<origin>\n<size>\n<base64 root>\n` followed by each extension line and a newline; the note text.
    public var text: String {
        var out = "\(origin)\n\(size)\n\(root.base64)\n"
        for line in extensions {
            out += line
            out += "\n"
        }
        return out
    }

    /// Parses a checkpoint body strictly: non-empty origin; size in decimal without sign or leading
    /// zeros (except `0`) that fits 64 bits; root as standard base64 of 32 bytes; non-empty extension
    /// lines; final newline; no control characters other than newline.
    /// - Throws: ``LedgerError/Code/malformedCheckpoint`` naming the bad line.
    public init(parsing text: String) throws(LedgerError) {
        func bad(_ what: String) -> LedgerError { LedgerError(.malformedCheckpoint, "malformed checkpoint: \(what)") }
        let bytes = Array(text.utf8)
        guard bytes.last == 0x0A else { throw bad("text must end with a newline") }
        if bytes.contains(where: { $0 < 0x20 && $0 != 0x0A }) {
            throw bad("contains a control character (only newline is allowed)")
        }
        let lines = bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else { throw bad("expected origin, size and root hash lines, found \(lines.count) line\(lines.count == 1 ? "" : "s")") }
        guard !lines[0].isEmpty else { throw bad("origin line is empty") }
        let sizeText = lines[1]
        guard !sizeText.isEmpty, sizeText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              sizeText == "0" || !sizeText.hasPrefix("0"), let size = UInt64(sizeText)
        else { throw bad("tree size \"\(sizeText)\" is not a decimal number without leading zeros") }
        guard let root = Hash(base64: lines[2]) else {
            throw bad("root hash \"\(lines[2])\" is not standard base64 of 32 bytes")
        }
        let extensions = Array(lines.dropFirst(3))
        if extensions.contains(where: \.isEmpty) { throw bad("extension lines must not be empty") }
        self.init(origin: lines[0], size: size, root: root, extensions: extensions)
    }
}
