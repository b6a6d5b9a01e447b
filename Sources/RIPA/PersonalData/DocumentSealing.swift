import Ledger
import RegisterStorage

/// How the document store keeps a JP's order: sealed under its case's data key (the
/// authorisation's URN), still stored and cited under the SHA-256 of the plaintext — the
/// hash the signed `judicial.decision` names, its published meaning (docs/personal-data.md).
///
/// The stored bytes are `ripa-register/sealed-document/v1\n<urn>\n` followed by the
/// XChaCha20-Poly1305 box (nonce ‖ ciphertext); the associated data binds the box to the case
/// and the hash, so a box moved to another case or hash does not open. An order stored in the
/// clear by an older register hashes to its name and is read as it is. When the case's key is
/// destroyed its documents are deleted with it (`Register.destroy`), and the store compacted.
enum DocumentSealing {
    static let magic = Array("ripa-register/sealed-document/v1\n".utf8)

    static func additionalData(urn: String, hash: String) -> [UInt8] {
        BodySealing.additionalData(kind: "judicial.order", name: "\(urn)\n\(hash)")
    }

    /// The bytes to store for `content` (of SHA-256 `hash`) cited by case `urn`: sealed under
    /// the case's key, or the content itself on a register with no keyring.
    static func sealed(_ content: [UInt8], hash: String, urn: String, writer: RegisterWriter) throws -> [UInt8] {
        guard writer.keyring != nil else { return content }
        let box = SecretBox.seal(content, key: try writer.dataKey(making: urn), additionalData: additionalData(urn: urn, hash: hash))
        return magic + Array("\(urn)\n".utf8) + box.nonce + box.ciphertext
    }

    /// The case and box of stored bytes in the sealed form, or nil for any other bytes.
    static func parse(_ stored: [UInt8]) -> (urn: String, box: SecretBox)? {
        guard stored.count > magic.count, stored.starts(with: magic) else { return nil }
        let rest = stored.dropFirst(magic.count)
        guard let newline = rest.firstIndex(of: 0x0A), let urn = String(validating: rest[rest.startIndex..<newline], as: UTF8.self),
              !urn.isEmpty
        else { return nil }
        let boxBytes = Array(rest[(newline + 1)...])
        guard boxBytes.count >= SecretBox.nonceByteCount + SecretBox.tagByteCount else { return nil }
        return (urn, SecretBox(nonce: Array(boxBytes.prefix(SecretBox.nonceByteCount)), ciphertext: Array(boxBytes.dropFirst(SecretBox.nonceByteCount))))
    }

    /// What the store holds for a cited document, as a reader or the verifier finds it.
    enum Kept: Equatable {
        /// The document, opened (or kept in the clear) and hashing to its name.
        case content([UInt8])
        /// Not in the store.
        case missing
        /// Sealed under `urn`, whose key was destroyed by entry `seq`.
        case destroyed(urn: String, seq: UInt64)
        /// A well-formed sealed box under `urn`, which this process cannot open (no data-protection
        /// key here, or not that case's key).
        case sealed(urn: String)
        /// Bytes that are neither the document nor a box that opens to it under its case.
        case altered
    }

    /// The document stored under `hash`, opened with the case's key where it is sealed.
    ///
    /// - Parameter urn: the case that cites it, when known: a box sealed for another case is altered.
    static func kept(hash: String, urn: String?, reader: RegisterReader) throws -> Kept {
        guard let stored = try reader.document(hash: hash) else {
            // The tombstone is read without the keyring: an auditor's copy sees destruction too.
            if let urn, let seq = try reader.dataKeyRows().first(where: { $0.name == urn })?.destroyedSeq { return .destroyed(urn: urn, seq: seq) }
            return .missing
        }
        if DocumentStore.hash(stored) == hash { return .content(stored) }
        guard let (boxURN, box) = parse(stored), urn == nil || urn == boxURN else { return .altered }
        switch try reader.dataKey(boxURN) {
        case .key(let key)?:
            guard let content = box.open(key: key, additionalData: additionalData(urn: boxURN, hash: hash)),
                  DocumentStore.hash(content) == hash
            else { return .altered }
            return .content(content)
        case .destroyed(let seq)?:
            return .destroyed(urn: boxURN, seq: seq)
        case .none?, nil:
            // No key here (no data-protection key, or a copy such as an opened evidence bundle
            // holding only the keys handed over): only its form can be checked.
            return .sealed(urn: boxURN)
        }
    }

    /// Deletes the documents that `urn`'s `judicial.decision` entries cite (its key is being
    /// destroyed; the store is compacted after the commit): its sealed boxes, and orders an
    /// older register kept in the clear, unless another case cites the same bytes.
    static func destroy(urn: String, writer: RegisterWriter) throws {
        let decisions = try writer.reader.entries(kind: EntryKind.judicialDecision.rawValue)
        for entry in decisions where entry.body["urn"]?.stringValue == urn {
            guard let hash = entry.body["order"]?.stringValue, let stored = try writer.reader.document(hash: hash) else { continue }
            if let box = parse(stored), box.urn != urn { continue }
            if DocumentStore.hash(stored) == hash,
               decisions.contains(where: { $0.body["order"]?.stringValue == hash && $0.body["urn"]?.stringValue != urn }) { continue }
            try writer.deleteDocument(hash: hash)
        }
    }
}
