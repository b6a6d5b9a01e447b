import Foundation
import Ledger

/// An application for an authorisation, with the Home Office form's fields (RIPA.md §4).
///
/// Online identities are kept both as written and as the normalised profile key, so the
/// viewing gate can match any spelling of the same account (RIPA.md §5).
public struct Application: Sendable, Hashable, Codable {
    /// Directed surveillance, CHIS or juvenile CHIS.
    public var type: AuthorisationType
    /// Operation name.
    public var operation: String
    /// The investigation's purpose (s.28(3)(b): preventing or detecting crime).
    public var purpose: String
    /// Details of the surveillance or the source's conduct.
    public var details: String
    /// Information sought.
    public var informationSought: String
    /// The subjects.
    public var subjects: [Subject]
    /// Catalogue ids of the offences under investigation.
    public var offences: [String]
    /// Why the surveillance is necessary.
    public var necessity: String
    /// Why it is proportionate.
    public var proportionality: String
    /// Collateral intrusion and how it is minimised.
    public var collateralIntrusion: String
    /// Whether confidential or journalistic material is likely (only the head of paid
    /// service may then authorise).
    public var confidentialInformationLikely: Bool
    /// The investigating team (user ids); the applicant is always on it.
    public var team: [String]
    /// Requested duration in months, if the applicant asks for less than the statutory period.
    public var requestedDurationMonths: Int?

    enum CodingKeys: String, CodingKey {
        case type, operation, purpose, details, informationSought = "information_sought", subjects, offences, necessity,
            proportionality, collateralIntrusion = "collateral_intrusion",
            confidentialInformationLikely = "confidential_information_likely", team,
            requestedDurationMonths = "requested_duration_months"
    }

    /// Makes an application.
    public init(
        type: AuthorisationType, operation: String, purpose: String, details: String = "", informationSought: String = "",
        subjects: [Subject], offences: [String], necessity: String, proportionality: String, collateralIntrusion: String,
        confidentialInformationLikely: Bool, team: [String], requestedDurationMonths: Int? = nil
    ) {
        self.type = type
        self.operation = operation
        self.purpose = purpose
        self.details = details
        self.informationSought = informationSought
        self.subjects = subjects
        self.offences = offences
        self.necessity = necessity
        self.proportionality = proportionality
        self.collateralIntrusion = collateralIntrusion
        self.confidentialInformationLikely = confidentialInformationLikely
        self.team = team
        self.requestedDurationMonths = requestedDurationMonths
    }

    /// Every profile key named among the subjects' online identities.
    public var profileKeys: [String] {
        Array(Set(subjects.flatMap { $0.onlineIdentities.map(\.profile) })).sorted()
    }

    /// Checks the form is complete: each required text present, at least one subject,
    /// offences given, a sane requested duration.
    public func validate() throws(RIPAError) {
        let required: [(String, String)] = [
            ("operation", operation), ("purpose", purpose), ("necessity", necessity),
            ("proportionality", proportionality), ("collateral_intrusion", collateralIntrusion),
        ]
        for (field, value) in required where value.isBlank {
            throw RIPAError(.badInput, "the application needs '\(field)' (Home Office application form; RIPA.md §4)")
        }
        guard !subjects.isEmpty else {
            throw RIPAError(.badInput, "the application needs at least one subject (give a name, or 'unknown')")
        }
        for subject in subjects where subject.name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw RIPAError(.badInput, "every subject needs a name (or 'unknown')")
        }
        // A date of birth is a real day, read strictly: `1980-02-30` is refused, never rolled
        // over into March. No subject alive was born before 1900, and none after the register's
        // last year (EntryTime.registerYears).
        for subject in subjects {
            guard let text = subject.dateOfBirth else { continue }
            guard let born = CivilDate(parsing: text), (1900...EntryTime.registerYears.upperBound).contains(born.year) else {
                throw RIPAError(.badInput, "date of birth '\(text)' of \(subject.name) is not a real day YYYY-MM-DD from 1900 on; leave it out if it is not known")
            }
        }
        guard !offences.isEmpty else {
            throw RIPAError(.badInput, "the application needs the offences under investigation (catalogue ids)", reason: .inputMissing, values: ["field": "offences"])
        }
        if let months = requestedDurationMonths, months < 1 {
            throw RIPAError(.badInput, "requested duration must be at least 1 month")
        }
        if let months = requestedDurationMonths {
            try InputLimits.require(months, in: InputLimits.requestedDurationMonths, "requested_duration_months", field: "requested_duration_months", unit: "months")
        }
        try checkText()
    }

    /// The counts and text fields of the form against `InputLimits` and `TextField`: which
    /// fields are free text (multi-line) is listed on `TextField`.
    func checkText() throws(RIPAError) {
        try InputLimits.require(count: subjects.count, atMost: InputLimits.subjects, "subjects")
        try InputLimits.require(count: offences.count, atMost: InputLimits.offences, "offences")
        try InputLimits.require(count: team.count, atMost: InputLimits.teamMembers, "team members")
        try TextField.check(operation, "operation")
        try TextField.check(purpose, "purpose")
        for (field, value) in [
            ("details", details), ("information_sought", informationSought), ("necessity", necessity),
            ("proportionality", proportionality), ("collateral_intrusion", collateralIntrusion),
        ] {
            try TextField.check(value, field, .multiLine)
        }
        for (index, subject) in subjects.enumerated() {
            try TextField.check(subject.name, "subjects[\(index)].name")
            try TextField.check(subject.address, "subjects[\(index)].address")
            try TextField.check(subject.dateOfBirth, "subjects[\(index)].date_of_birth")
            try InputLimits.require(count: subject.onlineIdentities.count, atMost: InputLimits.onlineIdentitiesPerSubject, "online identities for one subject")
            for identity in subject.onlineIdentities {
                try TextField.check(identity.address, "subjects[\(index)].online_identities")
                try TextField.check(identity.profile, "subjects[\(index)].online_identities")
            }
        }
        for offence in offences { try TextField.check(offence, "offences") }
        for member in team { try TextField.check(member, "team") }
    }
}

extension Application {
    /// A requested duration may shorten the statutory period, never lengthen it (RIPA s.43(3)).
    func requireDuration(within rules: PolicyRules) throws(RIPAError) {
        let statutory = rules.durations.months(for: type)
        if let months = requestedDurationMonths, months > statutory {
            throw RIPAError(.badInput, "requested duration \(months) months is longer than the \(statutory) months a \(type.title) authorisation lasts (RIPA s.43(3)); ask for \(statutory) or fewer")
        }
    }
}

/// A subject of the application.
public struct Subject: Sendable, Hashable, Codable {
    /// Name, or "unknown".
    public var name: String
    /// Postal address, if known.
    public var address: String?
    /// Date of birth, if known.
    public var dateOfBirth: String?
    /// Online identities: profile addresses, each with its normalised key.
    public var onlineIdentities: [OnlineIdentity]

    enum CodingKeys: String, CodingKey {
        case name, address, dateOfBirth = "date_of_birth", onlineIdentities = "online_identities"
    }

    /// Makes a subject.
    public init(name: String, address: String? = nil, dateOfBirth: String? = nil, onlineIdentities: [OnlineIdentity] = []) {
        self.name = name
        self.address = address
        self.dateOfBirth = dateOfBirth
        self.onlineIdentities = onlineIdentities
    }
}

/// A profile address as written, and the account it names.
public struct OnlineIdentity: Sendable, Hashable, Codable {
    /// The address as the applicant gave it.
    public var address: String
    /// The normalised profile key (`facebook:…`, `x:…`, `web:host/path`).
    public var profile: String

    /// Normalises an address under the shipped address rules.
    ///
    /// - Throws: `RIPAError.badInput` with the normaliser's explanation.
    public init(address: String) throws(RIPAError) {
        try self.init(address: address, rules: .defaults)
    }

    /// Normalises an address under the pack's address rules (the register uses the pack in
    /// force at the entry, so that live decisions and `verify --replay` agree).
    ///
    /// - Throws: `RIPAError.badInput` with the normaliser's explanation.
    public init(address: String, rules: ProfileAddressRules) throws(RIPAError) {
        try TextField.check(address, "online identity")
        do {
            self.address = address
            self.profile = try ProfileKey(address: address, rules: rules).description
        } catch {
            throw RIPAError(.badInput, "online identity '\(address)': \(error.message)")
        }
    }
}
