/// The serious crime threshold's answer for one application: whether it binds, whether the
/// application passes, one finding per offence cited, and a summary fit for a refusal entry.
public struct ThresholdResult: Sendable, Hashable, Codable {
    /// The authorisation type applied for.
    public var type: AuthorisationType
    /// Whether the pack's threshold binds this type (false for CHIS and juvenile CHIS:
    /// SI 2010/521 art. 7A concerns directed surveillance only).
    public var applies: Bool
    /// Whether the application may proceed: always true when the threshold does not apply.
    public var passes: Bool
    /// The minimum maximum-custody, in months, the pack set (6 under art. 7A(3)(a)).
    public var minimumCustodyMonths: Int
    /// One finding per distinct offence cited, in the order cited; empty when the threshold does not apply.
    public var findings: [ThresholdFinding]
    /// One or two sentences saying what was decided and why, citing art. 7A.
    public var summary: String

    /// Creates a result.
    public init(
        type: AuthorisationType, applies: Bool, passes: Bool, minimumCustodyMonths: Int,
        findings: [ThresholdFinding], summary: String
    ) {
        self.type = type
        self.applies = applies
        self.passes = passes
        self.minimumCustodyMonths = minimumCustodyMonths
        self.findings = findings
        self.summary = summary
    }

    private enum CodingKeys: String, CodingKey {
        case type, applies, passes
        case minimumCustodyMonths = "minimum_custody_months"
        case findings, summary
    }
}
