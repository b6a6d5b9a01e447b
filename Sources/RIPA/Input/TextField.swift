/// The one rule for text a person types into the register: which characters a field may
/// hold, and how long it may be.
///
/// A name, rank, case reference or operation name with a newline or a control character in
/// it forged extra rows in `ripa views`, `record central` and `user list`; a bidi override
/// (U+202E) can make a row read backwards. So every *single-line* field refuses them
/// outright, and only the fields documented as multi-line free text take newlines (and tabs):
///
/// - an application's `details`, `information_sought`, `necessity`, `proportionality` and
///   `collateral_intrusion`;
/// - the officer's `reasons` (grant, refusal, renewal), a review's `findings`, a renewal's
///   `changes` and `value_so_far`, a cancellation's `reason` and `value_obtained`.
///
/// Everything else — user ids, names, ranks, operation names, purposes, subjects' names,
/// addresses and dates of birth, online identities, offence ids, team members, case
/// references, courts, magistrates, URNs — is single-line. (Revocation and key-rotation
/// reasons are printed nowhere in a table; they are not yet checked.)
/// The rule runs where the domain validates an application, a user, a view and a decision,
/// so it holds for every front end and again in `verify --replay`.
public enum TextField {
    /// Whether a field may hold line breaks.
    public enum Kind: Sendable {
        /// One line: no control characters at all.
        case singleLine
        /// Free text: newlines and tabs allowed, other control characters not.
        case multiLine

        /// The byte bound for the kind (`InputLimits`).
        public var maximumBytes: Int {
            switch self {
            case .singleLine: InputLimits.singleLineFieldBytes
            case .multiLine: InputLimits.multiLineFieldBytes
            }
        }
    }

    /// Whether `scalar` may never appear in text a person gives the register: C0 controls,
    /// DEL, C1 controls, the Unicode line and paragraph separators (U+2028, U+2029) and the bidi
    /// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). Newline and tab are
    /// C0 too: only `isAllowed(_:in:)` lets them into multi-line fields.
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F, 0x80...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Whether `scalar` may appear in a field of `kind`.
    public static func isAllowed(_ scalar: Unicode.Scalar, in kind: Kind) -> Bool {
        if kind == .multiLine, scalar == "\n" || scalar == "\t" { return true }
        return !isForbidden(scalar)
    }

    /// Refuses a field that is too long or holds a character its kind forbids.
    ///
    /// - Parameters:
    ///   - value: the text.
    ///   - field: its name in the body (`name`, `case_ref`, `subjects[0].name`): a front end maps
    ///     it to its own wording (the CLI's flag, the web's label).
    ///   - kind: single-line or multi-line.
    ///   - label: how the message names it, when not by `field` (`case reference`).
    /// - Throws: `RIPAError.badInput` naming the field and the character (as U+XXXX).
    public static func check(_ value: String, _ field: String, _ kind: Kind = .singleLine, label: String? = nil) throws(RIPAError) {
        let name = label ?? field
        let bytes = value.utf8.count
        guard bytes <= kind.maximumBytes else {
            throw RIPAError(
                .badInput, "'\(name)' is \(bytes) bytes long; at most \(kind.maximumBytes) are allowed",
                reason: .inputTooLong, values: ["field": field, "bytes": String(bytes), "limit": String(kind.maximumBytes)])
        }
        if let bad = value.unicodeScalars.first(where: { !isAllowed($0, in: kind) }) {
            let code = "U+" + String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4)
            let what = bad == "\n" || bad == "\r" || bad == "\u{2028}" || bad == "\u{2029}"
                ? "a line break" : (0x202A...0x202E).contains(bad.value) || (0x2066...0x2069).contains(bad.value)
                ? "a bidirectional-text control" : "a control character"
            let allowed = kind == .singleLine
                ? "it must be one line of printable text"
                : "free text may hold newlines and tabs, but no other control characters"
            throw RIPAError(
                .badInput, "'\(name)' contains \(what) (\(code)): \(allowed)",
                reason: .inputForbiddenCharacter, values: ["field": field, "character": code])
        }
    }

    /// Checks an optional field.
    public static func check(_ value: String?, _ field: String, _ kind: Kind = .singleLine, label: String? = nil) throws(RIPAError) {
        if let value { try check(value, field, kind, label: label) }
    }

    /// The text with every character a field could not hold written visibly (`\n`, `\t`,
    /// `\r`, `\u{202E}`), for printing what is stored (a row written behind the tool's back,
    /// or before this rule) in a table or on one line, where it must not start a new row.
    ///
    /// - Parameter keepingNewlines: leave newlines (for printing a multi-line field on its own).
    public static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isForbidden($0) && !(keepingNewlines && $0 == "\n") }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            guard isForbidden(scalar), !(keepingNewlines && scalar == "\n") else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
