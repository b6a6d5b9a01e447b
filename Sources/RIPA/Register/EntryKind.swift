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
    /// A user is enrolled with roles and a public key.
    case userEnrolled = "user.enrolled"
    /// A user's roles change.
    case userRolesChanged = "user.roles-changed"
    /// A user is revoked and can sign nothing more.
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

    /// Who may sign an entry of a kind.
    public enum Signer: Sendable, Equatable {
        /// The register key (genesis, the first administrator, rotation).
        case registerKey
        /// A user holding one of these roles.
        case role([Role])
    }

    /// Who may sign this kind.
    ///
    /// `user.enrolled` is also signed by the register key once, at entry 1, for the first
    /// administrator; `permits(registerKeyAt:)` says so.
    public var signer: Signer {
        switch self {
        case .registerCreated, .registerKeyRotated: .registerKey
        case .userEnrolled, .userRolesChanged, .userRevoked, .policyAdopted: .role([.administrator])
        case .applicationSubmitted, .applicationRefused, .viewRecorded, .viewRefused: .role([.investigator])
        // An alias widens what an authorisation naming either key covers, so the authorising
        // officer records it, not an investigator.
        case .authorisationGranted, .authorisationRefused, .authorisationReviewed, .authorisationRenewed,
            .authorisationCancelled, .profileAliased:
            .role([.monitoringOfficer])
        // The applicant or the authorising officer attends court and records the outcome.
        case .judicialDecision: .role([.investigator, .monitoringOfficer])
        }
    }

    /// Whether the register key may sign this kind at this index.
    public func permitsRegisterKey(at seq: UInt64) -> Bool {
        switch self {
        case .registerCreated: seq == 0
        case .registerKeyRotated: seq > 0
        case .userEnrolled: seq == 1
        default: false
        }
    }

    /// Whether a user with these roles may sign this kind.
    public func permits(roles: [Role]) -> Bool {
        guard case .role(let allowed) = signer else { return false }
        return roles.contains(where: allowed.contains)
    }

    /// The roles that may sign, for messages.
    public var rolesText: String {
        switch signer {
        case .registerKey: "the register key"
        case .role(let roles): roles.map(\.rawValue).joined(separator: " or ")
        }
    }
}
