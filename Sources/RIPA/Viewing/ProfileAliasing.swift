import Ledger

/// Body of `profile.aliased`: two profile keys that are one account, and the evidence.
///
/// Some accounts have two identifiers the register cannot match from the addresses alone: an
/// X handle and its numeric id, a YouTube @handle and its channel id, a Bluesky handle and its
/// DID. Without an alias each key has its own first look. A monitoring officer records the
/// alias (it widens what an authorisation naming either key covers, so the authoriser decides
/// it); from then on the gate counts views of either key together and an authorisation naming
/// either covers both. Aliases are transitive: groups merge.
public struct ProfileAliasing: Sendable, Hashable {
    /// The two normalised profile keys, as the monitoring officer gave them.
    public var profiles: [String]
    /// Why they are one account (a platform page showing both, an export, a screenshot reference).
    public var evidence: String

    /// Makes a body.
    public init(first: String, second: String, evidence: String) {
        self.profiles = [first, second]
        self.evidence = evidence
    }

    /// The first key.
    public var first: String { profiles.first ?? "" }
    /// The second key.
    public var second: String { profiles.count > 1 ? profiles[1] : "" }

    /// The body as JSON.
    public var json: JSONValue {
        .object(["profiles": .array(profiles.map(JSONValue.string)), "evidence": .string(evidence)])
    }

    /// Reads a body, refusing a missing, mistyped or unknown member.
    ///
    /// - Throws: `RIPAError.badInput`.
    public init(json: JSONValue) throws(RIPAError) {
        guard let object = json.objectValue else { throw RIPAError(.badInput, "a profile.aliased body must be an object") }
        if let extra = object.keys.first(where: { $0 != "profiles" && $0 != "evidence" }) {
            throw RIPAError(.badInput, "a profile.aliased body has an unknown member '\(extra)'")
        }
        guard let list = object["profiles"]?.arrayValue, list.count == 2,
            let first = list[0].stringValue, let second = list[1].stringValue
        else {
            throw RIPAError(.badInput, "a profile.aliased body needs 'profiles': the two profile keys that are one account")
        }
        guard let evidence = object["evidence"]?.stringValue else {
            throw RIPAError(.badInput, "a profile.aliased body needs 'evidence': why the two keys are one account")
        }
        self.init(first: first, second: second, evidence: evidence)
    }

    /// Checks the alias against the register just before it: both keys canonical under the
    /// pack's address rules, different, not already one account, with evidence.
    ///
    /// - Throws: `RIPAError.badInput` (the message says what to do).
    func check(rules: ProfileAddressRules, context: some CaseContext) throws {
        guard !evidence.isBlank else {
            throw RIPAError(.badInput, "an alias needs evidence: record why the two addresses are one account (RIPA.md §5)", reason: .inputMissing, values: ["field": "evidence"])
        }
        for key in profiles {
            do {
                _ = try ProfileKey(parsing: key, rules: rules)
            } catch {
                throw RIPAError(.badInput, "the alias names \(key), which is not a profile key: \(error.message)")
            }
        }
        guard Array(first.utf8) != Array(second.utf8) else {
            throw RIPAError(.badInput, "both addresses name \(first): a profile cannot be an alias of itself; give the other identifier of the account")
        }
        let group = try context.aliasGroup(of: first)
        if group.contains(where: { Array($0.utf8) == Array(second.utf8) }) {
            throw RIPAError(.badInput, "\(first) and \(second) are already recorded as one account (\(group.joined(separator: ", "))); there is nothing to record")
        }
    }
}
