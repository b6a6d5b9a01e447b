extension PolicyRules {
    /// The serious crime threshold as the pack sets it (SI 2010/521 art. 7A).
    public struct SeriousCrimeThresholdRule: Sendable, Hashable, Codable {
        /// The shortest maximum term, in months, that passes: 6 under art. 7A(3)(a).
        public var minimumCustodyMonths: Int
        /// The authorisation types the threshold binds: directed surveillance only under art. 7A.
        public var appliesTo: [AuthorisationType]
        /// Catalogue ids of the underage-sales offences art. 7A(3)(b) exempts.
        public var exemptOffences: [String]
        /// The legal source of the rule.
        public var source: String

        /// Creates the rule.
        public init(minimumCustodyMonths: Int, appliesTo: [AuthorisationType], exemptOffences: [String], source: String) {
            self.minimumCustodyMonths = minimumCustodyMonths
            self.appliesTo = appliesTo
            self.exemptOffences = exemptOffences
            self.source = source
        }

        /// Whether the threshold binds applications of this type.
        public func binds(_ type: AuthorisationType) -> Bool { appliesTo.contains(type) }

        private enum CodingKeys: String, CodingKey {
            case minimumCustodyMonths = "minimum_custody_months"
            case appliesTo = "applies_to"
            case exemptOffences = "exempt_offences"
            case source
        }
    }

    /// How long one type of authorisation lasts, in calendar months.
    public struct Duration: Sendable, Hashable, Codable {
        /// The period in calendar months, counted as RIPA s.43(3) says (see `AuthorisationPeriod`).
        public var months: Int
        /// The legal source of the period.
        public var source: String

        /// Creates a duration.
        public init(months: Int, source: String) {
            self.months = months
            self.source = source
        }
    }

    /// The durations of the three authorisation types, as three named fields so that the
    /// encoded JSON is a plain object (JSONEncoder writes enum-keyed dictionaries as arrays).
    public struct Durations: Sendable, Hashable, Codable {
        /// Directed surveillance: 3 months, RIPA s.43(3)(c).
        public var directedSurveillance: Duration
        /// A covert human intelligence source: 12 months, RIPA s.43(3)(b).
        public var chis: Duration
        /// A juvenile source: 4 months, SI 2000/2793 art. 6 as amended by SI 2018/715.
        public var juvenileCHIS: Duration

        /// Creates the durations.
        public init(directedSurveillance: Duration, chis: Duration, juvenileCHIS: Duration) {
            self.directedSurveillance = directedSurveillance
            self.chis = chis
            self.juvenileCHIS = juvenileCHIS
        }

        /// The duration for one type.
        public subscript(type: AuthorisationType) -> Duration {
            switch type {
            case .directedSurveillance: directedSurveillance
            case .chis: chis
            case .juvenileCHIS: juvenileCHIS
            }
        }

        /// The number of calendar months an authorisation of this type lasts.
        public func months(for type: AuthorisationType) -> Int { self[type].months }

        private enum CodingKeys: String, CodingKey {
            case directedSurveillance = "directed_surveillance"
            case chis
            case juvenileCHIS = "juvenile_chis"
        }
    }

    /// Whether a justice of the peace must approve a grant or renewal before it takes effect.
    public struct JudicialApproval: Sendable, Hashable, Codable {
        /// True for a council: RIPA s.32A.
        public var required: Bool
        /// The legal source.
        public var source: String

        /// Creates the rule.
        public init(required: Bool, source: String) {
            self.required = required
            self.source = source
        }
    }

    /// Whether an authorisation may be granted orally in an urgent case.
    public struct UrgentOralAuthorisations: Sendable, Hashable, Codable {
        /// False for a council: RIPA s.43(1A).
        public var allowed: Bool
        /// The legal source.
        public var source: String

        /// Creates the rule.
        public init(allowed: Bool, source: String) {
            self.allowed = allowed
            self.source = source
        }
    }

    /// The default interval between reviews, which the authorising officer may change per authorisation.
    public struct Reviews: Sendable, Hashable, Codable {
        /// Days between reviews when the officer sets no other interval.
        public var defaultIntervalDays: Int
        /// Whether an officer may set a shorter interval for an authorisation (`officer_may_shorten`).
        /// Absent means no: an officer may never set a longer one. Optional, and left out of the
        /// recorded JSON when absent, so that packs adopted before the field existed keep their hash.
        public var officerMayShorten: Bool?
        /// The source: the Code of Practice leaves the frequency to the authorising officer.
        public var source: String

        /// Creates the rule.
        public init(defaultIntervalDays: Int, officerMayShorten: Bool? = nil, source: String) {
            self.defaultIntervalDays = defaultIntervalDays
            self.officerMayShorten = officerMayShorten
            self.source = source
        }

        /// Whether an officer may shorten the interval.
        public var mayShorten: Bool { officerMayShorten ?? false }

        private enum CodingKeys: String, CodingKey {
            case defaultIntervalDays = "default_interval_days"
            case officerMayShorten = "officer_may_shorten"
            case source
        }
    }

    /// How long each kind of record's personal data is kept (docs/retention.md): the central
    /// record's after each authorisation ends (`years`, Code of Practice para 8.1), and the
    /// optional periods of the other kinds, each read with its default when a pack leaves it out.
    public struct Retention: Sendable, Hashable, Codable {
        /// Whole years the central record's personal data is kept after the authorisation ends
        /// (its cancellation, or its expiry if never cancelled); at least 3 (Code of Practice para 8.1).
        public var years: Int
        /// The legal source.
        public var source: String
        /// Looks at profiles made without an authorisation, from the case's last look.
        public var looksWithoutAuthorisation: RetentionPeriod?
        /// Applications refused by the authorising officer or a justice of the peace, from the refusal.
        public var refusedApplications: RetentionPeriod?
        /// Users' staff data (name, rank), from the end of their account.
        public var staffData: RetentionPeriod?

        /// Creates the rule.
        public init(
            years: Int, source: String, looksWithoutAuthorisation: RetentionPeriod? = nil, refusedApplications: RetentionPeriod? = nil,
            staffData: RetentionPeriod? = nil
        ) {
            self.years = years
            self.source = source
            self.looksWithoutAuthorisation = looksWithoutAuthorisation
            self.refusedApplications = refusedApplications
            self.staffData = staffData
        }

        /// The rule of a pack without a `retention` section: five years for the central record,
        /// as many councils keep it (two more than the Code's floor), and the other defaults.
        public static let standard = Retention(
            years: 5,
            source: "Covert Surveillance and Property Interference Revised Code of Practice (2018) para 8.1: at least three years from the ending of each authorisation; five, as many councils keep it")

        /// The looks rule in force: the pack's, or one year.
        public var looks: RetentionPeriod { looksWithoutAuthorisation ?? .looksStandard }
        /// The refused-applications rule in force: the pack's, or one year.
        public var refused: RetentionPeriod { refusedApplications ?? .refusedStandard }
        /// The staff-data rule in force: the pack's, or six years (or the central record's
        /// period, if longer: the record names the officers).
        public var staff: RetentionPeriod {
            if let staffData { return staffData }
            var standard = RetentionPeriod.staffStandard
            standard.months = max(standard.months, years * 12)
            return standard
        }

        private enum CodingKeys: String, CodingKey {
            case years, source
            case looksWithoutAuthorisation = "looks_without_authorisation"
            case refusedApplications = "refused_applications"
            case staffData = "staff_data"
        }
        // Synthesised coding writes the optional periods only when present, so a pack recorded
        // before they existed hashes as it was recorded.
    }

    /// A retention period in whole months, with where it comes from.
    public struct RetentionPeriod: Sendable, Hashable, Codable {
        /// Calendar months.
        public var months: Int
        /// The legal source or the council's reason.
        public var source: String

        /// Creates the period.
        public init(months: Int, source: String) {
            self.months = months
            self.source = source
        }

        /// Looks without an authorisation: a year from the case's last look.
        public static let looksStandard = RetentionPeriod(
            months: 12,
            source: "UK GDPR Art 5(1)(e) and Data Protection Act 2018 s.39: kept no longer than necessary; a year after the last look, long enough to answer a complaint about it")
        /// Refused applications: a year from the refusal.
        public static let refusedStandard = RetentionPeriod(
            months: 12,
            source: "UK GDPR Art 5(1)(e) and Data Protection Act 2018 s.39: kept no longer than necessary; a refused application authorised nothing")
        /// Staff data: six years from the end of the account.
        public static let staffStandard = RetentionPeriod(
            months: 72,
            source: "Limitation Act 1980 s.5 (six years for claims in contract), as councils keep personnel records")
    }

    /// The repeat-viewing rule for a person's open-source profile (RIPA.md §5).
    public struct OpenSourceViewing: Sendable, Hashable, Codable {
        /// How many views of one profile are allowed without an authorisation (1: the first look).
        public var unauthorisedViewsAllowed: Int
        /// The window, in days, over which those views are counted; `nil` means ever.
        public var windowDays: Int?
        /// The legal source.
        public var source: String

        /// Creates the rule.
        public init(unauthorisedViewsAllowed: Int, windowDays: Int?, source: String) {
            self.unauthorisedViewsAllowed = unauthorisedViewsAllowed
            self.windowDays = windowDays
            self.source = source
        }

        private enum CodingKeys: String, CodingKey {
            case unauthorisedViewsAllowed = "unauthorised_views_allowed"
            case windowDays = "window_days"
            case source
        }
    }

    /// Who may authorise where confidential or journalistic material is likely to be obtained.
    public struct ConfidentialInformation: Sendable, Hashable, Codable {
        /// The officer who may authorise such a case.
        public var authoriser: Authoriser
        /// The legal source.
        public var source: String

        /// Creates the rule.
        public init(authoriser: Authoriser, source: String) {
            self.authoriser = authoriser
            self.source = source
        }

        /// The officers a pack may name as the authoriser for confidential information.
        public enum Authoriser: String, Sendable, Hashable, Codable, CaseIterable {
            /// The Head of Paid Service (chief executive), or whoever acts in that role in their
            /// absence: Code of Practice Annex A for a local authority.
            case headOfPaidService = "head-of-paid-service"
        }
    }
}
