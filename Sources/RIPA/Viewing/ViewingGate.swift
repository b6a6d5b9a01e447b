import Foundation
import Ledger
import RegisterStorage

/// The repeat-viewing gate (RIPA.md §5; Code of Practice 2018 paras 3.10–3.17).
///
/// The first look at a profile (within the pack's `unauthorised_views_allowed`, optionally
/// within a window of days) is an initial examination and needs no authorisation. Any
/// other look is allowed only under an authorisation that, at that moment, is granted,
/// JP-approved, not expired, not cancelled, names the profile among its subjects' online
/// identities and names the viewer on its team. Counting is by profile across the whole
/// authority, whoever looked before, and every allowed look counts (an initial examination
/// or a look under an authorisation); refused looks do not. Keys recorded as one account
/// (`profile.aliased`) are counted and authorised as one. Refusals are recorded too.
///
/// The decision reads only indexed projections (views by profile, authorisations by
/// profile): it never scans the log.
public enum ViewingGate {
    /// The gate's answer.
    public struct Decision: Sendable, Hashable {
        /// Allowed or refused.
        public var allowed: Bool
        /// For an allowed view, the basis.
        public var basis: ViewBasis?
        /// For a refused view, why: code `refused`, a `gate.*` reason, its values and a
        /// message naming no front end's command. `view.refused` records the reason and values.
        public var refusal: RIPAError?

        /// Makes a decision.
        public init(allowed: Bool, basis: ViewBasis?, refusal: RIPAError?) {
            self.allowed = allowed
            self.basis = basis
            self.refusal = refusal
        }

        /// For a refused view, the refusal's message.
        public var reason: String? { refusal?.message }
    }

    /// Decides a look at `profile` by `viewer` at `time`, citing `urn` or not.
    public static func decide(
        profile: String, viewer: String, urn: String?, at time: EntryTime, rules: PolicyRules, context: some CaseContext
    ) throws -> Decision {
        if let urn {
            guard let authorisation = try context.authorisation(urn: urn) else {
                return refused(.gateUnknownCase, ["urn": urn])
            }
            let state = authorisation.state(at: time)
            guard state == .active else {
                var values = ["urn": urn, "state": state.rawValue]
                if state == .expired, let end = authorisation.expiresAt(at: time) { values["expired_at"] = end.description }
                return refused(.gateAuthorisationNotLive, values)
            }
            // An authorisation naming any key recorded as the same account covers it.
            let group = try context.aliasGroup(of: profile)
            guard group.contains(where: authorisation.covers(profile:)) else {
                return refused(.gateProfileNotCovered, ["urn": urn, "profile": profile])
            }
            guard authorisation.isOnTeam(viewer) else {
                return refused(.gateViewerNotOnTeam, ["urn": urn, "viewer": viewer])
            }
            return Decision(allowed: true, basis: .authorisation, refusal: nil)
        }

        let viewing = rules.openSourceViewing
        let since = viewing.windowDays.map { EntryTime(millisecondsSince1970: time.millisecondsSince1970 - Int64($0) * 86_400_000) }
        // Every allowed look counts, whether it was an initial examination or under an
        // authorisation since cancelled: a profile looked at under an authorisation has had
        // its first look, and a fresh "initial examination" after the cancellation would be
        // repeat viewing without one (Code of Practice 2018 paras 3.10-3.17).
        let earlier = try context.allowedViewCount(profile: profile, since: since, at: time)
        if earlier < viewing.unauthorisedViewsAllowed {
            return Decision(allowed: true, basis: .initialExamination, refusal: nil)
        }
        var covering: [Authorisation] = []
        for key in try context.aliasGroup(of: profile) {
            for authorisation in try context.authorisations(coveringProfile: key)
            where authorisation.isLive(at: time) && authorisation.isOnTeam(viewer) && !covering.contains(where: { $0.urn == authorisation.urn }) {
                covering.append(authorisation)
            }
        }
        covering = covering.sortedByURN()
        var values = ["profile": profile]
        if !covering.isEmpty { values["live_authorisations"] = covering.map(\.urn).joined(separator: ",") }
        let allowance = viewing.unauthorisedViewsAllowed
        // With no allowance a first look is not a repeat: say what the pack requires instead.
        guard allowance > 0 else { return refused(.gateNoAllowance, values) }
        values["allowance"] = String(allowance)
        if let days = viewing.windowDays { values["window_days"] = String(days) }
        return refused(.gateInitialAllowanceUsed, values)
    }

    /// A refusal by the gate, its message made from its reason and values alone, so that a
    /// refusal read back from a `view.refused` body reads as it did when it was decided.
    public static func refusal(_ reason: RIPAError.Reason, _ values: [String: String]) -> RIPAError {
        func value(_ key: String) -> String { values[key] ?? "?" }
        let live = values["live_authorisations"].map { $0.split(separator: ",").joined(separator: " or ") }
        let next = live.map { "a live authorisation covers it and you: \($0)" }
            ?? "it needs a directed surveillance authorisation naming this profile"
        let message: String
        switch reason {
        case .gateUnknownCase:
            message = "\(value("urn")) is not a case in this register; check the URN"
        case .gateAuthorisationNotLive:
            var detail = "\(value("urn")) is \(value("state"))"
            if let end = values["expired_at"] { detail += " (expired \(end))" }
            if values["state"] == AuthorisationState.grantedAwaitingApproval.rawValue {
                detail += ": no activity may rely on it until a JP approves it (RIPA s.32A)"
            }
            message = "\(detail); a repeat view needs a live authorisation: apply for one or cite one that is active"
        case .gateProfileNotCovered:
            message = "\(value("urn")) does not name \(value("profile")) among its subjects' online identities; cite the authorisation that does, or apply for one"
        case .gateViewerNotOnTeam:
            message = "\(value("viewer")) is not on the team of \(value("urn")); ask the authorising officer to add you through a new authorisation, or have a team member look"
        case .gateNoAllowance:
            message = "the policy in force allows no view of \(value("profile")) without an authorisation (Code of Practice 2018 paras 3.10-3.17): \(next)"
        case .gateInitialAllowanceUsed:
            let allowance = value("allowance")
            let window = values["window_days"].map { " in the last \($0) days" } ?? ""
            message = "\(value("profile")) has already had its \(allowance) initial examination\(allowance == "1" ? "" : "s")\(window); repeat viewing is directed surveillance, whether the earlier looks were initial examinations or under an authorisation (Code of Practice 2018 paras 3.10-3.17): \(next)"
        default:
            message = "the viewing gate refused the view (\(reason))"
        }
        return RIPAError(.refused, message, reason: reason, values: values)
    }

    static func refused(_ reason: RIPAError.Reason, _ values: [String: String]) -> Decision {
        Decision(allowed: false, basis: nil, refusal: refusal(reason, values))
    }

    /// Re-decides a recorded view and checks the entry records that decision.
    static func check(_ entry: Entry, kind: EntryKind, viewer: UserRecord, context: some CaseContext) throws -> ViewRecord {
        let body = try ViewBody(json: entry.body)
        // With the pack in force at this entry: its address rules are part of the normalisation.
        let adopted = try Casework.policyInForce(context, hash: nil)
        let normalised = try OnlineIdentity(address: body.address, rules: adopted.policy.rules.addressRules)
        // Bytes, not String ==: a key canonically equivalent but not identical to the normalised
        // one would be stored as a different profile and given a first look of its own.
        guard normalised.profile.utf8.elementsEqual(body.profile.utf8) else {
            throw RIPAError(.badInput, "the view records \(body.profile) but \(body.address) names \(normalised.profile)")
        }
        // Newlines too: a case or purpose of "\n" says nothing, and this check also guards live appends.
        try checkFields(caseRef: body.caseRef, purpose: body.purpose, urn: body.urn)
        let decision = try decide(profile: body.profile, viewer: viewer.userID, urn: body.urn, at: entry.time, rules: adopted.policy.rules, context: context)
        switch kind {
        case .viewRecorded:
            guard decision.allowed, decision.basis == body.basis else {
                throw RIPAError(.refused, "the view was recorded as allowed (\(body.basis?.rawValue ?? "no basis")) but the gate refuses it: \(decision.reason ?? "different basis")")
            }
            guard body.refusal == nil else {
                throw RIPAError(.badInput, "a view.recorded body records a refusal")
            }
        default:
            guard !decision.allowed else {
                throw RIPAError(.refused, "the view was recorded as refused but the gate allows it (\(decision.basis?.rawValue ?? ""))")
            }
            // Body version 2 records the refusal as a reason and its values: the rules must
            // give the same. A version-1 body's refusal is text, compared as before: refused or not.
            if let recorded = body.refusal, let replayed = decision.refusal,
               recorded.reason != replayed.reason || recorded.values != replayed.values {
                let describe = { (reason: RIPAError.Reason, values: [String: String]) in
                    "\(reason) \(values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
                }
                let was = describe(recorded.reason, recorded.values), now = replayed.reason.map { describe($0, replayed.values) } ?? "none"
                throw RIPAError(
                    .refused, "the view was recorded as refused for \(was) but the gate refuses it for \(now)",
                    reason: .gateRefusalDiffers, values: ["recorded": was, "replayed": now])
            }
        }
        let outcome: ViewRecord.Outcome = !decision.allowed ? .refused : decision.basis == .initialExamination ? .initial : .authorised
        // Stored under its keyed tag where it has one: the projection never holds the profile.
        return ViewRecord(
            seq: entry.seq, profileKey: body.profileTag ?? body.profile, time: entry.time, viewer: viewer.userID, caseRef: body.caseRef,
            urn: body.urn, outcome: outcome)
    }

    /// The checks every view's case reference, purpose and cited URN pass, live and in replay:
    /// a case reference and a purpose, not blank, each one line.
    static func checkFields(caseRef: String, purpose: String, urn: String?) throws(RIPAError) {
        // Newlines too: a case or purpose of "\n" says nothing.
        for (field, label, value) in [("case_ref", "a case reference", caseRef), ("purpose", "a purpose", purpose)] where value.isBlank {
            throw RIPAError(
                .badInput, "every view needs \(label): the register records which case and why (RIPA.md §5)",
                reason: .inputMissing, values: ["field": field])
        }
        try TextField.check(caseRef, "case_ref", label: "case reference")
        try TextField.check(purpose, "purpose")
        try TextField.check(urn, "urn", label: "authorisation")
    }
}
