/// A C2SP `cosignature/v1` (https://c2sp.org/tlog-cosignature, Ed25519): a witness's timestamped
/// statement that, as of `timestamp`, the checkpoint it signs is the largest consistent tree head
/// it has seen for the log's origin.
///
/// On the wire it is a signed-note signature line `— <name> base64(key id ‖ timestamp ‖ signature)`:
/// 4 bytes of key ID, the timestamp as a big-endian u64, then the 64-byte Ed25519 signature over
/// `cosignature/v1\ntime <timestamp>\n` followed by the whole checkpoint body.
public struct Cosignature: Sendable, Hashable {
    /// The witness's key name.
    public let name: String
    /// The witness key's ID (computed with type byte 0x04).
    public let keyID: UInt32
    /// When the witness cosigned, in POSIX seconds; never zero, never above 2^63 − 1.
    public let timestamp: UInt64
    /// The Ed25519 signature.
    public let signature: [UInt8]

    /// The header line of the signed message, for domain separation.
    public static let header = "cosignature/v1"

    /// The bytes a witness signs: the header line, the time line, then the checkpoint body
    /// (with its final newline, without signature lines).
    public static func message(checkpointText: String, timestamp: UInt64) -> [UInt8] {
        Array("\(header)\ntime \(timestamp)\n".utf8) + Array(checkpointText.utf8)
    }

    /// Cosigns a checkpoint body as the witness whose note key is `signer`.
    /// - Throws: ``LedgerError/Code/malformedCheckpoint`` if the text is not a checkpoint body;
    ///   ``LedgerError/Code/malformedNote`` for a timestamp of zero or beyond 2^63 − 1.
    public static func sign(checkpointText: String, by signer: NoteSignerKey, at timestamp: UInt64) throws(LedgerError) -> Cosignature {
        _ = try Checkpoint(parsing: checkpointText)
        guard timestamp > 0, timestamp <= UInt64(Int64.max) else {
            throw LedgerError(.malformedNote, "a cosignature's timestamp must be between 1 and 2^63 - 1, not \(timestamp)")
        }
        let key = CosignatureVerifierKey(signer: signer)
        let signature = signer.signingKey.signature(for: message(checkpointText: checkpointText, timestamp: timestamp))
        return Cosignature(name: key.name, keyID: key.keyID, timestamp: timestamp, signature: signature)
    }

    private init(name: String, keyID: UInt32, timestamp: UInt64, signature: [UInt8]) {
        self.name = name
        self.keyID = keyID
        self.timestamp = timestamp
        self.signature = signature
    }

    /// Reads a cosignature from a note signature (one parsed from a checkpoint's signature block).
    /// - Throws: ``LedgerError/Code/malformedNote`` unless the signature bytes are a timestamp
    ///   and a 64-byte Ed25519 signature.
    public init(_ note: NoteSignature) throws(LedgerError) {
        guard note.signature.count == 8 + 64 else {
            throw LedgerError(.malformedNote, "the signature by \"\(note.name)\" is not a cosignature/v1: it holds \(note.signature.count) bytes after the key id, not a timestamp and an Ed25519 signature (72)")
        }
        let timestamp = note.signature.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard timestamp <= UInt64(Int64.max) else {
            throw LedgerError(.malformedNote, "the cosignature by \"\(note.name)\" has a timestamp beyond 2^63 - 1")
        }
        self.init(name: note.name, keyID: note.keyID, timestamp: timestamp, signature: Array(note.signature.dropFirst(8)))
    }

    /// Parses one signature line `— <name> <base64>` (with or without its final newline).
    /// - Throws: ``LedgerError/Code/malformedNote`` saying what is wrong.
    public init(line: String) throws(LedgerError) {
        var text = line
        if text.hasSuffix("\n") { text.removeLast() }
        guard !text.isEmpty, !text.contains("\n") else {
            throw LedgerError(.malformedNote, "a cosignature is one signature line")
        }
        // Parsed as the signature block of a throwaway note, so the rules are signed-note's own.
        let note = try SignedNote(parsing: "x\n\n\(text)\n")
        try self.init(note.signatures[0])
    }

    /// The note signature: key ID, then timestamp and signature as its bytes.
    public var noteSignature: NoteSignature {
        let time = (0..<8).map { UInt8(timestamp >> (56 - 8 * UInt64($0)) & 0xFF) }
        return NoteSignature(name: name, keyID: keyID, signature: time + signature)
    }

    /// The signature line, without its final newline.
    public var line: String { noteSignature.line }

    /// Whether this is a valid cosignature by `key` on the checkpoint body `checkpointText`:
    /// same name and key ID, and the Ed25519 signature verifies over the `cosignature/v1` message.
    public func verifies(checkpointText: String, key: CosignatureVerifierKey) -> Bool {
        guard name == key.name, keyID == key.keyID, timestamp > 0 else { return false }
        return key.publicKey.isValidSignature(signature, for: Self.message(checkpointText: checkpointText, timestamp: timestamp))
    }

    /// Whether this line is meant for `key` (same name and key ID), whether or not it verifies.
    public func isClaimed(by key: CosignatureVerifierKey) -> Bool {
        name == key.name && keyID == key.keyID
    }
}
