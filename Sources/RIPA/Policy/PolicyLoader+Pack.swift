import Foundation
import Yams

extension PolicyLoader {
    /// The top-level keys of a policy pack, in the order the shipped pack writes them.
    static let packKeys = [
        "schema", "id", "version", "title", "time_zone", "serious_crime_threshold", "durations",
        "judicial_approval", "urgent_oral_authorisations", "reviews", "retention",
        "open_source_viewing", "confidential_information", "two_person_control", "profile_addresses", "sessions",
    ]

    /// Reads a `ripa-register/policy-pack/v1` document.
    static func parsePack(_ doc: YAMLMapping) throws(PolicyError) -> ParsedPack {
        try doc.requireOnly(packKeys)
        let source = "the statute, statutory instrument or Code of Practice paragraph this rule comes from"

        let id = try doc.string("id", "the pack's identifier, e.g. england-wales-local-authority")
        guard isIdentifier(id) else {
            throw PolicyError(
                .badValue, file: doc.file, line: doc.line(of: "id"),
                message: "`id` is \"\(id)\" but must be lowercase letters and digits joined by hyphens, e.g. england-wales-local-authority")
        }
        let version = try doc.int("version", in: 1...Int.max, "the pack's version, raised by one at every change")
        let title = try doc.string("title", "a human title for the pack")
        let timeZone = try doc.string("time_zone", "the IANA time zone in which days end, e.g. Europe/London")
        guard TimeZone(identifier: timeZone) != nil else {
            throw PolicyError(
                .badValue, file: doc.file, line: doc.line(of: "time_zone"),
                message: "`time_zone` is \"\(timeZone)\", which is not a known IANA time zone: write e.g. Europe/London")
        }

        // Serious crime threshold: SI 2010/521 art. 7A.
        let threshold = try doc.mapping("serious_crime_threshold", "the serious crime threshold (SI 2010/521 art. 7A)")
        try threshold.requireOnly(["minimum_custody_months", "applies_to", "exempt_offences", "source"])
        let minimum = try threshold.int(
            "minimum_custody_months", in: 1...1200, "the shortest maximum sentence that passes, in months: 6 under art. 7A(3)(a)")
        var appliesTo: [AuthorisationType] = []
        let typeNodes = try threshold.list("applies_to", "the authorisation types the threshold binds, e.g. [directed-surveillance]")
        let typeNames = AuthorisationType.allCases.map(\.rawValue)
        for (index, node) in typeNodes.enumerated() {
            let path = threshold.path(of: "applies_to") + "[\(index)]"
            let name = try YAMLMapping.string(node, file: doc.file, path: path, what: "an authorisation type")
            guard let type = AuthorisationType(rawValue: name) else {
                throw PolicyError(
                    .badValue, file: doc.file, line: PolicyYAML.line(of: node),
                    message: "`\(path)` is \"\(name)\" but must be one of \(typeNames.joined(separator: ", "))")
            }
            guard !appliesTo.contains(type) else {
                throw PolicyError(
                    .badValue, file: doc.file, line: PolicyYAML.line(of: node),
                    message: "`\(path)`: \(name) is listed twice; list each type once")
            }
            appliesTo.append(type)
        }
        guard !appliesTo.isEmpty else {
            throw PolicyError(
                .badValue, file: doc.file, line: threshold.line(of: "applies_to"),
                message: "`serious_crime_threshold.applies_to` is empty: list the types it binds, e.g. [directed-surveillance] (SI 2010/521 art. 7A)")
        }
        var exempt: [String] = []
        var exemptLines: [Int?] = []
        for (index, node) in try threshold.list("exempt_offences", "catalogue ids of the art. 7A(3)(b) underage-sales offences").enumerated() {
            let path = threshold.path(of: "exempt_offences") + "[\(index)]"
            let id = try YAMLMapping.string(node, file: doc.file, path: path, what: "an offence id from the catalogue")
            guard !exempt.contains(id) else {
                throw PolicyError(
                    .badValue, file: doc.file, line: PolicyYAML.line(of: node),
                    message: "`\(path)`: \(id) is listed twice; list each exempt offence once")
            }
            exempt.append(id)
            exemptLines.append(PolicyYAML.line(of: node))
        }
        let thresholdRule = PolicyRules.SeriousCrimeThresholdRule(
            minimumCustodyMonths: minimum, appliesTo: appliesTo, exemptOffences: exempt,
            source: try threshold.string("source", source))

        // Durations: RIPA s.43(3). At most 12 months, the longest period s.43(3) allows any type.
        let durations = try doc.mapping("durations", "how long each type of authorisation lasts")
        try durations.requireOnly(AuthorisationType.allCases.map(\.policyKey))
        func duration(_ type: AuthorisationType) throws(PolicyError) -> PolicyRules.Duration {
            let entry = try durations.mapping(type.policyKey, "the \(type.title) duration: `{months: N, source: ...}`")
            try entry.requireOnly(["months", "source"])
            return PolicyRules.Duration(
                months: try entry.int("months", in: 1...12, "calendar months; RIPA s.43(3) allows at most 12"),
                source: try entry.string("source", source))
        }
        let durationRules = PolicyRules.Durations(
            directedSurveillance: try duration(.directedSurveillance),
            chis: try duration(.chis),
            juvenileCHIS: try duration(.juvenileCHIS))

        let judicial = try doc.mapping("judicial_approval", "whether a magistrate must approve (RIPA s.32A)")
        try judicial.requireOnly(["required", "source"])
        let judicialRule = PolicyRules.JudicialApproval(
            required: try judicial.bool("required", "true for a council, RIPA s.32A"),
            source: try judicial.string("source", source))

        let urgent = try doc.mapping("urgent_oral_authorisations", "whether urgent oral authorisations are allowed (RIPA s.43(1A))")
        try urgent.requireOnly(["allowed", "source"])
        let urgentRule = PolicyRules.UrgentOralAuthorisations(
            allowed: try urgent.bool("allowed", "false for a council, RIPA s.43(1A)"),
            source: try urgent.string("source", source))

        let reviews = try doc.mapping("reviews", "the default review interval")
        try reviews.requireOnly(["default_interval_days", "officer_may_shorten", "source"])
        let reviewRule = PolicyRules.Reviews(
            defaultIntervalDays: try reviews.int("default_interval_days", in: 1...365, "days between reviews"),
            officerMayShorten: try reviews.optionalBool("officer_may_shorten", "whether an officer may set a shorter interval (never a longer one)"),
            source: try reviews.string("source", source))

        let retentionRule = try parseRetention(doc, source: source)

        let viewing = try doc.mapping("open_source_viewing", "the repeat-viewing rule for open-source profiles")
        try viewing.requireOnly(["unauthorised_views_allowed", "window_days", "source"])
        let viewingRule = PolicyRules.OpenSourceViewing(
            unauthorisedViewsAllowed: try viewing.int(
                "unauthorised_views_allowed", in: 0...1000, "views of one profile allowed without an authorisation"),
            windowDays: try viewing.optionalInt(
                "window_days", in: 1...36_600, "days over which views are counted; leave it out or write null for ever"),
            source: try viewing.string("source", source))

        let confidential = try doc.mapping("confidential_information", "who may authorise when confidential information is likely")
        try confidential.requireOnly(["authoriser", "source"])
        let authoriserNames = PolicyRules.ConfidentialInformation.Authoriser.allCases.map(\.rawValue)
        let authoriserName = try confidential.string("authoriser", "one of \(authoriserNames.joined(separator: ", "))")
        guard let authoriser = PolicyRules.ConfidentialInformation.Authoriser(rawValue: authoriserName) else {
            throw PolicyError(
                .badValue, file: doc.file, line: confidential.line(of: "authoriser"),
                message: "`confidential_information.authoriser` is \"\(authoriserName)\" but must be one of \(authoriserNames.joined(separator: ", ")) (Code of Practice Annex A)")
        }
        let confidentialRule = PolicyRules.ConfidentialInformation(
            authoriser: authoriser, source: try confidential.string("source", source))

        let twoPersonRule = try parseTwoPersonControl(doc, source: source)

        let rules = PolicyRules(
            id: id, version: version, title: title, timeZone: timeZone,
            seriousCrimeThreshold: thresholdRule, durations: durationRules,
            judicialApproval: judicialRule, urgentOralAuthorisations: urgentRule,
            reviews: reviewRule, retention: retentionRule, openSourceViewing: viewingRule,
            confidentialInformation: confidentialRule, twoPersonControl: twoPersonRule,
            profileAddresses: try parseProfileAddresses(doc), sessions: try parseSessions(doc, source: source))
        return ParsedPack(rules: rules, file: doc.file, schemaLine: doc.line(of: "schema"), exemptLines: exemptLines, document: doc)
    }
}

extension PolicyLoader {
    /// The optional `sessions` section (issue 10 §3); absent, `nil` (read as the standard rule).
    /// The bounds (`PolicyRules.Sessions.violations`) are checked with the statute's floors, so
    /// the error names the rule and its source.
    static func parseSessions(_ doc: YAMLMapping, source: String) throws(PolicyError) -> PolicyRules.Sessions? {
        guard doc.optional("sessions") != nil else { return nil }
        let section = try doc.mapping("sessions", "how long a signed-in session and a proof of the passphrase last")
        try section.requireOnly(["idle_minutes", "lifetime_hours", "step_up_minutes", "source"])
        return PolicyRules.Sessions(
            idleMinutes: try section.int("idle_minutes", in: 0...100_000, "minutes without a request before a session ends (at most \(PolicyRules.Sessions.maximumIdleMinutes))"),
            lifetimeHours: try section.int("lifetime_hours", in: 0...100_000, "hours after sign-in before a session ends (at most \(PolicyRules.Sessions.maximumLifetimeHours))"),
            stepUpMinutes: try section.int("step_up_minutes", in: 0...100_000, "minutes a decision may be signed after the passphrase was given (at most \(PolicyRules.Sessions.maximumStepUpMinutes))"),
            source: try section.string("source", source))
    }

    /// The `retention` section (issue 11 §3); absent, `Retention.standard`. The central record's
    /// `years` and `source` are required in it; each other period is optional, read with its default.
    static func parseRetention(_ doc: YAMLMapping, source: String) throws(PolicyError) -> PolicyRules.Retention {
        guard doc.optional("retention") != nil else { return .standard }
        let retention = try doc.mapping("retention", "how long records are kept")
        try retention.requireOnly(["years", "source", "looks_without_authorisation", "refused_applications", "staff_data"])
        func period(_ key: String, _ what: String) throws(PolicyError) -> PolicyRules.RetentionPeriod? {
            guard retention.optional(key) != nil else { return nil }
            let entry = try retention.mapping(key, "\(what): `{months: N, source: ...}`")
            try entry.requireOnly(["months", "source"])
            return PolicyRules.RetentionPeriod(
                months: try entry.int("months", in: 1...1200, "calendar months \(what)"), source: try entry.string("source", source))
        }
        return PolicyRules.Retention(
            years: try retention.int("years", in: 3...100, "years after each authorisation ends; the Code of Practice para 8.1 asks for at least 3"),
            source: try retention.string("source", source),
            looksWithoutAuthorisation: try period("looks_without_authorisation", "looks without an authorisation are kept after the case's last look"),
            refusedApplications: try period("refused_applications", "a refused application is kept after its refusal"),
            staffData: try period("staff_data", "a user's staff data is kept after their account ends"))
    }

    /// The optional `two_person_control` section (RIPA.md §3); absent, the standard rule.
    static func parseTwoPersonControl(_ doc: YAMLMapping, source: String) throws(PolicyError) -> PolicyRules.TwoPersonControl {
        guard doc.optional("two_person_control") != nil else { return .standard }
        let section = try doc.mapping("two_person_control", "two-person control over privileged roles")
        try section.requireOnly(["approvals", "invitation_days", "source"])
        return PolicyRules.TwoPersonControl(
            approvals: try section.int(
                "approvals", in: 0...9,
                "approvals by other administrators a grant of monitoring-officer or administrator needs (at least 1 on a real register)"),
            invitationDays: try section.int("invitation_days", in: 1...90, "days an invitation code stays valid"),
            source: try section.string("source", source))
    }
}
