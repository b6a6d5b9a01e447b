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
    struct Field: Sendable {
        let path: [String]
        let placeholder: JSONValue
        /// The member's name in the sealed plaintext: the path joined with dots.
        let name: String

        init(path: [String], placeholder: JSONValue) {
            self.path = path
            self.placeholder = placeholder
            name = path.joined(separator: ".")
        }
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

    /// How `BodySealing` splits a kind's bodies, worked out once per kind from `fields(of:)`.
    struct SealPlan: Sendable {
        /// What the clear body leaves out of an object: a member whole, or some of its members.
        indirect enum Drop: Sendable {
            case whole
            case members([String: Drop])
        }

        /// The kind's fields, as `fields(of:)` lists them.
        let fields: [Field]
        /// The members the clear body leaves out, by top-level name.
        let drop: [String: Drop]
        /// Whether a look's profile tag is added (`ProfileTag`).
        let tagsProfile: Bool

        init(kind: EntryKind) {
            self.init(fields: PersonalFields.fields(of: kind), tagsProfile: kind == .viewRecorded || kind == .viewRefused)
        }

        init(fields: [Field], tagsProfile: Bool) {
            self.fields = fields
            var drop: [String: Drop] = [:]
            for field in fields { Self.insert(field.path[...], into: &drop) }
            self.drop = drop
            self.tagsProfile = tagsProfile
        }

        /// Adds a path to the tree; a member dropped whole stays so whatever lies below it.
        private static func insert(_ path: ArraySlice<String>, into drop: inout [String: Drop]) {
            guard let first = path.first else { return }
            if path.count == 1 {
                drop[first] = .whole
            } else if case .whole? = drop[first] {
                return
            } else {
                var inner: [String: Drop] = if case .members(let existing)? = drop[first] { existing } else { [:] }
                insert(path.dropFirst(), into: &inner)
                drop[first] = .members(inner)
            }
        }

        /// Whether the kind has no personal fields.
        var isEmpty: Bool { fields.isEmpty }

        /// The plaintext's members: each field present in `members` (every object on its path
        /// present), under its joined path, as it stands in the body.
        func sealedMembers(of members: [String: JSONValue]) -> [String: JSONValue] {
            var plain: [String: JSONValue] = [:]
            for field in fields {
                guard var value = members[field.path[0]] else { continue }
                var found = true
                for step in field.path.dropFirst() {
                    guard case .object(let object) = value, let next = object[step] else { found = false; break }
                    value = next
                }
                if found { plain[field.name] = value }
            }
            return plain
        }

        /// `members` without the sealed fields: an object on a sealed path keeps its other
        /// members (and stays, if empty); a member on the path that is not an object stays as it is.
        func clearMembers(of members: [String: JSONValue]) -> [String: JSONValue] {
            Self.removing(drop, from: members)
        }

        private static func removing(_ drop: [String: Drop], from members: [String: JSONValue]) -> [String: JSONValue] {
            var kept = members
            for (name, rule) in drop {
                switch rule {
                case .whole:
                    kept.removeValue(forKey: name)
                case .members(let inner):
                    if case .object(let child)? = kept[name] { kept[name] = .object(removing(inner, from: child)) }
                }
            }
            return kept
        }
    }

    private static let plans: [EntryKind: SealPlan] = Dictionary(uniqueKeysWithValues: EntryKind.allCases.map { ($0, SealPlan(kind: $0)) })

    /// The split of `kind`'s bodies (see `SealPlan`).
    static func plan(of kind: EntryKind) -> SealPlan { plans[kind]! }

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
