/// What the statute fixes and a policy pack may only tighten (issue 8 §2): the one place these
/// limits live, each with its legal source.
///
/// A pack is data an administrator adopts; without this, a pack could quietly lower the
/// serious crime threshold to 3 months, let directed surveillance run for a year, or switch
/// off judicial approval, and every decision would then "follow the pack in force". So
/// `Casework` checks every `policy.adopted` entry against these floors — live, when
/// `ripa policy adopt` or `ripa init` adopts a pack, and in `verify --replay` — and the
/// loader checks them too, so the error can name the file and line.
public enum StatutoryFloor {
    /// One rule of the statute a pack breaks.
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        /// The pack's key, e.g. `durations.directed_surveillance.months`.
        public var path: String
        /// What the pack says and what the statute allows.
        public var message: String
        /// The statute, statutory instrument or Code of Practice paragraph.
        public var source: String

        /// `<message> (<source>)`.
        public var description: String { "`\(path)`: \(message) (\(source))" }
    }

    /// SI 2010/521 art. 7A(3)(a): the offence must carry at least 6 months' imprisonment.
    public static let minimumCustodyMonths = 6
    /// The source of `minimumCustodyMonths` and of the threshold binding directed surveillance.
    public static let thresholdSource = "SI 2010/521 art. 7A(3)(a), inserted by SI 2012/1500"

    /// The longest period each type may last, in calendar months, and its source.
    public static func maximumMonths(_ type: AuthorisationType) -> (months: Int, source: String) {
        switch type {
        case .directedSurveillance: (3, "RIPA s.43(3)(c)")
        case .chis: (12, "RIPA s.43(3)(b)")
        case .juvenileCHIS: (4, "SI 2000/2793 art. 6, as amended by SI 2018/715")
        }
    }

    /// Code of Practice 2018 para 8.1: the central record is kept at least 3 years.
    public static let minimumRetentionYears = 3
    /// The source of `minimumRetentionYears`.
    public static let retentionSource = "Covert Surveillance and Property Interference Code of Practice 2018 para 8.1"

    /// Every statutory rule the pack's rules break, in the order of the pack's keys.
    public static func violations(of rules: PolicyRules) -> [Violation] {
        var found: [Violation] = []
        let threshold = rules.seriousCrimeThreshold
        if threshold.minimumCustodyMonths < minimumCustodyMonths {
            found.append(Violation(
                path: "serious_crime_threshold.minimum_custody_months",
                message: "the serious crime threshold is \(threshold.minimumCustodyMonths) months, below the statutory \(minimumCustodyMonths) months' imprisonment",
                source: thresholdSource))
        }
        if !threshold.binds(.directedSurveillance) {
            found.append(Violation(
                path: "serious_crime_threshold.applies_to",
                message: "the serious crime threshold must bind directed surveillance",
                source: "SI 2010/521 art. 7A(1)"))
        }
        for type in AuthorisationType.allCases {
            let (months, source) = maximumMonths(type)
            if rules.durations.months(for: type) > months {
                found.append(Violation(
                    path: "durations.\(type.policyKey).months",
                    message: "\(type.title) lasts \(rules.durations.months(for: type)) months, longer than the statutory \(months)",
                    source: source))
            }
        }
        if !rules.judicialApproval.required {
            found.append(Violation(
                path: "judicial_approval.required",
                message: "a council's authorisation has no effect until a justice of the peace approves it; it cannot be false",
                source: "RIPA s.32A"))
        }
        if rules.urgentOralAuthorisations.allowed {
            found.append(Violation(
                path: "urgent_oral_authorisations.allowed",
                message: "a council may not grant urgent oral authorisations; it cannot be true",
                source: "RIPA s.43(1A)"))
        }
        if rules.retention.years < minimumRetentionYears {
            found.append(Violation(
                path: "retention.years",
                message: "records are kept \(rules.retention.years) years, fewer than the \(minimumRetentionYears) the Code asks for",
                source: "Covert Surveillance and Property Interference Code of Practice 2018 para 8.1"))
        }
        // The central record names the officers who acted on each case (fields 4-6), so their
        // staff data may not go before the record that names them.
        if rules.retention.staff.months < rules.retention.years * 12 {
            found.append(Violation(
                path: "retention.staff_data.months",
                message: "users' staff data is kept \(rules.retention.staff.months) months, less than the central record that names them (\(rules.retention.years) years)",
                source: retentionSource))
        }
        // Not statute but kept with it, so a pack that lets a key sit unlocked for days is
        // refused the same way, live and by `verify --replay`.
        found += rules.sessionRules.violations()
        return found
    }

    /// The underage-sales offences art. 7A(3)(b) exempts from the 6-month test, as (statute,
    /// section): no other offence may pass the threshold by exemption.
    public static let exemptOffences: [(statute: String, section: String)] = [
        ("Licensing Act 2003", "s.146"), ("Licensing Act 2003", "s.147"), ("Licensing Act 2003", "s.147A"),
        ("Children and Young Persons Act 1933", "s.7"),
        ("Children and Families Act 2014", "s.91"), ("Children and Families Act 2014", "s.92"),
    ]
    /// The source of `exemptOffences`.
    public static let exemptionSource = "SI 2010/521 art. 7A(3)(b); items (v)-(vi) added by SI 2015/937"

    /// Whether the statute exempts this offence from the 6-month test.
    public static func isStatutoryExemption(_ offence: Offence) -> Bool {
        exemptOffences.contains { $0.statute == offence.statute && $0.section.lowercased() == offence.section.lowercased() }
    }

    /// Every statutory rule the pack and its catalogue break: the pack's rules, and any offence
    /// the pack or the catalogue exempts from the threshold that art. 7A(3)(b) does not.
    public static func violations(of policy: Policy) -> [Violation] {
        var found = violations(of: policy.rules)
        let exemptIDs = Set(policy.rules.seriousCrimeThreshold.exemptOffences)
        for offence in policy.offences.offences where (offence.exempt || exemptIDs.contains(offence.id)) && !isStatutoryExemption(offence) {
            found.append(Violation(
                path: exemptIDs.contains(offence.id) ? "serious_crime_threshold.exempt_offences" : "offences[\(offence.id)].exempt",
                message: "\(offence.id) (\(offence.citation)) is exempted from the serious crime threshold, but only the underage-sales offences are",
                source: exemptionSource))
        }
        return found
    }

    /// As `requireAdoptable(_:replacing:)` for the rules, and the catalogue's exemptions too.
    public static func requireAdoptable(_ policy: Policy, replacing current: PolicyRules?) throws(RIPAError) {
        if let violation = violations(of: policy).first {
            throw RIPAError(.policy, "the policy pack goes below the statute: \(violation); a pack may tighten the statute, never loosen it")
        }
        try requireAdoptable(policy.rules, replacing: current)
    }

    /// Refuses a pack that breaks the statute, or that does not raise the version of the pack
    /// it replaces.
    ///
    /// - Parameters:
    ///   - rules: the pack being adopted.
    ///   - current: the pack in force, or `nil` for the first.
    /// - Throws: `RIPAError.policy` naming the first rule broken and its source.
    public static func requireAdoptable(_ rules: PolicyRules, replacing current: PolicyRules?) throws(RIPAError) {
        if let violation = violations(of: rules).first {
            throw RIPAError(.policy, "the policy pack goes below the statute: \(violation); a pack may tighten the statute, never loosen it")
        }
        if let current, rules.version <= current.version {
            throw RIPAError(.policy, "the policy pack's version \(rules.version) is not greater than the version \(current.version) in force (\(current.id)); versions only increase, so raise `version` to \(current.version + 1) or more")
        }
    }
}
