/// A C2SP signed note (https://c2sp.org/signed-note; Go's golang.org/x/mod/sumdb/note): text, a blank
/// line, then one or more lines `— <name> <base64(4-byte key id ‖ signature)>`.
///
/// The register signs its checkpoints as signed notes (DESIGN.md "Checkpoint").
public struct SignedNote: Sendable, Hashable, CustomStringConvertible {
    /// The signed text; non-empty, ends with a newline, no control characters but newline.
    public let text: String
    /// The signatures in the order they appear.
    public let signatures: [NoteSignature]

    /// Go's limit on signature lines, which bounds the work a hostile note can cause.
    public static let maxSignatures = 100

    /// The signature-line prefix: EM DASH (U+2014) then a space.
    private static let signaturePrefix: [UInt8] = [0xE2, 0x80, 0x94, 0x20]

    private init(text: String, signatures: [NoteSignature]) {
        self.text = text
        self.signatures = signatures
    }

    /// Signs `text` with each signer (Ed25519 over the text's UTF-8 bytes).
    /// - Throws: ``LedgerError/Code/malformedNote`` if the text is empty, lacks a final newline or has a
    ///   control character other than newline, or if there are no signers.
    public static func sign(text: String, with signers: [NoteSignerKey]) throws(LedgerError) -> SignedNote {
        let bytes = Array(text.utf8)
        if let problem = problem(withText: bytes) { throw LedgerError(.malformedNote, problem) }
        guard !signers.isEmpty else { throw LedgerError(.malformedNote, "a signed note needs at least one signer") }
        guard signers.count <= maxSignatures else {
            throw LedgerError(.malformedNote, "a signed note may carry at most \(maxSignatures) signatures")
        }
        let signatures = signers.map {
            NoteSignature(name: $0.name, keyID: $0.keyID, signature: $0.signingKey.signature(for: bytes))
        }
        return SignedNote(text: text, signatures: signatures)
    }

    private static func problem(withText bytes: [UInt8]) -> String? {
        if bytes.isEmpty { return "note text is empty" }
        if bytes.last != 0x0A { return "note text must end with a newline" }
        if bytes.contains(where: { $0 < 0x20 && $0 != 0x0A }) {
            return "note text contains a control character (only newline is allowed)"
        }
        return nil
    }

    /// Parses a signed note, as Go's `note.Open` does (without verifying; see ``verify(with:)``).
    ///
    /// The text ends at the last blank line; every line after it must be a well-formed signature line.
    /// - Throws: ``LedgerError/Code/malformedNote`` saying what is wrong.
    public init(parsing note: String) throws(LedgerError) {
        func bad(_ what: String) -> LedgerError { LedgerError(.malformedNote, "malformed signed note: \(what)") }
        let bytes = Array(note.utf8)
        if let i = bytes.firstIndex(where: { $0 < 0x20 && $0 != 0x0A }) {
            throw bad("control character 0x\(NoteKeyName.hex(UInt32(bytes[i])).suffix(2)) at byte \(i) (only newline is allowed)")
        }
        // The signature block starts after the last "\n\n".
        var split = bytes.count - 2
        while split >= 0 && !(bytes[split] == 0x0A && bytes[split + 1] == 0x0A) { split -= 1 }
        guard split >= 0 else { throw bad("no blank line between the text and the signatures") }
        let textBytes = bytes[...split]
        let block = bytes[(split + 2)...]
        guard !block.isEmpty else { throw bad("no signature lines after the blank line") }
        guard block.last == 0x0A else { throw bad("the last signature line must end with a newline") }

        var signatures: [NoteSignature] = []
        for line in block.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false) {
            guard line.starts(with: Self.signaturePrefix) else {
                throw bad("signature line does not start with \"\u{2014} \" (em dash, space)")
            }
            let rest = line.dropFirst(Self.signaturePrefix.count)
            guard let space = rest.firstIndex(of: 0x20) else { throw bad("signature line has no space between name and signature") }
            let name = String(decoding: rest[..<space], as: UTF8.self)
            if let problem = NoteKeyName.problem(with: name) { throw bad("signature line: \(problem)") }
            let encoded = String(decoding: rest[(space + 1)...], as: UTF8.self)
            guard !encoded.isEmpty, let decoded = Base64.decode(encoded) else {
                throw bad("signature by \"\(name)\" is not valid standard base64")
            }
            guard decoded.count >= 5 else { throw bad("signature by \"\(name)\" is too short") }
            let id = UInt32(decoded[0]) << 24 | UInt32(decoded[1]) << 16 | UInt32(decoded[2]) << 8 | UInt32(decoded[3])
            signatures.append(NoteSignature(name: name, keyID: id, signature: Array(decoded[4...])))
            if signatures.count > Self.maxSignatures { throw bad("more than \(Self.maxSignatures) signatures") }
        }
        self.init(text: String(decoding: textBytes, as: UTF8.self), signatures: signatures)
    }

    /// The full note: text, blank line, signature lines; byte-identical to what was parsed or signed
    /// (base64 is decoded strictly, so re-encoding gives back the same characters).
    public var description: String {
        var out = text + "\n"
        for signature in signatures {
            out += signature.line
            out += "\n"
        }
        return out
    }

    /// Verifies the signatures made by known keys and returns those keys.
    ///
    /// Signatures by unknown keys (name and key ID not among `verifiers`) are skipped, as in Go's
    /// `note.Open`; a repeated signature by the same key is checked once.
    /// - Throws: ``LedgerError/Code/badSignature`` if a signature by a known key does not verify;
    ///   ``LedgerError/Code/unknownKey`` if no signature is by a known key.
    public func verify(with verifiers: [NoteVerifierKey]) throws(LedgerError) -> [NoteVerifierKey] {
        let message = Array(text.utf8)
        var verified: [NoteVerifierKey] = []
        for signature in signatures {
            guard let key = verifiers.first(where: { $0.name == signature.name && $0.keyID == signature.keyID }) else {
                continue
            }
            if verified.contains(key) { continue }
            guard key.publicKey.isValidSignature(signature.signature, for: message) else {
                throw LedgerError(
                    .badSignature,
                    "signature by \"\(key.name)\" (key \(NoteKeyName.hex(key.keyID))) does not verify: the note was altered or not signed by that key")
            }
            verified.append(key)
        }
        guard !verified.isEmpty else {
            let signers = signatures.map { "\($0.name)+\(NoteKeyName.hex($0.keyID))" }.joined(separator: ", ")
            throw LedgerError(.unknownKey, "no signature on the note is by a known key (signed by: \(signers))")
        }
        return verified
    }
}
