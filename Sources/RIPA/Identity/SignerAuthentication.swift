import Ledger

/// When the signer of a decision last proved their passphrase (issue 10 §3): the one place
/// the rule lives.
///
/// Every decision that commits the authority carries `authenticated_at`, the moment the
/// signer's key was unsealed with the passphrase just given (`Actor.authenticatedAt`: the
/// CLI's unlock, the web's sign-in or step-up). It may not be after the entry, nor earlier
/// than the pack's step-up window (`sessions.step_up_minutes`) before it: a key unsealed at
/// 09:00 and left in memory cannot sign a grant at 17:00.
///
/// The live register stamps the member from the actor and checks it inside the append (a
/// refusal writes nothing); `ripa verify --replay` checks it again on every such entry, against
/// the pack in force just before it. It is attested by the signer's own software, not proved:
/// whoever holds an unsealed key can write any time; what the rule stops is honest software
/// signing with a key that sat unlocked, and any entry that claims so is named by replay.
public enum SignerAuthentication {
    /// The body member.
    public static let member = "authenticated_at"

    /// The kinds that record it: the decisions that commit the authority. A look, an
    /// application, an acceptance or a passphrase change do not (the last two prove the
    /// passphrase or the key by themselves).
    public static let kinds: Set<EntryKind> = [
        .authorisationGranted, .authorisationRefused, .authorisationRenewed, .authorisationCancelled,
        .authorisationReviewed, .judicialDecision,
        .userInvited, .userApproved, .userRolesChanged, .userRevoked,
        .policyAdopted, .registerKeyRotated,
        // Holding personal data past its period, and destroying it, are the authority's too.
        .retentionHoldPlaced, .retentionHoldReleased, .retentionDestructionRequested, .personalDataDestroyed,
        // So is handing it to an inspector.
        .dataKeysDisclosed,
    ]

    /// Whether an entry of this kind records `authenticated_at`. The register key's own entries
    /// at `init` (the first pack, the founders' invitations) do not: no person signs them, and
    /// the authority walk allows the register key those only at their fixed places. A key
    /// rotation does: the register key signs it for the administrator who asked.
    public static func applies(to kind: EntryKind, signedByRegisterKey: Bool) -> Bool {
        kinds.contains(kind) && (!signedByRegisterKey || kind == .registerKeyRotated)
    }

    /// The body with `authenticated_at` set to the actor's, replacing any value the caller put
    /// there: the services never take it from a front end.
    public static func stamp(_ body: JSONValue, with time: EntryTime?) -> JSONValue {
        guard let time, case .object(var members) = body else { return body }
        members[member] = .string(time.description)
        return .object(members)
    }

    /// Checks an entry's `authenticated_at` against its own time and the step-up window.
    ///
    /// - Parameters:
    ///   - entry: an entry of a kind in `kinds` that a person signs for.
    ///   - rule: the session rule of the pack in force just before the entry.
    ///   - required: whether an absent member is refused: always on the live register; in a
    ///     replay, once any earlier entry has carried it (entries written before the member
    ///     existed lack it and still verify, but no later one may drop it).
    /// - Returns: the time, or `nil` when absent and not required.
    /// - Throws: `RIPAError.notPermitted` naming the rule (`authentication.*` reasons).
    @discardableResult
    public static func check(_ entry: Entry, rule: PolicyRules.Sessions, required: Bool) throws(RIPAError) -> EntryTime? {
        let values = ["kind": entry.kind, "time": entry.time.description]
        guard let value = entry.body[member] else {
            guard required else { return nil }
            throw RIPAError(
                .notPermitted, "the \(entry.kind) entry does not record when its signer last gave their passphrase (`\(member)`); every decision that commits the authority must",
                reason: .authenticationMissing, values: ["kind": entry.kind])
        }
        guard case .string(let text) = value, let time = try? EntryTime(parsing: text), time.description == text else {
            throw RIPAError(
                .notPermitted, "the \(entry.kind) entry's `\(member)` is not an entry time (\(value))",
                reason: .authenticationMalformed, values: ["kind": entry.kind])
        }
        var named = values
        named[member] = time.description
        guard time <= entry.time else {
            throw RIPAError(
                .notPermitted, "the \(entry.kind) entry says its signer gave their passphrase at \(time), after the entry itself (\(entry.time))",
                reason: .authenticationAfterEntry, values: named)
        }
        guard entry.time.millisecondsSince1970 - time.millisecondsSince1970 <= rule.stepUpMilliseconds else {
            named["step_up_minutes"] = String(rule.stepUpMinutes)
            throw RIPAError(
                .notPermitted, "the \(entry.kind) entry was signed at \(entry.time), more than the pack's \(rule.stepUpMinutes) minutes (`sessions.step_up_minutes`) after its signer last gave their passphrase (\(time)): give the passphrase again and sign anew",
                reason: .authenticationStale, values: named)
        }
        return time
    }
}
