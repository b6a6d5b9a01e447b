/// The body of a C2SP tlog-witness `POST <prefix>/add-checkpoint` (https://c2sp.org/tlog-witness):
/// the size of the checkpoint the witness last cosigned, a consistency proof from it, a blank
/// line, then the new signed checkpoint.
///
/// ```
/// old 20852014
/// PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
/// …
///
/// <signed checkpoint>
/// ```
public struct AddCheckpointRequest: Sendable, Hashable, CustomStringConvertible {
    /// The size the client believes the witness last cosigned (0 for none).
    public let oldSize: UInt64
    /// The RFC 6962 consistency proof from `oldSize` to the checkpoint's size.
    public let proof: [Hash]
    /// The signed checkpoint, as sent.
    public let checkpoint: SignedNote

    /// The spec's limit on proof lines.
    public static let maximumProofLines = 63

    /// The most bytes a witness reads of a request: a checkpoint with a hundred signatures and
    /// 63 proof lines is well under this.
    public static let maximumBytes = 64 * 1024

    /// The content type of a 409 response body: the witness's size and a newline.
    public static let sizeContentType = "text/x.tlog.size"

    /// Assembles a request.
    public init(oldSize: UInt64, proof: [Hash], checkpoint: SignedNote) {
        self.oldSize = oldSize
        self.proof = proof
        self.checkpoint = checkpoint
    }

    /// Parses a request body strictly.
    /// - Throws: ``LedgerError/Code/malformedWitnessMessage`` (the witness answers 400) naming what is wrong;
    ///   ``LedgerError/Code/malformedNote`` for a checkpoint that is not a signed note.
    public init(parsing body: [UInt8]) throws(LedgerError) {
        func bad(_ what: String) -> LedgerError { LedgerError(.malformedWitnessMessage, "add-checkpoint request: \(what)") }
        guard body.count <= Self.maximumBytes else { throw bad("larger than \(Self.maximumBytes) bytes") }
        var lines: [String] = []
        var start = 0
        var rest: Int?
        for i in body.indices where body[i] == 0x0A {
            let line = String(decoding: body[start..<i], as: UTF8.self)
            start = i + 1
            if line.isEmpty { rest = start; break }
            lines.append(line)
            guard lines.count <= Self.maximumProofLines + 1 else { throw bad("more than \(Self.maximumProofLines) consistency proof lines") }
        }
        guard let rest else { throw bad("no blank line before the checkpoint") }
        guard let first = lines.first, first.hasPrefix("old ") else { throw bad("the first line must be `old <size>`") }
        let sizeText = String(first.dropFirst(4))
        guard !sizeText.isEmpty, sizeText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), sizeText == "0" || !sizeText.hasPrefix("0"),
              let old = UInt64(sizeText)
        else { throw bad("the old size \"\(sizeText)\" is not a decimal number without leading zeros") }
        var proof: [Hash] = []
        for line in lines.dropFirst() {
            guard let hash = Hash(base64: line) else { throw bad("proof line \"\(line)\" is not a base64 SHA-256 hash") }
            proof.append(hash)
        }
        let note = try SignedNote(parsing: String(decoding: body[rest...], as: UTF8.self))
        self.init(oldSize: old, proof: proof, checkpoint: note)
    }

    /// The request body.
    public var description: String {
        var out = "old \(oldSize)\n"
        for hash in proof { out += hash.base64 + "\n" }
        return out + "\n" + checkpoint.description
    }

    /// Reads a 409 body: the witness's size in decimal and a newline.
    /// - Throws: ``LedgerError/Code/malformedWitnessMessage`` for anything else.
    public static func size(fromConflictBody body: [UInt8]) throws(LedgerError) -> UInt64 {
        let text = String(decoding: body, as: UTF8.self)
        guard text.hasSuffix("\n") else { throw LedgerError(.malformedWitnessMessage, "a 409 body must be the witness's size and a newline") }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), digits == "0" || !digits.hasPrefix("0"),
              let size = UInt64(digits)
        else { throw LedgerError(.malformedWitnessMessage, "the 409 body \"\(TextEscape.line(String(digits.prefix(40))))\" is not a decimal size") }
        return size
    }

    /// Reads a 200 body: one or more cosignature lines, each ending in a newline.
    /// - Throws: ``LedgerError/Code/malformedWitnessMessage`` or ``LedgerError/Code/malformedNote``.
    public static func cosignatures(fromResponse body: [UInt8]) throws(LedgerError) -> [Cosignature] {
        let text = String(decoding: body, as: UTF8.self)
        guard !text.isEmpty, text.hasSuffix("\n") else {
            throw LedgerError(.malformedWitnessMessage, "a witness's answer must be signature lines, each ending in a newline")
        }
        var out: [Cosignature] = []
        for line in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            // Other signature types (ML-DSA-44) are skipped; only cosignature/v1 Ed25519 is read.
            guard let cosignature = try? Cosignature(line: String(line)) else {
                if line.hasPrefix("\u{2014} ") { continue }
                throw LedgerError(.malformedWitnessMessage, "a witness's answer holds a line that is not a signature line")
            }
            out.append(cosignature)
        }
        return out
    }
}

/// Escaping for quoting untrusted text in one-line messages.
enum TextEscape {
    static func line(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    }
}
