import Ledger

/// Which members of which entry bodies are personal data, and under which case's key they are
/// sealed: the one place the inventory of docs/personal-data.md lives in code.
///
/// A path names a member of the body, or of an object member (`application.subjects`). Every
/// other member stays in the clear: what the law needs shown after the personal data is gone
/// (type, dates, officers, URN, approvals, reviews, cancellation) and what the rules need to
/// replay without it (offences, durations, team, basis, the refusal's reason code).
enum PersonalFields {
    /// A sealed member and what it reads as once its case's key is gone.
    struct Field {
        let path: [String]
        let placeholder: JSONValue
    }

    /// What a sealed text member reads as without its key.
    static let sealedText = "[personal data sealed]"
    /// What a destroyed text member reads as.
    static let destroyedText = "[personal data destroyed]"

    private static func text(_ path: String) -> Field { Field(path: path.split(separator: ".").map(String.init), placeholder: .string(sealedText)) }
    private static func list(_ path: String) -> Field { Field(path: path.split(separator: ".").map(String.init), placeholder: .array([])) }
    private static func object(_ path: String) -> Field { Field(path: path.split(separator: ".").map(String.init), placeholder: .object([:])) }

    /// The personal members of each kind that has any.
    static func fields(of kind: EntryKind) -> [Field] {
        switch kind {
        case .applicationSubmitted:
            // Subjects (names, addresses, dates of birth, online identities) and the free text
            // of the form, which names and describes people. Type, operation name, offences,
            // team, duration and the threshold stay clear.
            [list("application.subjects"), text("application.purpose"), text("application.details"),
             text("application.information_sought"), text("application.necessity"),
             text("application.proportionality"), text("application.collateral_intrusion")]
        case .authorisationGranted, .authorisationRefused:
            [text("reasons")]
        case .authorisationReviewed:
            [text("findings")]
        case .authorisationRenewed:
            [text("changes"), text("value_so_far"), text("reasons")]
        case .authorisationCancelled:
            [text("reason"), text("value_obtained")]
        case .viewRecorded, .viewRefused:
            // The profile and the address name the person; the purpose may. The refusal's
            // values repeat the profile. `profile_tag` (a keyed tag) is what the gate counts by.
            [text("profile"), text("address"), text("purpose"), object("refusal.values")]
        case .profileAliased:
            // Both profile keys and the evidence. Sealed by `AliasIndex` under the profile-tag
            // key of the entry's year (an alias belongs to no case), so `caseName` names none.
            [list("profiles"), text("evidence")]
        default:
            []
        }
    }

    /// The data key a body's personal fields are sealed under: the authorisation's URN, or
    /// for a look without one its case reference (`case:<ref>`). An alias names no case: it is
    /// sealed before it gets here (`AliasIndex.sealed`).
    static func caseName(of kind: EntryKind, body: JSONValue) -> String? {
        switch kind {
        case .profileAliased:
            return nil
        case .viewRecorded, .viewRefused:
            if let urn = body["urn"]?.stringValue { return urn }
            return body["case_ref"]?.stringValue.map { "case:\($0)" }
        default:
            return body["urn"]?.stringValue
        }
    }
}

extension JSONValue {
    /// The member at `path`, if every step is an object member.
    func member(at path: [String]) -> JSONValue? {
        var value = self
        for step in path {
            guard let next = value.objectValue?[step] else { return nil }
            value = next
        }
        return value
    }

    /// The same value with the member at `path` set (or removed, for nil); objects on the way must exist.
    func setting(_ path: [String], to new: JSONValue?) -> JSONValue {
        guard let first = path.first, var object = objectValue else { return self }
        if path.count == 1 {
            object[first] = new
        } else if let child = object[first] {
            object[first] = child.setting(Array(path.dropFirst()), to: new)
        }
        return .object(object)
    }
}
