/// Every kind of entry the register writes, and who may sign it.
///
/// This table is the one place the register's authority rules live: the writer checks it
/// before appending and `ripa verify` checks every entry against it, so an entry signed
/// by a user without the right role at that point is caught even if written behind the
/// tool's back.
public enum EntryKind: String, Sendable, Codable, CaseIterable {
    /// Genesis: origin and the register's first verifier key.
    case registerCreated = "register.created"
    /// The register key is replaced; signed by the old key.
    case registerKeyRotated = "register.key-rotated"
    /// A person is enrolled: an invitation with a one-time code's hash, no key yet.
    case userInvited = "user.invited"
    /// The person accepts, naming their new key; signed by that key (proof of possession).
    case userAccepted = "user.accepted"
    /// Another administrator approves a grant of privileged roles (two-person control).
    case userApproved = "user.approved"
    /// A user's key is replaced (a new passphrase); signed by the old key.
    case userKeyReplaced = "user.key-replaced"
    /// A user's roles change.
    case userRolesChanged = "user.roles-changed"
    /// A user is revoked (or an unaccepted invitation withdrawn) and can sign nothing more.
    case userRevoked = "user.revoked"
    /// A policy pack (rules + offence catalogue) comes into force.
    case policyAdopted = "policy.adopted"
    /// An application passed the threshold and was accepted with a URN.
    case applicationSubmitted = "application.submitted"
    /// An application failed the serious crime threshold (SI 2010/521 art. 7A).
    case applicationRefused = "application.refused"
    /// The authorising officer grants (RIPA s.28/s.29); effect awaits the JP (s.32A).
    case authorisationGranted = "authorisation.granted"
    /// The authorising officer refuses.
    case authorisationRefused = "authorisation.refused"
    /// A justice of the peace approves, refuses or quashes (RIPA s.32A/s.32B).
    case judicialDecision = "judicial.decision"
    /// A review by the authorising officer.
    case authorisationReviewed = "authorisation.reviewed"
    /// A renewal by the authorising officer, before expiry (s.43).
    case authorisationRenewed = "authorisation.renewed"
    /// A cancellation (s.45).
    case authorisationCancelled = "authorisation.cancelled"
    /// A look at a profile, allowed by the viewing gate.
    case viewRecorded = "view.recorded"
    /// A look at a profile, refused by the viewing gate.
    case viewRefused = "view.refused"
    /// Two profile keys are recorded as one account (an X handle and its numeric id): the
    /// gate counts and authorises them as one from then on (RIPA.md §5).
    case profileAliased = "profile.aliased"
    /// A legal hold on a case (a complaint to the Investigatory Powers Tribunal, litigation):
    /// its personal data is not destroyed while the hold stands (docs/retention.md).
    case retentionHoldPlaced = "retention.hold-placed"
    /// A legal hold is released; the case's retention runs again.
    case retentionHoldReleased = "retention.hold-released"
    /// An administrator asks for the personal data of cases past their retention to be
    /// destroyed; nothing is destroyed until a second administrator approves.
    case retentionDestructionRequested = "retention.destruction-requested"
    /// A second administrator approves a request: the cases' data keys are destroyed in the
    /// same transaction, so their personal data can no longer be read from any entry.
    case personalDataDestroyed = "personal-data.destroyed"
    /// The register's witnesses and the quorum of cosignatures its checkpoints need, as a C2SP
    /// tlog-policy text (docs/witnesses.md): in force from this entry on.
    case witnessPolicyAdopted = "witness.policy-adopted"
    /// Cases' data keys handed to an inspector, sealed to their key in an export bundle: a
    /// disclosure of personal data, recorded before the bundle is written (docs/bundles.md).
    case dataKeysDisclosed = "data-keys.disclosed"

    /// Who may sign an entry of a kind.
    public enum Signer: Sendable, Equatable {
        /// The register key (genesis, rotation).
        case registerKey
        /// A user holding one of these roles.
        case role([Role])
        /// The user the entry is about, with their key in force, whatever their roles.
        case subject
        /// The new key the entry names (an acceptance: proof of possession).
        case newKey
    }

    /// Who may sign this kind.
    ///
    /// At `init` the register key also signs the first `policy.adopted` (entry 1) and the
    /// founding administrators' `user.invited` (entries 2 on); `permitsRegisterKey(at:founders:)` says so.
    public var signer: Signer {
        switch self {
        case .registerCreated, .registerKeyRotated: .registerKey
        case .userInvited, .userApproved, .userRolesChanged, .userRevoked, .policyAdopted: .role([.administrator])
        case .userAccepted: .newKey
        case .userKeyReplaced: .subject
        case .applicationSubmitted, .applicationRefused, .viewRecorded, .viewRefused: .role([.investigator])
        // An alias widens what an authorisation naming either key covers, so the authorising
        // officer records it, not an investigator.
        case .authorisationGranted, .authorisationRefused, .authorisationReviewed, .authorisationRenewed,
            .authorisationCancelled, .profileAliased:
            .role([.monitoringOfficer])
        // The applicant or the authorising officer attends court and records the outcome.
        case .judicialDecision: .role([.investigator, .monitoringOfficer])
        // A hold only keeps data longer, so the monitoring officer (who hears of a complaint to
        // the Tribunal or of litigation) may place and release one as well as an administrator;
        // destruction itself is the administrators' alone, with two of them (docs/retention.md).
        case .retentionHoldPlaced, .retentionHoldReleased: .role([.administrator, .monitoringOfficer])
        case .retentionDestructionRequested, .personalDataDestroyed: .role([.administrator])
        // Who the register answers to is a decision of the authority, like its pack.
        case .witnessPolicyAdopted: .role([.administrator])
        // Handing personal data to an inspector is the authority's disclosure, like destruction.
        case .dataKeysDisclosed: .role([.administrator])
        }
    }

    /// Whether the register key may sign this kind at this index, in a register with this
    /// many founding administrators: genesis at 0, the initial pack at 1, the founders'
    /// invitations right after (all in `init`'s one transaction), rotations later.
    public func permitsRegisterKey(at seq: UInt64, founders: Int) -> Bool {
        switch self {
        case .registerCreated: seq == 0
        case .registerKeyRotated: seq > 0
        case .policyAdopted: seq == 1
        case .userInvited: seq >= 2 && seq < 2 + UInt64(founders)
        default: false
        }
    }

    /// Whether a user with these roles may sign this kind.
    public func permits(roles: [Role]) -> Bool {
        switch signer {
        case .role(let allowed): roles.contains(where: allowed.contains)
        case .subject: true
        case .registerKey, .newKey: false
        }
    }

    /// The roles that may sign, for messages.
    public var rolesText: String {
        switch signer {
        case .registerKey: "the register key"
        case .role(let roles): roles.map(\.rawValue).joined(separator: " or ")
        case .subject: "the user's own key"
        case .newKey: "the new key it names"
        }
    }
}
