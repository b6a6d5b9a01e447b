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
        try sealing(body, kind: kind, writer: writer, opening: false).stored
    }

    /// As `seal(_:kind:writer:)`, with (if `opening`) the body as opening the sealed one
    /// gives, nil when nothing was sealed: `body` with the profile tag, so a caller that just
    /// wrote the entry need not open its box again.
    ///
    /// One pass over the body (`PersonalFields.SealPlan`): the sealed members are read out and
    /// the clear body is copied once, each object on a sealed path once, with the tag and the
    /// box added to that copy.
    static func sealing(_ body: JSONValue, kind: EntryKind, writer: RegisterWriter, opening: Bool = true) throws -> (stored: JSONValue, opened: JSONValue?) {
        let plan = PersonalFields.plan(of: kind)
        guard !plan.isEmpty, writer.keyring != nil, let name = PersonalFields.caseName(of: kind, body: body),
              case .object(let members) = body
        else { return (body, nil) }
        let plain = plan.sealedMembers(of: members)
        guard !plain.isEmpty else { return (body, nil) }
        // The tag's key is made before the case's, as the register has always made them.
        var tag: String?
        if plan.tagsProfile, let profile = members["profile"]?.stringValue {
            tag = try ProfileTag.tag(profile, at: writer.nextTime, writer: writer)
        }
        let key = try writer.dataKey(making: name)
        let box = SecretBox.seal(JSONValue.object(plain).canonicalBytes, key: key, additionalData: additionalData(kind: kind.rawValue, name: name))
        var clear = plan.clearMembers(of: members)
        if let tag { clear["profile_tag"] = .string(tag) }
        clear[member] = .object(["case": .string(name), "box": .string(box.base64)])
        guard opening else { return (.object(clear), nil) }
        var opened = members
        opened[member] = nil
        if let tag { opened["profile_tag"] = .string(tag) }
        return (.object(clear), .object(opened))
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
        let fields = PersonalFields.plan(of: entryKind).fields
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
                if let value = members[field.name] { opened = opened.setting(field.path, to: value) }
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
