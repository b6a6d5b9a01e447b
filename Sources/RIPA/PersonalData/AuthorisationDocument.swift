import Ledger
import RegisterStorage

/// A case's projection as stored: the `Authorisation` document sealed whole under the case's
/// data key (it carries the subjects and every officer's free text), and its profile index
/// keyed by tags (`AuthorisationIndex`), so the projections hold no personal data in the clear.
///
/// A case whose key was destroyed is projected from its entries with their personal fields
/// read as destroyed, and stored so, in the clear; a case recorded before sealing, in the
/// clear as its entries are.
enum AuthorisationDocument {
    static let kind = "authorisation.projection"

    /// The document to store for `authorisation`.
    static func sealed(_ authorisation: Authorisation, writer: RegisterWriter) throws -> JSONValue {
        let document = try JSONValue(encoding: authorisation)
        guard case .key(let key)? = try writer.reader.dataKey(authorisation.urn) else { return document }
        let box = SecretBox.seal(
            document.canonicalBytes, key: key, additionalData: BodySealing.additionalData(kind: kind, name: authorisation.urn))
        return .object([BodySealing.member: .object(["case": .string(authorisation.urn), "box": .string(box.base64)])])
    }

    /// The stored document, opened.
    ///
    /// - Throws: `RIPAError.badInput` if it is sealed and cannot be opened here (no
    ///   data-protection key, or a box that does not open under the case's key).
    static func opened(_ document: JSONValue, urn: String, reader: RegisterReader) throws -> JSONValue {
        guard let sealed = document[BodySealing.member] else { return document }
        guard let text = sealed["box"]?.stringValue, let box = SecretBox(base64: text) else {
            throw RIPAError(.badInput, "the stored case \(urn) has a malformed sealed document")
        }
        guard case .key(let key)? = try reader.dataKey(urn) else {
            throw RIPAError(
                .notPermitted, "case \(urn) is sealed and cannot be read here: the register's data-protection key is not beside its register key",
                reason: "data.sealed", values: ["urn": urn])
        }
        guard let bytes = box.open(key: key, additionalData: BodySealing.additionalData(kind: kind, name: urn)),
              let opened = try? JSONValue(parsing: bytes)
        else {
            throw RIPAError(.badInput, "the stored case \(urn) does not open under its data key: it was not sealed for this case")
        }
        return opened
    }
}

/// The profile index of the cases (which cases name a profile among their subjects' online
/// identities), keyed by BLAKE2b-256 tags under the index key (data key `tags:index`), not by
/// the profile. Its rows go with their case's projection; the key is kept for the register's
/// life, since it links only rows that are themselves kept.
enum AuthorisationIndex {
    static let name = "tags:index"

    /// The index keys to store for a case's profiles: their tags, or the profiles themselves
    /// on a register with no keyring (a case recorded before sealing is indexed as recorded).
    static func keys(_ profiles: [String], writer: RegisterWriter, sealed: Bool) throws -> [String] {
        guard sealed, writer.keyring != nil else { return profiles }
        let key = try writer.dataKey(making: name)
        return profiles.map { ProfileTag.tag($0, key: key) }
    }

    /// The keys a case naming `profile` may be indexed under: the profile (cases recorded
    /// before sealing) and its tag.
    static func lookupKeys(_ profile: String, reader: RegisterReader) throws -> [String] {
        guard case .key(let key)? = try reader.dataKey(name) else { return [profile] }
        return [profile, ProfileTag.tag(profile, key: key)]
    }
}

extension RegisterReader {
    /// A stored case, its document opened.
    func openedAuthorisation(_ record: AuthorisationRecord) throws -> Authorisation {
        try AuthorisationDocument.opened(record.document, urn: record.urn, reader: self).decode(Authorisation.self)
    }
}
