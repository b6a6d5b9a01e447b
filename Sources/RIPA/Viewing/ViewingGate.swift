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
        /// For a refused view, why, and what to do next.
        public var reason: String?
    }

    /// Decides a look at `profile` by `viewer` at `time`, citing `urn` or not.
    public static func decide(
        profile: String, viewer: String, urn: String?, at time: EntryTime, rules: PolicyRules, context: some CaseContext
    ) throws -> Decision {
        if let urn {
            guard let authorisation = try context.authorisation(urn: urn) else {
                return refused("\(urn) is not a case in this register; check the URN (`ripa status`)")
            }
            let state = authorisation.state(at: time)
            guard state == .active else {
                var detail = "\(urn) is \(state.rawValue)"
                if state == .expired, let end = authorisation.expiresAt(at: time) { detail += " (expired \(end))" }
                if state == .grantedAwaitingApproval { detail += ": no activity may rely on it until a JP approves it (RIPA s.32A)" }
                return refused("\(detail); a repeat view needs a live authorisation: apply for one (`ripa apply`) or cite one that is active")
            }
            // An authorisation naming any key recorded as the same account covers it.
            let group = try context.aliasGroup(of: profile)
            guard group.contains(where: authorisation.covers(profile:)) else {
                return refused("\(urn) does not name \(profile) among its subjects' online identities; cite the authorisation that does, or apply for one")
            }
            guard authorisation.isOnTeam(viewer) else {
                return refused("\(viewer) is not on the team of \(urn); ask the authorising officer to add you through a new authorisation, or have a team member look")
            }
            return Decision(allowed: true, basis: .authorisation, reason: nil)
        }

        let viewing = rules.openSourceViewing
        let since = viewing.windowDays.map { EntryTime(millisecondsSince1970: time.millisecondsSince1970 - Int64($0) * 86_400_000) }
        // Every allowed look counts, whether it was an initial examination or under an
        // authorisation since cancelled: a profile looked at under an authorisation has had
        // its first look, and a fresh "initial examination" after the cancellation would be
        // repeat viewing without one (Code of Practice 2018 paras 3.10-3.17).
        let earlier = try context.allowedViewCount(profile: profile, since: since)
        if earlier < viewing.unauthorisedViewsAllowed {
            return Decision(allowed: true, basis: .initialExamination, reason: nil)
        }
        let window = viewing.windowDays.map { " in the last \($0) days" } ?? ""
        var next = "apply for a directed surveillance authorisation naming this profile (`ripa apply`)"
        var covering: [Authorisation] = []
        for key in try context.aliasGroup(of: profile) {
            for authorisation in try context.authorisations(coveringProfile: key)
            where authorisation.isLive(at: time) && authorisation.isOnTeam(viewer) && !covering.contains(where: { $0.urn == authorisation.urn }) {
                covering.append(authorisation)
            }
        }
        covering = covering.sortedByURN()
        if !covering.isEmpty {
            next = "cite the live authorisation: --authorisation \(covering.map(\.urn).joined(separator: " or "))"
        }
        let allowance = viewing.unauthorisedViewsAllowed
        // With no allowance a first look is not a repeat: say what the pack requires instead.
        let what = allowance == 0
            ? "the policy in force allows no view of \(profile) without an authorisation (Code of Practice 2018 paras 3.10-3.17)"
            : "\(profile) has already had its \(allowance) initial examination\(allowance == 1 ? "" : "s")\(window); repeat viewing is directed surveillance, whether the earlier looks were initial examinations or under an authorisation (Code of Practice 2018 paras 3.10-3.17)"
        return refused("\(what): \(next)")
    }

    static func refused(_ reason: String) -> Decision {
        Decision(allowed: false, basis: nil, reason: reason)
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
        guard !body.caseRef.isBlank,
              !body.purpose.isBlank
        else {
            throw RIPAError(.badInput, "every view needs a case reference (--case) and a purpose (--purpose): the register records which case and why (RIPA.md §5)")
        }
        try TextField.check(body.caseRef, "case reference (--case)")
        try TextField.check(body.purpose, "purpose (--purpose)")
        try TextField.check(body.urn, "authorisation (--authorisation)")
        let decision = try decide(profile: body.profile, viewer: viewer.userID, urn: body.urn, at: entry.time, rules: adopted.policy.rules, context: context)
        switch kind {
        case .viewRecorded:
            guard decision.allowed, decision.basis == body.basis else {
                throw RIPAError(.refused, "the view was recorded as allowed (\(body.basis?.rawValue ?? "no basis")) but the gate refuses it: \(decision.reason ?? "different basis")")
            }
        default:
            guard !decision.allowed else {
                throw RIPAError(.refused, "the view was recorded as refused but the gate allows it (\(decision.basis?.rawValue ?? ""))")
            }
        }
        let outcome: ViewRecord.Outcome = !decision.allowed ? .refused : decision.basis == .initialExamination ? .initial : .authorised
        return ViewRecord(seq: entry.seq, profileKey: body.profile, time: entry.time, viewer: viewer.userID, caseRef: body.caseRef, urn: body.urn, outcome: outcome)
    }
}
