import Foundation

/// The rules of a policy pack (`ripa-register/policy-pack/v1`, e.g.
/// Policies/england-wales-local-authority.yaml): every number the register enforces, each with
/// the statute, statutory instrument or Code of Practice paragraph it comes from.
///
/// Encoded with the YAML's snake_case keys and only strings, integers, booleans, arrays and
/// objects, so its canonical JSON can be recorded in the register as the pack in force.
public struct PolicyRules: Sendable, Hashable, Codable {
    /// The value of the `schema` field that marks a policy pack file.
    public static let schemaID = "ripa-register/policy-pack/v1"

    /// Stable identifier of the pack, e.g. `england-wales-local-authority`.
    public var id: String
    /// The pack's version: a positive integer, raised whenever any rule changes.
    public var version: Int
    /// A human title, e.g. "England and Wales: local authority".
    public var title: String
    /// IANA time zone in which days begin and end, e.g. `Europe/London`.
    public var timeZone: String
    /// The serious crime threshold (SI 2010/521 art. 7A).
    public var seriousCrimeThreshold: SeriousCrimeThresholdRule
    /// How long each type of authorisation lasts (RIPA s.43(3)).
    public var durations: Durations
    /// Whether a magistrate must approve before an authorisation takes effect (RIPA s.32A).
    public var judicialApproval: JudicialApproval
    /// Whether urgent oral authorisations are possible (RIPA s.43(1A)).
    public var urgentOralAuthorisations: UrgentOralAuthorisations
    /// The default interval between reviews (Code of Practice).
    public var reviews: Reviews
    /// How long records are kept after an authorisation ends (Code of Practice para 8.1).
    public var retention: Retention
    /// The repeat-viewing rule for open-source profiles (Code of Practice paras 3.10–3.17).
    public var openSourceViewing: OpenSourceViewing
    /// Who may authorise when confidential information is likely (Code of Practice Annex A).
    public var confidentialInformation: ConfidentialInformation
    /// How many other administrators approve a grant of a privileged role, and how long an
    /// invitation lasts (RIPA.md §3, the council's own rule). Absent from a pack: 1 and 7 days.
    public var twoPersonControl: TwoPersonControl
    /// Archives, redirectors and mirrors of profiles, and identifying query parameters
    /// (`profile_addresses`); `nil` for a pack written before the section existed, which is
    /// read with ``ProfileAddressRules/defaults``.
    public var profileAddresses: ProfileAddressRules?
    /// Session and step-up limits (`sessions`); `nil` for a pack written before the section
    /// existed, which is read with ``Sessions/standard`` (`sessionRules`).
    public var sessions: Sessions?

    /// The address rules in force under this pack.
    public var addressRules: ProfileAddressRules { profileAddresses ?? .defaults }

    /// Creates a pack's rules.
    public init(
        id: String, version: Int, title: String, timeZone: String,
        seriousCrimeThreshold: SeriousCrimeThresholdRule, durations: Durations,
        judicialApproval: JudicialApproval, urgentOralAuthorisations: UrgentOralAuthorisations,
        reviews: Reviews, retention: Retention, openSourceViewing: OpenSourceViewing,
        confidentialInformation: ConfidentialInformation, twoPersonControl: TwoPersonControl = .standard,
        profileAddresses: ProfileAddressRules? = nil, sessions: Sessions? = nil
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.timeZone = timeZone
        self.seriousCrimeThreshold = seriousCrimeThreshold
        self.durations = durations
        self.judicialApproval = judicialApproval
        self.urgentOralAuthorisations = urgentOralAuthorisations
        self.reviews = reviews
        self.retention = retention
        self.openSourceViewing = openSourceViewing
        self.confidentialInformation = confidentialInformation
        self.twoPersonControl = twoPersonControl
        self.profileAddresses = profileAddresses
        self.sessions = sessions
    }

    /// The pack's time zone as a `TimeZone`.
    ///
    /// The loader and the decoder refuse an identifier the system does not know, so this only
    /// traps for rules built by hand with a bad identifier — a programming error.
    public var zone: TimeZone {
        guard let zone = TimeZone(identifier: timeZone) else {
            preconditionFailure("policy pack time zone \(timeZone) is not a known IANA time zone")
        }
        return zone
    }

    private enum CodingKeys: String, CodingKey {
        case schema, id, version, title
        case timeZone = "time_zone"
        case seriousCrimeThreshold = "serious_crime_threshold"
        case durations
        case judicialApproval = "judicial_approval"
        case urgentOralAuthorisations = "urgent_oral_authorisations"
        case reviews, retention
        case openSourceViewing = "open_source_viewing"
        case confidentialInformation = "confidential_information"
        case twoPersonControl = "two_person_control"
        case profileAddresses = "profile_addresses"
        case sessions
    }

    /// Decodes the rules from their recorded JSON, refusing another schema or an unknown time zone.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let schema = try c.decode(String.self, forKey: .schema)
        guard schema == Self.schemaID else {
            throw DecodingError.dataCorruptedError(
                forKey: .schema, in: c, debugDescription: "expected \(Self.schemaID), found \(schema)")
        }
        id = try c.decode(String.self, forKey: .id)
        version = try c.decode(Int.self, forKey: .version)
        title = try c.decode(String.self, forKey: .title)
        timeZone = try c.decode(String.self, forKey: .timeZone)
        guard TimeZone(identifier: timeZone) != nil else {
            throw DecodingError.dataCorruptedError(
                forKey: .timeZone, in: c, debugDescription: "unknown time zone \(timeZone)")
        }
        seriousCrimeThreshold = try c.decode(SeriousCrimeThresholdRule.self, forKey: .seriousCrimeThreshold)
        durations = try c.decode(Durations.self, forKey: .durations)
        judicialApproval = try c.decode(JudicialApproval.self, forKey: .judicialApproval)
        urgentOralAuthorisations = try c.decode(UrgentOralAuthorisations.self, forKey: .urgentOralAuthorisations)
        reviews = try c.decode(Reviews.self, forKey: .reviews)
        retention = try c.decodeIfPresent(Retention.self, forKey: .retention) ?? .standard
        openSourceViewing = try c.decode(OpenSourceViewing.self, forKey: .openSourceViewing)
        confidentialInformation = try c.decode(ConfidentialInformation.self, forKey: .confidentialInformation)
        twoPersonControl = try c.decodeIfPresent(TwoPersonControl.self, forKey: .twoPersonControl) ?? .standard
        profileAddresses = try c.decodeIfPresent(ProfileAddressRules.self, forKey: .profileAddresses)
        sessions = try c.decodeIfPresent(Sessions.self, forKey: .sessions)
    }

    /// Encodes with the `schema` field, so the JSON is itself a valid policy pack.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.schemaID, forKey: .schema)
        try c.encode(id, forKey: .id)
        try c.encode(version, forKey: .version)
        try c.encode(title, forKey: .title)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(seriousCrimeThreshold, forKey: .seriousCrimeThreshold)
        try c.encode(durations, forKey: .durations)
        try c.encode(judicialApproval, forKey: .judicialApproval)
        try c.encode(urgentOralAuthorisations, forKey: .urgentOralAuthorisations)
        try c.encode(reviews, forKey: .reviews)
        try c.encode(retention, forKey: .retention)
        try c.encode(openSourceViewing, forKey: .openSourceViewing)
        try c.encode(confidentialInformation, forKey: .confidentialInformation)
        try c.encode(twoPersonControl, forKey: .twoPersonControl)
        // Only when present: a pack recorded without the section must hash as it was recorded.
        try c.encodeIfPresent(profileAddresses, forKey: .profileAddresses)
        try c.encodeIfPresent(sessions, forKey: .sessions)
    }
}

extension PolicyRules {
    /// Two-person control over accounts (RIPA.md §3: no privileged role is granted by one
    /// person). Not statute: good practice for a register that must constrain its operators.
    public struct TwoPersonControl: Sendable, Hashable, Codable {
        /// Approvals a grant of monitoring-officer or administrator needs, each from an
        /// administrator other than the one who asked and the person. At least 1 on a real
        /// register; 0 only on a test register.
        public var approvals: Int
        /// Days an invitation's one-time code stays valid.
        public var invitationDays: Int
        /// Where the rule comes from.
        public var source: String

        /// The rule when a pack does not set it: one approval, seven days.
        public static let standard = TwoPersonControl(
            approvals: 1, invitationDays: 7,
            source: "RIPA.md §3: no privileged role (monitoring officer, administrator) is granted by one person; the council's own rule beyond the statute")

        /// Creates the rule.
        public init(approvals: Int, invitationDays: Int, source: String) {
            self.approvals = approvals
            self.invitationDays = invitationDays
            self.source = source
        }

        private enum CodingKeys: String, CodingKey {
            case approvals, invitationDays = "invitation_days", source
        }

        /// The floor: a real register needs at least one approval from a second administrator.
        ///
        /// - Throws: `RIPAError.policy` for 0 approvals on a real register.
        public func requireFloor(testRegister: Bool) throws(RIPAError) {
            guard approvals >= 1 || testRegister else {
                throw RIPAError(.policy, "two_person_control.approvals is 0, but a real register needs at least 1: no privileged role is granted by one person (RIPA.md §3); only a test register may set 0")
            }
        }
    }
}
