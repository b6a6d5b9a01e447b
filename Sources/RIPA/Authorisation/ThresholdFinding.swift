/// What the serious crime threshold found for one offence an application cites.
public struct ThresholdFinding: Sendable, Hashable, Codable {
    /// The catalogue id of the offence.
    public var offenceID: String
    /// The offence's title, e.g. "fraud".
    public var title: String
    /// The Act or statutory instrument.
    public var statute: String
    /// The provision, e.g. "s.1".
    public var section: String
    /// The offence's maximum custody, from the catalogue.
    public var maximum: MaximumCustody
    /// Whether the offence is an exempt underage-sales offence (catalogue flag or the pack's list).
    public var exempt: Bool
    /// Whether this offence on its own satisfies SI 2010/521 art. 7A(3).
    public var passes: Bool
    /// Why, in one phrase that cites the article, e.g.
    /// "maximum 3 months is below the 6 months SI 2010/521 art. 7A(3)(a) requires".
    public var reason: String

    /// Creates a finding.
    public init(
        offenceID: String, title: String, statute: String, section: String,
        maximum: MaximumCustody, exempt: Bool, passes: Bool, reason: String
    ) {
        self.offenceID = offenceID
        self.title = title
        self.statute = statute
        self.section = section
        self.maximum = maximum
        self.exempt = exempt
        self.passes = passes
        self.reason = reason
    }

    private enum CodingKeys: String, CodingKey {
        case offenceID = "offence_id"
        case title, statute, section, maximum, exempt, passes, reason
    }
}
