import Foundation
import Ledger

/// One authorisation in the central record of authorisations: the twelve fields of the
/// Covert Surveillance and Property Interference Code of Practice 2018, para 8.1 (RIPA.md §4).
///
/// Built by `CentralRecord.rows(_:from:to:timeZone:at:)` from the signed case history only.
/// Dates are civil dates (`YYYY-MM-DD`) and date-times `YYYY-MM-DD HH:MM`, both in the pack's
/// time zone (Europe/London). It encodes to JSON with one snake_case key per field and no
/// floating-point numbers, and flattens to twelve lines of text (`fields`) for CSV and the
/// terminal.
public struct CentralRecordRow: Sendable, Hashable, Codable {
    /// An officer as the record names them: name and rank (fields 3 and 8).
    public struct Officer: Sendable, Hashable, Codable {
        /// The register's user id.
        public var userID: String
        /// Full name.
        public var name: String
        /// Rank or grade.
        public var rank: String

        enum CodingKeys: String, CodingKey { case userID = "user_id", name, rank }

        /// Makes an officer.
        public init(userID: String, name: String, rank: String) {
            self.userID = userID
            self.name = name
            self.rank = rank
        }

        /// `Name (Rank)`, or the name alone when no rank is recorded.
        public var text: String {
            rank.trimmingCharacters(in: .whitespaces).isEmpty ? name : "\(name) (\(rank))"
        }
    }

    /// Field 5: the title of the investigation, a brief description, and the subjects' names.
    public struct Investigation: Sendable, Hashable, Codable {
        /// The operation name (the investigation's title).
        public var operation: String
        /// The purpose, as the application gives it (brief description).
        public var purpose: String
        /// The subjects' names ("unknown" where the application says so).
        public var subjects: [String]

        /// Makes field 5.
        public init(operation: String, purpose: String, subjects: [String]) {
            self.operation = operation
            self.purpose = purpose
            self.subjects = subjects
        }

        /// `Operation: purpose. Subjects: A; B`.
        public var text: String {
            "\(operation): \(purpose). Subjects: \(subjects.isEmpty ? "none named" : subjects.joined(separator: "; "))"
        }
    }

    /// A justice of the peace's decision (RIPA s.32A/s.32B), fields 6 and 8.
    public struct JudicialApproval: Sendable, Hashable, Codable {
        /// The court.
        public var court: String
        /// The magistrate.
        public var magistrate: String
        /// `approved`, `refused` or `quashed` (refused and quashed, s.32B(5)).
        public var decision: JudicialOutcome
        /// When the JP decided, `YYYY-MM-DD HH:MM` in the pack's time zone.
        public var dateTime: String
        /// Who recorded the decision in the register (the applicant, a team member or a
        /// monitoring officer, RIPA.md §3); absent only for a decision recorded without a name.
        public var recordedBy: Officer?
        /// The JP's order kept in the register (Code of Practice 8.2), by SHA-256; absent when none was attached.
        public var order: String?

        enum CodingKeys: String, CodingKey { case court, magistrate, decision, dateTime = "date_time", recordedBy = "recorded_by", order }

        /// Makes a judicial decision as recorded.
        public init(court: String, magistrate: String, decision: JudicialOutcome, dateTime: String, recordedBy: Officer? = nil, order: String? = nil) {
            self.court = court
            self.magistrate = magistrate
            self.decision = decision
            self.dateTime = dateTime
            self.recordedBy = recordedBy
            self.order = order
        }

        /// The decision as the statute words it.
        public var decisionText: String {
            switch decision {
            case .approved: "approved"
            case .refused: "refused"
            case .quashed: "refused and quashed"
            }
        }

        /// `Court; magistrate Name; approved; 2026-03-03 10:00; recorded by Name (Rank); order sha256 …`.
        public var text: String {
            var text = "\(court); magistrate \(magistrate); \(decisionText); \(dateTime)"
            if let recordedBy { text += "; recorded by \(recordedBy.text)" }
            if let order { text += "; order sha256 \(order)" }
            return text
        }
    }

    /// Field 8: one renewal.
    public struct Renewal: Sendable, Hashable, Codable {
        /// The day the authorising officer renewed (pack's time zone).
        public var date: CivilDate
        /// The renewing officer.
        public var officer: Officer
        /// The JP's decision on the renewal, or nil while it awaits one.
        public var judicialApproval: JudicialApproval?
        /// First day of the renewed period, once approved.
        public var firstDay: CivilDate?
        /// Last day of the renewed period, once approved (RIPA s.43(3)).
        public var lastDay: CivilDate?

        enum CodingKeys: String, CodingKey {
            case date, officer, judicialApproval = "judicial_approval", firstDay = "first_day", lastDay = "last_day"
        }

        /// Makes a renewal.
        public init(date: CivilDate, officer: Officer, judicialApproval: JudicialApproval?, firstDay: CivilDate? = nil, lastDay: CivilDate? = nil) {
            self.date = date
            self.officer = officer
            self.judicialApproval = judicialApproval
            self.firstDay = firstDay
            self.lastDay = lastDay
        }

        /// Encodes every member, writing `null` for what is not yet known, so that the JSON's
        /// shape does not depend on the case's progress.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(date, forKey: .date)
            try c.encode(officer, forKey: .officer)
            try c.encode(judicialApproval, forKey: .judicialApproval)
            try c.encode(firstDay, forKey: .firstDay)
            try c.encode(lastDay, forKey: .lastDay)
        }

        /// `2026-05-20 by Name (Rank); JP: Court; magistrate …; approved; 2026-05-21 14:00`.
        public var text: String {
            "\(date) by \(officer.text); JP: \(judicialApproval?.text ?? "awaiting judicial approval")"
        }
    }

    /// Field 11: the cancellation, or where the authorisation stands without one.
    public struct Cancellation: Sendable, Hashable, Codable {
        /// The case's state at the time of the report (`AuthorisationState` raw value).
        public var state: AuthorisationState
        /// The day the cancellation was recorded, or nil when not cancelled.
        public var date: CivilDate?
        /// When the instruction to cease was given, `YYYY-MM-DD HH:MM`, or nil.
        public var ceasedAt: String?
        /// Whether the cancellation was recorded only after the authorisation had expired.
        public var afterExpiry: Bool
        /// Whether it expired and has no cancellation at all (inspectors criticise exactly that).
        public var expiredWithoutCancellation: Bool
        /// The last day of the latest approved period, if any.
        public var expires: CivilDate?
        /// The field as one line of text.
        public var text: String

        enum CodingKeys: String, CodingKey {
            case state, date, ceasedAt = "ceased_at", afterExpiry = "after_expiry",
                expiredWithoutCancellation = "expired_without_cancellation", expires, text
        }

        /// Makes field 11.
        public init(
            state: AuthorisationState, date: CivilDate?, ceasedAt: String?, afterExpiry: Bool,
            expiredWithoutCancellation: Bool, expires: CivilDate?, text: String
        ) {
            self.state = state
            self.date = date
            self.ceasedAt = ceasedAt
            self.afterExpiry = afterExpiry
            self.expiredWithoutCancellation = expiredWithoutCancellation
            self.expires = expires
            self.text = text
        }

        /// Encodes every member, `null` where not applicable.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(state, forKey: .state)
            try c.encode(date, forKey: .date)
            try c.encode(ceasedAt, forKey: .ceasedAt)
            try c.encode(afterExpiry, forKey: .afterExpiry)
            try c.encode(expiredWithoutCancellation, forKey: .expiredWithoutCancellation)
            try c.encode(expires, forKey: .expires)
            try c.encode(text, forKey: .text)
        }
    }

    /// Field 1: the type of authorisation (JSON: its raw value, e.g. `directed-surveillance`;
    /// text: its title, e.g. "directed surveillance").
    public var type: AuthorisationType
    /// Field 2: the date the authorising officer gave the authorisation.
    public var dateGiven: CivilDate
    /// Field 3: the authorising officer's name and rank.
    public var authorisingOfficer: Officer
    /// Field 4: the unique reference number.
    public var urn: String
    /// Field 5: title, brief description and subjects' names.
    public var investigation: Investigation
    /// Field 6: the JP's decision on the grant, or nil while it awaits one (RIPA s.32A).
    public var judicialApproval: JudicialApproval?
    /// Field 7: the dates of the reviews, oldest first.
    public var reviews: [CivilDate]
    /// Field 8: renewals, with the renewing officer and the JP's decision on each.
    public var renewals: [Renewal]
    /// Field 9: whether confidential information is likely to be obtained.
    public var confidentialInformationLikely: Bool
    /// Field 10: whether the authorising officer was directly involved in the investigation.
    public var authorisingOfficerDirectlyInvolved: Bool
    /// Field 11: the date of cancellation, or the state without one.
    public var cancellation: Cancellation
    /// Field 12: the urgency provisions used; for a council, never (RIPA s.43(1A)).
    public var urgency: String
    /// Once the case's personal data was destroyed at the end of its retention: "personal data
    /// destroyed on DATE under RULE" (docs/retention.md); field 5 then says so in place of the
    /// purpose and subjects. Nil (absent from the JSON) while it is kept.
    public var personalDataDestroyed: String?

    enum CodingKeys: String, CodingKey {
        case type, dateGiven = "date_given", authorisingOfficer = "authorising_officer", urn, investigation,
            judicialApproval = "judicial_approval", reviews, renewals,
            confidentialInformationLikely = "confidential_information_likely",
            authorisingOfficerDirectlyInvolved = "authorising_officer_directly_involved", cancellation, urgency,
            personalDataDestroyed = "personal_data_destroyed"
    }

    /// Makes a row.
    public init(
        type: AuthorisationType, dateGiven: CivilDate, authorisingOfficer: Officer, urn: String, investigation: Investigation,
        judicialApproval: JudicialApproval?, reviews: [CivilDate], renewals: [Renewal], confidentialInformationLikely: Bool,
        authorisingOfficerDirectlyInvolved: Bool, cancellation: Cancellation, urgency: String
    ) {
        self.type = type
        self.dateGiven = dateGiven
        self.authorisingOfficer = authorisingOfficer
        self.urn = urn
        self.investigation = investigation
        self.judicialApproval = judicialApproval
        self.reviews = reviews
        self.renewals = renewals
        self.confidentialInformationLikely = confidentialInformationLikely
        self.authorisingOfficerDirectlyInvolved = authorisingOfficerDirectlyInvolved
        self.cancellation = cancellation
        self.urgency = urgency
    }

    /// Encodes every field, `null` for a judicial approval not yet recorded.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(dateGiven, forKey: .dateGiven)
        try c.encode(authorisingOfficer, forKey: .authorisingOfficer)
        try c.encode(urn, forKey: .urn)
        try c.encode(investigation, forKey: .investigation)
        try c.encode(judicialApproval, forKey: .judicialApproval)
        try c.encode(reviews, forKey: .reviews)
        try c.encode(renewals, forKey: .renewals)
        try c.encode(confidentialInformationLikely, forKey: .confidentialInformationLikely)
        try c.encode(authorisingOfficerDirectlyInvolved, forKey: .authorisingOfficerDirectlyInvolved)
        try c.encode(cancellation, forKey: .cancellation)
        try c.encode(urgency, forKey: .urgency)
        try c.encodeIfPresent(personalDataDestroyed, forKey: .personalDataDestroyed)
    }

    /// The titles of the twelve fields, in the Code of Practice's order (para 8.1).
    public static let fieldTitles = [
        "Type of authorisation",
        "Date given",
        "Authorising officer (name and rank)",
        "Unique reference number",
        "Investigation (title, description, subjects)",
        "Judicial approval (court, magistrate, decision, date and time)",
        "Dates of reviews",
        "Renewals (date, officer, judicial approval)",
        "Confidential information likely",
        "Authorising officer directly involved",
        "Cancellation",
        "Urgency provisions used",
    ]

    /// The twelve fields as one line of text each, in the order of `fieldTitles`.
    public var fields: [String] {
        func yesNo(_ value: Bool) -> String { value ? "yes" : "no" }
        return [
            type.title,
            dateGiven.description,
            authorisingOfficer.text,
            urn,
            investigation.text,
            judicialApproval?.text ?? "awaiting judicial approval",
            reviews.isEmpty ? "none" : reviews.map(\.description).joined(separator: "; "),
            renewals.isEmpty ? "none" : renewals.map(\.text).joined(separator: " | "),
            yesNo(confidentialInformationLikely),
            yesNo(authorisingOfficerDirectlyInvolved),
            cancellation.text,
            urgency,
        ]
    }
}
