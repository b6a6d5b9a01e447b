import Foundation
import Ledger
import RegisterStorage

/// Whether an entry's personal fields could be read.
public enum SealState: Sendable, Hashable, Codable {
    /// The body has no sealed fields (a kind with no personal data, or an entry written
    /// before sealing).
    case clear
    /// Sealed under the case's data key, and opened.
    case opened(name: String)
    /// Sealed, and the case's key was destroyed by entry `seq`: the fields read as destroyed.
    case destroyed(name: String, seq: UInt64)
    /// Sealed, and this process cannot open it (no data-protection key here): the fields read as sealed.
    case sealed(name: String)

    /// Whether the body holds every field as written.
    public var isReadable: Bool {
        switch self {
        case .clear, .opened: true
        case .destroyed, .sealed: false
        }
    }
}

/// Seals an entry body's personal fields (`PersonalFields`) under its case's data key before
/// the entry is signed, and opens them when the entry is read.
///
/// A sealed body keeps every other member and gains
/// `"sealed": {"case": <data key name>, "box": base64(nonce ‖ XChaCha20-Poly1305 ciphertext)}`,
/// the plaintext being the canonical JSON of `{"<path>": value, …}`; the associated data
/// binds the box to the entry's kind and its case. The entry's signature and leaf hash cover
/// the box, so they stay valid when the key is destroyed. (docs/personal-data.md)
enum BodySealing {
    static let member = "sealed"

    static func additionalData(kind: String, name: String) -> [UInt8] {
        Array("ripa-register/sealed/v1\n\(kind)\n\(name)".utf8)
    }

    /// `body` with its personal fields sealed, and for a look its profile tag added, using
    /// (and making if need be) the case's data key. A kind with no personal fields, or a body
    /// written without a keyring, is returned as it is.
    static func seal(_ body: JSONValue, kind: EntryKind, writer: RegisterWriter) throws -> JSONValue {
        let fields = PersonalFields.fields(of: kind)
        guard !fields.isEmpty, writer.keyring != nil, let name = PersonalFields.caseName(of: kind, body: body) else { return body }
        var sealed = body
        if kind == .viewRecorded || kind == .viewRefused, let profile = body["profile"]?.stringValue {
            sealed = sealed.setting(["profile_tag"], to: .string(try ProfileTag.tag(profile, at: writer.nextTime, writer: writer)))
        }
        var plain: [String: JSONValue] = [:]
        for field in fields {
            guard let value = body.member(at: field.path) else { continue }
            plain[field.path.joined(separator: ".")] = value
            sealed = sealed.setting(field.path, to: nil)
        }
        guard !plain.isEmpty else { return body }
        let key = try writer.dataKey(making: name)
        let box = SecretBox.seal(JSONValue.object(plain).canonicalBytes, key: key, additionalData: additionalData(kind: kind.rawValue, name: name))
        return sealed.setting([member], to: .object(["case": .string(name), "box": .string(box.base64)]))
    }

    /// `body` with its personal fields back in place: opened, or placeholders where the key
    /// was destroyed or is not here.
    ///
    /// - Throws: `RIPAError.badInput` for a malformed sealed member or a box that does not
    ///   open under its case's key (it was not sealed for this entry's kind and case).
    static func open(_ body: JSONValue, kind: String, keys: some DataKeySource) throws -> (JSONValue, SealState) {
        guard let sealed = body[member] else { return (body, .clear) }
        guard let object = sealed.objectValue, object.count == 2, let name = object["case"]?.stringValue,
              let text = object["box"]?.stringValue, let box = SecretBox(base64: text), let entryKind = EntryKind(rawValue: kind)
        else {
            throw RIPAError(.badInput, "a sealed body needs \"sealed\": {\"case\": text, \"box\": base64}")
        }
        let fields = PersonalFields.fields(of: entryKind)
        var opened = body.setting([member], to: nil)
        let state: SealState
        switch try keys.dataKey(name, absenceIsFinal: false) {
        case .key(let key)?:
            guard let bytes = box.open(key: key, additionalData: additionalData(kind: kind, name: name)),
                  let plain = try? JSONValue(parsing: bytes), let members = plain.objectValue
            else {
                throw RIPAError(.badInput, "the sealed fields of a \(kind) entry do not open under the data key of \(name): they were not sealed for this kind and case")
            }
            for field in fields {
                if let value = members[field.path.joined(separator: ".")] { opened = opened.setting(field.path, to: value) }
            }
            return (opened, .opened(name: name))
        case .destroyed(let seq)?:
            state = .destroyed(name: name, seq: seq)
        case .none?, nil:
            state = .sealed(name: name)
        }
        for field in fields where field.path.count == 1 || opened.member(at: Array(field.path.dropLast())) != nil {
            var placeholder = field.placeholder
            if case .destroyed = state, placeholder == .string(PersonalFields.sealedText) { placeholder = .string(PersonalFields.destroyedText) }
            // Only where the writer had a value: an absent optional stays absent.
            if field.path == ["refusal", "values"] && opened.member(at: ["refusal"]) == nil { continue }
            opened = opened.setting(field.path, to: placeholder)
        }
        return (opened, state)
    }
}

extension DataKeySource {
    /// The entry with its personal fields opened, as decisions and pages read it, and whether
    /// they could be (`SealState`).
    public func opened(_ entry: Entry) throws -> (entry: Entry, state: SealState) {
        guard entry.body[BodySealing.member] != nil else { return (entry, .clear) }
        let (body, state) = try BodySealing.open(entry.body, kind: entry.kind, keys: self)
        return (entry.replacingBody(body), state)
    }
}

/// Sealing for callers that write entries through the storage path themselves (`ripa-bench`'s
/// append figures), so what they measure is what the register writes.
public enum PersonalData {
    /// `body` as the register would sign it: personal fields sealed under the case's data key,
    /// a look's profile tag added (see `BodySealing.seal`).
    public static func seal(_ body: JSONValue, kind: EntryKind, writer: RegisterWriter) throws -> JSONValue {
        try BodySealing.seal(body, kind: kind, writer: writer)
    }
}
