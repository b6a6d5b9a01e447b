/// The serious crime threshold, SI 2010/521 art. 7A (inserted by SI 2012/1500; exempt items
/// (v)–(vi) added by SI 2015/937), with the numbers and the bound types taken from the pack in force.
///
/// A council may grant directed surveillance only to prevent or detect conduct constituting a
/// criminal offence (art. 7A(2)) of which at least one is punishable by a maximum term of at least
/// 6 months' imprisonment (art. 7A(3)(a)) or is one of the exempt underage-sales offences
/// (art. 7A(3)(b)). The check runs before an application is accepted.
public enum SeriousCrimeThreshold {
    /// Applies the threshold to an application's offences.
    ///
    /// The threshold binds only the types the pack lists (`applies_to`). Where it binds, the
    /// application passes if any offence is exempt — by its catalogue flag or the pack's
    /// `exempt_offences` — or carries a maximum of at least the pack's minimum; life passes and
    /// fine-only fails. Citing no offence fails: art. 7A(2) needs at least one.
    ///
    /// Every id is checked against the catalogue whatever the type, because the application
    /// records its offences either way and an unknown id must never slip through silently.
    ///
    /// - Parameters:
    ///   - type: the authorisation type applied for.
    ///   - offenceIDs: catalogue ids of the offences the application cites; repeats are ignored.
    ///   - policy: the pack in force.
    /// - Returns: the decision with one finding per offence.
    /// - Throws: `PolicyError(.unknownOffence)` for the first id not in the catalogue, saying how to add it.
    public static func evaluate(type: AuthorisationType, offenceIDs: [String], policy: Policy) throws(PolicyError) -> ThresholdResult {
        let rule = policy.rules.seriousCrimeThreshold
        let minimum = MaximumCustody.term(months: rule.minimumCustodyMonths)

        var offences: [Offence] = []
        for id in offenceIDs where !offences.contains(where: { $0.id == id }) {
            guard let offence = policy.offence(id: id) else { throw unknownOffence(id, in: policy) }
            offences.append(offence)
        }

        guard rule.binds(type) else {
            return ThresholdResult(
                type: type, applies: false, passes: true, minimumCustodyMonths: rule.minimumCustodyMonths, findings: [],
                summary: "The serious crime threshold does not apply to \(type.title) authorisations: the pack in force applies SI 2010/521 art. 7A to \(rule.appliesTo.map(\.title).joined(separator: " and ")) only.")
        }

        guard !offences.isEmpty else {
            return ThresholdResult(
                type: type, applies: true, passes: false, minimumCustodyMonths: rule.minimumCustodyMonths, findings: [],
                summary: "Refused: a \(type.title) application must name at least one criminal offence it is to prevent or detect (SI 2010/521 art. 7A(2)); none was given. Cite offences by their catalogue ids.")
        }

        let findings = offences.map { offence in
            finding(for: offence, exempt: offence.exempt || rule.exemptOffences.contains(offence.id), minimum: minimum, minimumMonths: rule.minimumCustodyMonths)
        }
        let passing = findings.filter(\.passes)
        let summary: String
        if let first = passing.first {
            summary = "Threshold met: \(first.offenceID) (\(first.statute) \(first.section)): \(first.reason)."
        } else {
            summary = "Refused: no offence cited meets the serious crime threshold, SI 2010/521 art. 7A(3): each needs a maximum of at least \(minimum.description) of imprisonment or must be an exempt underage-sales offence. "
                + findings.map { "\($0.offenceID): \($0.reason)" }.joined(separator: "; ") + "."
        }
        return ThresholdResult(
            type: type, applies: true, passes: !passing.isEmpty, minimumCustodyMonths: rule.minimumCustodyMonths,
            findings: findings, summary: summary)
    }

    private static func finding(for offence: Offence, exempt: Bool, minimum: MaximumCustody, minimumMonths: Int) -> ThresholdFinding {
        let passes: Bool
        let reason: String
        if exempt {
            // Art. 7A(3)(b): these pass whatever their penalty, which is usually a fine.
            passes = true
            reason = "exempt underage-sales offence, SI 2010/521 art. 7A(3)(b)"
        } else {
            switch offence.maximum {
            case .fineOnly:
                passes = false
                reason = "fine only: no term of imprisonment, so it cannot meet SI 2010/521 art. 7A(3)(a)"
            case .life:
                passes = true
                reason = "maximum life imprisonment meets the \(minimum.description) SI 2010/521 art. 7A(3)(a) requires"
            case .term(let months) where months >= minimumMonths:
                passes = true
                reason = "maximum \(offence.maximum.description) meets the \(minimum.description) SI 2010/521 art. 7A(3)(a) requires"
            case .term:
                passes = false
                reason = "maximum \(offence.maximum.description) is below the \(minimum.description) SI 2010/521 art. 7A(3)(a) requires"
            }
        }
        return ThresholdFinding(
            offenceID: offence.id, title: offence.title, statute: offence.statute, section: offence.section,
            maximum: offence.maximum, exempt: exempt, passes: passes, reason: reason)
    }

    private static func unknownOffence(_ id: String, in policy: Policy) -> PolicyError {
        let suggestion = YAMLMapping.nearest(to: id, in: policy.offences.offences.map(\.id)).map { " Did you mean `\($0)`?" } ?? ""
        return PolicyError(
            .unknownOffence,
            message: "offence `\(id)` is not in the offence catalogue.\(suggestion) To cite a new offence, add it to Policies/offences.yaml with id, title, statute, section, maximum (the higher of the summary and indictment maxima), exempt and source (its legislation.gov.uk address), then adopt the pack and catalogue again.")
    }
}
