/// A C2SP `c2sp.org/tlog-proof@v1` file (https://c2sp.org/tlog-proof): an offline-verifiable
/// proof that an entry is in a log, as of a checkpoint the log signed and witnesses cosigned.
///
/// ```
/// c2sp.org/tlog-proof@v1
/// [extra <base64>]
/// index <decimal>
/// <base64 hash>            (the RFC 6962 inclusion path, leaf's sibling first; zero or more)
///
/// <the signed checkpoint, verbatim: body, blank line, signature and cosignature lines>
/// ```
public struct TlogProof: Sendable, Hashable, CustomStringConvertible {
    /// The first line.
    public static let header = "c2sp.org/tlog-proof@v1"
    /// The file extension the spec recommends.
    public static let fileExtension = "tlog-proof"

    /// Opaque, unauthenticated extra data, if any.
    public let extra: [UInt8]?
    /// The zero-based index of the entry.
    public let index: UInt64
    /// The inclusion proof, from the leaf's sibling up to the root's child.
    public let path: [Hash]
    /// The checkpoint the proof is against, with its signatures.
    public let checkpoint: SignedNote

    /// Assembles a proof.
    public init(extra: [UInt8]? = nil, index: UInt64, path: [Hash], checkpoint: SignedNote) {
        self.extra = extra
        self.index = index
        self.path = path
        self.checkpoint = checkpoint
    }

    /// The most path lines accepted: an inclusion proof in a tree of 2^64 leaves has 64.
    public static let maximumPath = 64

    /// Parses a proof file strictly.
    /// - Throws: ``LedgerError/Code/malformedWitnessMessage`` naming the line that is wrong;
    ///   the checkpoint's own parse errors (``LedgerError/Code/malformedNote``) for its part.
    public init(parsing text: String) throws(LedgerError) {
        func bad(_ line: Int, _ what: String) -> LedgerError {
            LedgerError(.malformedWitnessMessage, "tlog-proof line \(line): \(what)")
        }
        let bytes = Array(text.utf8)
        // The header part ends at the first blank line; the rest is the checkpoint verbatim.
        var cut: Int?
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x0A && bytes[i + 1] == 0x0A { cut = i; break }
            i += 1
        }
        guard let cut else { throw bad(1, "no blank line before the checkpoint") }
        let head = bytes[..<cut].split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard head.first == Self.header else { throw bad(1, "the first line must be \(Self.header)") }
        var line = 1
        var extra: [UInt8]?
        if head.count > 1, head[1].hasPrefix("extra ") {
            line = 2
            guard let data = Base64.decode(String(head[1].dropFirst("extra ".count))) else {
                throw bad(2, "the extra data is not standard base64")
            }
            extra = data
        }
        line += 1
        guard head.count >= line, head[line - 1].hasPrefix("index ") else { throw bad(line, "expected `index <decimal>`") }
        let indexText = String(head[line - 1].dropFirst("index ".count))
        guard !indexText.isEmpty, indexText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), indexText == "0" || !indexText.hasPrefix("0"),
              let index = UInt64(indexText)
        else { throw bad(line, "the index \"\(indexText)\" is not a decimal number without leading zeros") }
        var path: [Hash] = []
        for hashLine in head.dropFirst(line) {
            line += 1
            guard let hash = Hash(base64: hashLine) else { throw bad(line, "\"\(hashLine)\" is not a base64 SHA-256 hash") }
            path.append(hash)
            guard path.count <= Self.maximumPath else { throw bad(line, "more than \(Self.maximumPath) proof hashes") }
        }
        let note = try SignedNote(parsing: String(decoding: bytes[(cut + 2)...], as: UTF8.self))
        self.init(extra: extra, index: index, path: path, checkpoint: note)
    }

    /// The file's text.
    public var description: String {
        var out = Self.header + "\n"
        if let extra { out += "extra \(Base64.encode(extra))\n" }
        out += "index \(index)\n"
        for hash in path { out += hash.base64 + "\n" }
        return out + "\n" + checkpoint.description
    }
}
