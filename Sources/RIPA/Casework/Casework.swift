import Foundation
import Ledger
import RegisterStorage

/// The register's decisions as one pure function: given the register just before an
/// entry (a `CaseContext`) and the entry, check that the entry's decision follows the
/// rules in force and say what it changes.
///
/// The live register runs it on every append (a refusal rolls the append back), and
/// `ripa verify --replay` runs it on every entry of the log; so a decision written behind
/// the tool's back, or under a bug since fixed, is found and named.
public enum Casework {
    /// What an entry changes.
    public enum Effect: Sendable {
        /// Nothing beyond the log.
        case none
        /// A new pack is in force.
        case policy(AdoptedPolicy)
        /// A case was created or changed.
        case authorisation(Authorisation)
        /// A look at a profile was recorded.
        case view(ViewRecord)
        /// Two profile keys were recorded as one account.
        case alias(ProfileAliasing)
    }

    /// Checks and applies one domain entry.
    ///
    /// - Throws: `RIPAError` naming the rule the entry breaks.
    public static func apply(_ entry: Entry, kind: EntryKind, context: some CaseContext) throws -> Effect {
        // The initial pack is signed by the register key at `init` (no user holds a key yet);
        // later ones by an administrator. Either way the rule is the same.
        if kind == .policyAdopted {
            let body = try entry.body.decode(PolicyAdoption.self)
            guard try PolicyAdoption.hash(of: body.policy) == body.hash else {
                throw RIPAError(.policy, "the adopted pack's hash does not match its content")
            }
            // The statute is a floor no pack may go below, and versions only increase.
            try StatutoryFloor.requireAdoptable(body.policy, replacing: try context.policy()?.policy.rules)
            try body.policy.rules.twoPersonControl.requireFloor(testRegister: try context.isTestRegister())
            return .policy(AdoptedPolicy(policy: body.policy, hash: body.hash, seq: entry.seq))
        }
        guard let signer = try context.user(publicKey: entry.signer) else {
            throw RIPAError(.unknownUser, "entry \(entry.seq) is signed by a key no user holds")
        }
        let officer = Authorisation.Officer(userID: signer.userID, name: signer.name, rank: signer.rank)
        switch kind {
        case .policyAdopted:
            return .none

        case .applicationSubmitted:
            let body = try entry.body.decode(ApplicationSubmission.self)
            let adopted = try policyInForce(context, hash: body.policyHash)
            try checkApplication(body.application, applicant: signer.userID, context: context)
            try body.application.requireDuration(within: adopted.policy.rules)
            let threshold = try SeriousCrimeThreshold.evaluate(type: body.application.type, offenceIDs: body.application.offences, policy: adopted.policy)
            guard threshold.passes, threshold == body.threshold else {
                throw RIPAError(.refused, "the application was accepted but the serious crime threshold \(threshold.passes ? "gives a different result" : "fails"): \(threshold.summary)")
            }
            let expected = try nextURN(type: body.application.type, at: entry.time, rules: adopted.policy.rules, context: context)
            guard body.urn == expected else {
                throw RIPAError(.badInput, "the application took URN \(body.urn) but the next URN was \(expected)")
            }
            return .authorisation(Authorisation(submission: body, applicant: signer.userID, at: entry.time))

        case .applicationRefused:
            let body = try entry.body.decode(ApplicationRefusal.self)
            let adopted = try policyInForce(context, hash: body.policyHash)
            let threshold = try SeriousCrimeThreshold.evaluate(type: body.type, offenceIDs: body.threshold.findings.map(\.offenceID), policy: adopted.policy)
            guard !threshold.passes, threshold == body.threshold else {
                throw RIPAError(.refused, "the application was refused at the threshold but the threshold \(threshold.passes ? "passes" : "gives a different result"): \(threshold.summary)")
            }
            return .none

        case .authorisationGranted:
            let body = try entry.body.decode(GrantDecision.self)
            var authorisation = try existing(body.urn, context)
            try authorisation.grant(body, by: officer, headOfPaidService: signer.headOfPaidService, at: entry.time)
            try authorisation.requireFirstReview(body, at: entry.time, rules: try policyInForce(context, hash: nil).policy.rules)
            return .authorisation(authorisation)

        case .authorisationRefused:
            let body = try entry.body.decode(RefusalDecision.self)
            var authorisation = try existing(body.urn, context)
            try authorisation.refuse(body, by: officer, at: entry.time)
            return .authorisation(authorisation)

        case .judicialDecision:
            let body = try entry.body.decode(JudicialDecision.self)
            var authorisation = try existing(body.urn, context)
            let adopted = try policyInForce(context, hash: nil)
            try authorisation.recordJudicial(
                body, by: officer, monitoringOfficer: signer.roles.contains(Role.monitoringOfficer.rawValue), at: entry.time,
                rules: adopted.policy.rules)
            return .authorisation(authorisation)

        case .authorisationReviewed:
            let body = try entry.body.decode(ReviewRecord.self)
            var authorisation = try existing(body.urn, context)
            let adopted = try policyInForce(context, hash: nil)
            try authorisation.review(body, by: officer, at: entry.time, rules: adopted.policy.rules)
            return .authorisation(authorisation)

        case .authorisationRenewed:
            let body = try entry.body.decode(RenewalRecord.self)
            var authorisation = try existing(body.urn, context)
            try authorisation.renew(body, by: officer, headOfPaidService: signer.headOfPaidService, at: entry.time)
            return .authorisation(authorisation)

        case .authorisationCancelled:
            let body = try entry.body.decode(CancellationRecord.self)
            var authorisation = try existing(body.urn, context)
            try authorisation.cancel(body, by: officer, at: entry.time)
            return .authorisation(authorisation)

        case .viewRecorded, .viewRefused:
            return .view(try ViewingGate.check(entry, kind: kind, viewer: signer, context: context))

        case .profileAliased:
            let body = try ProfileAliasing(json: entry.body)
            try body.check(rules: try policyInForce(context, hash: nil).policy.rules.addressRules, context: context)
            return .alias(body)

        case .registerCreated, .registerKeyRotated, .userInvited, .userAccepted, .userApproved, .userKeyReplaced,
            .userRolesChanged, .userRevoked:
            return .none

        // Checked by `RetentionLedger`, live in `RetentionService` and in `verify --replay`.
        case .retentionHoldPlaced, .retentionHoldReleased, .retentionDestructionRequested, .personalDataDestroyed:
            return .none

        // Checked by `WitnessVerifier` in `verify`: it decides nothing about a case.
        case .witnessPolicyAdopted:
            return .none

        case .dataKeysDisclosed:
            try entry.body.decode(DataKeysDisclosure.self).check()
            return .none
        }
    }

    /// The pack in force; with a hash, the decision must name it.
    static func policyInForce(_ context: some CaseContext, hash: String?) throws -> AdoptedPolicy {
        guard let adopted = try context.policy() else {
            throw RIPAError(.policy, "no policy pack is in force; an administrator must adopt one", reason: .policyNone)
        }
        if let hash, hash != adopted.hash {
            throw RIPAError(.policy, "the decision names policy \(hash.prefix(12))… but the pack in force is \(adopted.hash.prefix(12))…")
        }
        return adopted
    }

    static func existing(_ urn: String, _ context: some CaseContext) throws -> Authorisation {
        guard let authorisation = try context.authorisation(urn: urn) else {
            throw RIPAError(.unknownURN, "no case \(urn)", reason: .caseUnknown, values: ["urn": urn])
        }
        return authorisation
    }

    /// The next URN: `<prefix>-<year>-<NNNN>`, numbered per type and year (Europe/London).
    public static func nextURN(type: AuthorisationType, at time: EntryTime, rules: PolicyRules, context: some CaseContext) throws -> String {
        let year = CivilDate.containing(time.date, in: rules.zone).year
        return URN(type: type, year: year, number: try context.urnCount(type: type, year: year) + 1).description
    }

    /// The year in a URN.
    static func year(ofURN urn: String) -> Int {
        URN(urn)?.year ?? 0
    }

    static func checkApplication(_ application: Application, applicant: String, context: some CaseContext) throws {
        try application.validate()
        guard application.team.contains(applicant) else {
            throw RIPAError(.badInput, "the applicant must be on the team")
        }
        for member in application.team {
            guard let user = try context.user(id: member), user.isActive else {
                throw RIPAError(.unknownUser, "team member '\(member)' is not an active user", reason: .userNotActiveTeamMember, values: ["user_id": member])
            }
        }
        // With the pack in force: the pack's address rules (archives, mirrors) are part of
        // the normalisation, and replay must reach the keys the live register recorded.
        let rules = try policyInForce(context, hash: nil).policy.rules.addressRules
        for subject in application.subjects {
            for identity in subject.onlineIdentities {
                let normalised = try OnlineIdentity(address: identity.address, rules: rules)
                guard normalised.profile.utf8.elementsEqual(identity.profile.utf8) else {
                    throw RIPAError(.badInput, "online identity \(identity.address) is recorded as \(identity.profile) but names \(normalised.profile)")
                }
            }
        }
    }
}
