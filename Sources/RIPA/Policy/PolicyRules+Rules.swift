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

    /// How long the central record and its documents are kept after each authorisation ends.
    public struct Retention: Sendable, Hashable, Codable {
        /// Whole years; the Code of Practice (para 8.1) asks for at least 3.
        public var years: Int
        /// The legal source.
        public var source: String

        /// Creates the rule.
        public init(years: Int, source: String) {
            self.years = years
            self.source = source
        }
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
