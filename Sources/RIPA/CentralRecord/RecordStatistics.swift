import Foundation
import Ledger

/// The counts a council's annual return to the Investigatory Powers Commissioner needs for
/// one calendar year: applications, refusals by reason, grants by type, renewals,
/// cancellations, judicial refusals, and authorisations that expired without a cancellation.
///
/// Each event is counted in the year it happened in the pack's time zone (Europe/London):
/// an application by when it was made, a refusal or grant by when it was decided, a renewal by
/// when the authorising officer renewed (whatever the JP then decided), a cancellation by when
/// it was recorded, an expiry by the last day of the authorisation. Encodes with snake_case
/// keys and integers only.
public struct RecordStatistics: Sendable, Hashable, Codable {
    /// A count for each type of authorisation.
    public struct ByType: Sendable, Hashable, Codable {
        /// Directed surveillance (RIPA s.28).
        public var directedSurveillance = 0
        /// Covert human intelligence sources (s.29).
        public var chis = 0
        /// Juvenile covert human intelligence sources (SI 2000/2793).
        public var juvenileCHIS = 0

        enum CodingKeys: String, CodingKey {
            case directedSurveillance = "directed_surveillance", chis, juvenileCHIS = "juvenile_chis"
        }

        /// Makes counts.
        public init(directedSurveillance: Int = 0, chis: Int = 0, juvenileCHIS: Int = 0) {
            self.directedSurveillance = directedSurveillance
            self.chis = chis
            self.juvenileCHIS = juvenileCHIS
        }

        /// The count for one type.
        public subscript(type: AuthorisationType) -> Int {
            get {
                switch type {
                case .directedSurveillance: directedSurveillance
                case .chis: chis
                case .juvenileCHIS: juvenileCHIS
                }
            }
            set {
                switch type {
                case .directedSurveillance: directedSurveillance = newValue
                case .chis: chis = newValue
                case .juvenileCHIS: juvenileCHIS = newValue
                }
            }
        }

        /// The sum over the types.
        public var total: Int { directedSurveillance + chis + juvenileCHIS }
    }

    /// Applications made in the year.
    public struct Applications: Sendable, Hashable, Codable {
        /// Every application: accepted plus refused at the threshold.
        public var total = 0
        /// Accepted under a URN (they passed the serious crime threshold, or it did not bind them).
        public var accepted = 0
        /// Refused at the serious crime threshold (SI 2010/521 art. 7A).
        public var refusedAtThreshold = 0
        /// Every application, by type.
        public var byType = ByType()

        enum CodingKeys: String, CodingKey {
            case total, accepted, refusedAtThreshold = "refused_at_threshold", byType = "by_type"
        }
    }

    /// Applications and authorisations refused in the year, by who refused and why.
    public struct Refusals: Sendable, Hashable, Codable {
        /// Refused at the serious crime threshold before acceptance (SI 2010/521 art. 7A).
        public var seriousCrimeThreshold = 0
        /// Refused by the authorising officer.
        public var authorisingOfficer = 0
        /// Grants a justice of the peace refused to approve (RIPA s.32A).
        public var judicialRefused = 0
        /// Grants a justice of the peace refused and quashed (RIPA s.32B).
        public var judicialQuashed = 0

        enum CodingKeys: String, CodingKey {
            case seriousCrimeThreshold = "serious_crime_threshold", authorisingOfficer = "authorising_officer",
                judicialRefused = "judicial_refused", judicialQuashed = "judicial_quashed", total
        }

        /// All refusals.
        public var total: Int { seriousCrimeThreshold + authorisingOfficer + judicialRefused + judicialQuashed }

        /// Makes counts.
        public init(seriousCrimeThreshold: Int = 0, authorisingOfficer: Int = 0, judicialRefused: Int = 0, judicialQuashed: Int = 0) {
            self.seriousCrimeThreshold = seriousCrimeThreshold
            self.authorisingOfficer = authorisingOfficer
            self.judicialRefused = judicialRefused
            self.judicialQuashed = judicialQuashed
        }

        /// Decodes the counts (the encoded `total` is derived, so it is not read back).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            seriousCrimeThreshold = try c.decode(Int.self, forKey: .seriousCrimeThreshold)
            authorisingOfficer = try c.decode(Int.self, forKey: .authorisingOfficer)
            judicialRefused = try c.decode(Int.self, forKey: .judicialRefused)
            judicialQuashed = try c.decode(Int.self, forKey: .judicialQuashed)
        }

        /// Encodes the counts and their total.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(seriousCrimeThreshold, forKey: .seriousCrimeThreshold)
            try c.encode(authorisingOfficer, forKey: .authorisingOfficer)
            try c.encode(judicialRefused, forKey: .judicialRefused)
            try c.encode(judicialQuashed, forKey: .judicialQuashed)
            try c.encode(total, forKey: .total)
        }
    }

    /// Renewals the authorising officer granted in the year, by what the JP decided.
    public struct Renewals: Sendable, Hashable, Codable {
        /// Every renewal granted in the year.
        public var total = 0
        /// Approved by a justice of the peace.
        public var approved = 0
        /// Refused, or refused and quashed, by a justice of the peace.
        public var notApproved = 0
        /// Still awaiting the JP at the time of the return.
        public var awaitingApproval = 0

        enum CodingKeys: String, CodingKey {
            case total, approved, notApproved = "not_approved", awaitingApproval = "awaiting_approval"
        }
    }

    /// Cancellations recorded in the year.
    public struct Cancellations: Sendable, Hashable, Codable {
        /// Every cancellation.
        public var total = 0
        /// Those recorded only after the authorisation had already expired.
        public var afterExpiry = 0

        enum CodingKeys: String, CodingKey { case total, afterExpiry = "after_expiry" }
    }

    /// The calendar year counted.
    public var year: Int
    /// The time zone in which the year's days were counted.
    public var timeZone: String
    /// Applications made.
    public var applications = Applications()
    /// Refusals by reason.
    public var refusals = Refusals()
    /// Authorisations granted by the authorising officer, by type.
    public var grants = ByType()
    /// Renewals, approved or not.
    public var renewals = Renewals()
    /// Cancellations.
    public var cancellations = Cancellations()
    /// Every decision of a justice of the peace in the year that refused, or refused and quashed,
    /// a grant or a renewal (RIPA s.32A, s.32B).
    public var judicialRefusals = 0
    /// Authorisations whose last day fell in the year (and had passed at the time of the
    /// return) with no cancellation recorded by then.
    public var expiredWithoutCancellation = 0

    enum CodingKeys: String, CodingKey {
        case year, timeZone = "time_zone", applications, refusals, grants, renewals, cancellations,
            judicialRefusals = "judicial_refusals", expiredWithoutCancellation = "expired_without_cancellation"
    }

    /// Makes empty counts for a year.
    public init(year: Int, timeZone: String) {
        self.year = year
        self.timeZone = timeZone
    }

    /// Counts one year.
    ///
    /// - Parameters:
    ///   - cases: every case in the register (accepted applications).
    ///   - refusedApplications: every `application.refused` entry: its time and body.
    ///   - year: the calendar year.
    ///   - timeZone: the pack's time zone.
    ///   - time: the moment of the return: events after it are not counted, and an
    ///     authorisation has expired only once its end has passed. Defaults to now.
    public static func compute(
        cases: [Authorisation], refusedApplications: [(time: EntryTime, body: ApplicationRefusal)], year: Int,
        timeZone: TimeZone, at time: EntryTime = .now()
    ) -> RecordStatistics {
        var stats = RecordStatistics(year: year, timeZone: timeZone.identifier)
        func inYear(_ instant: EntryTime) -> Bool {
            instant <= time && CivilDate.containing(instant.date, in: timeZone).year == year
        }

        for refusal in refusedApplications where inYear(refusal.time) {
            stats.applications.refusedAtThreshold += 1
            stats.applications.byType[refusal.body.type] += 1
            stats.refusals.seriousCrimeThreshold += 1
        }

        for authorisation in cases {
            if inYear(authorisation.appliedAt) {
                stats.applications.accepted += 1
                stats.applications.byType[authorisation.type] += 1
            }
            if let decision = authorisation.decision, inYear(decision.at) {
                if decision.granted {
                    stats.grants[authorisation.type] += 1
                } else {
                    stats.refusals.authorisingOfficer += 1
                }
            }
            for period in authorisation.periods {
                let judicial = period.judicial.flatMap { inYear($0.decidedAt) && $0.recordedAt <= time ? $0 : nil }
                if let judicial, judicial.decision != .approved {
                    stats.judicialRefusals += 1
                    if !period.renewal {
                        if judicial.decision == .quashed { stats.refusals.judicialQuashed += 1 } else { stats.refusals.judicialRefused += 1 }
                    }
                }
                guard period.renewal, inYear(period.grantedAt) else { continue }
                stats.renewals.total += 1
                switch period.judicial.flatMap({ $0.recordedAt <= time ? $0.decision : nil }) {
                case .approved?: stats.renewals.approved += 1
                case .refused?, .quashed?: stats.renewals.notApproved += 1
                case nil: stats.renewals.awaitingApproval += 1
                }
            }
            if let cancellation = authorisation.cancellation, inYear(cancellation.at) {
                stats.cancellations.total += 1
                if cancellation.afterExpiry { stats.cancellations.afterExpiry += 1 }
            }
            if authorisation.state(at: time) == .expired, let end = authorisation.expiresAt(at: time), inYear(end) {
                stats.expiredWithoutCancellation += 1
            }
        }
        stats.applications.total = stats.applications.accepted + stats.applications.refusedAtThreshold
        return stats
    }

    /// The counts as labelled lines for a terminal.
    public var lines: [(label: String, count: Int)] {
        [
            ("Applications", applications.total),
            ("  accepted", applications.accepted),
            ("  refused at the serious crime threshold", applications.refusedAtThreshold),
            ("  directed surveillance", applications.byType.directedSurveillance),
            ("  CHIS", applications.byType.chis),
            ("  juvenile CHIS", applications.byType.juvenileCHIS),
            ("Refusals", refusals.total),
            ("  serious crime threshold (SI 2010/521 art. 7A)", refusals.seriousCrimeThreshold),
            ("  by the authorising officer", refusals.authorisingOfficer),
            ("  judicial approval refused (RIPA s.32A)", refusals.judicialRefused),
            ("  refused and quashed by the JP (RIPA s.32B)", refusals.judicialQuashed),
            ("Grants", grants.total),
            ("  directed surveillance", grants.directedSurveillance),
            ("  CHIS", grants.chis),
            ("  juvenile CHIS", grants.juvenileCHIS),
            ("Renewals", renewals.total),
            ("  approved by a JP", renewals.approved),
            ("  not approved by a JP", renewals.notApproved),
            ("  awaiting a JP", renewals.awaitingApproval),
            ("Cancellations", cancellations.total),
            ("  after expiry", cancellations.afterExpiry),
            ("Judicial refusals (grants and renewals)", judicialRefusals),
            ("Expired without cancellation", expiredWithoutCancellation),
        ]
    }
}
