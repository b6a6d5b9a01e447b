import Ledger

/// The register's document store (Code of Practice 2018 para 8.2: documents to be kept, such as
/// a JP's order), content-addressed by SHA-256.
public enum DocumentStore {
    /// The largest document accepted: 20 MB, well above a scanned order of a few pages.
    public static let maximumBytes = 20 * 1024 * 1024

    /// Lower-case hex SHA-256 of the bytes: the key a document is stored and cited under.
    public static func hash(_ content: some Collection<UInt8>) -> String { Hash.sha256(content).hex }
}

extension RegisterReader {
    /// A stored document's bytes, or nil.
    public func document(hash: String) throws -> [UInt8]? {
        try storage.document(hash: hash)
    }
}

extension RegisterWriter {
    /// Stores a document under its hash (once: the same bytes again are a no-op).
    ///
    /// - Returns: its hash.
    /// - Throws: `StoreError.tooLarge` beyond `DocumentStore.maximumBytes`.
    @discardableResult
    public func saveDocument(_ content: [UInt8]) throws -> String {
        guard content.count <= DocumentStore.maximumBytes else {
            throw StoreError(.tooLarge, "the document is \(content.count) bytes; the register keeps documents of at most \(DocumentStore.maximumBytes / 1024 / 1024) MB")
        }
        let hash = DocumentStore.hash(content)
        try transaction.putDocument(content, hash: hash)
        return hash
    }

    /// Stores `stored` (a document sealed by the domain) under `hash`, the SHA-256 of the
    /// document's plaintext, which the entry citing it names (once: the same hash again is a no-op).
    public func saveDocument(_ stored: [UInt8], hash: String) throws {
        try transaction.putDocument(stored, hash: hash)
    }

    /// Deletes the document under `hash` (its case's personal data destroyed). A backend
    /// must not keep the deleted bytes anywhere it can be read back (SQLite: `secure_delete`,
    /// then compaction).
    public func deleteDocument(hash: String) throws {
        try transaction.deleteDocument(hash: hash)
    }
}
