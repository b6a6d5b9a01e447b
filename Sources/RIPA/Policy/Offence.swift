/// One criminal offence in the offence catalogue (Policies/offences.yaml), with the facts the
/// serious crime threshold needs: its maximum custody and whether it is an exempt
/// underage-sales offence (SI 2010/521 art. 7A(3)(b)).
public struct Offence: Sendable, Hashable, Codable {
    /// Stable identifier cited by applications, e.g. `fraud-act-2006-s1`: lowercase letters,
    /// digits and single hyphens. Never reused for a different offence.
    public var id: String
    /// What the offence is, in a few words, e.g. "fraud".
    public var title: String
    /// The Act or statutory instrument, e.g. "Fraud Act 2006".
    public var statute: String
    /// The provision within it, e.g. "s.1", "s.80(4)", "reg. 19".
    public var section: String
    /// The higher of the maxima on summary conviction and on indictment.
    public var maximum: MaximumCustody
    /// Whether the offence is one of the underage-sales offences SI 2010/521 art. 7A(3)(b)
    /// exempts from the 6-month test.
    public var exempt: Bool
    /// Where the maximum can be checked: the legislation.gov.uk address of the provision.
    public var source: String
    /// Anything a reader needs to rely on the row safely (where the penalty is set, a repeal), if any.
    public var note: String?

    /// Creates an offence.
    public init(
        id: String, title: String, statute: String, section: String,
        maximum: MaximumCustody, exempt: Bool, source: String, note: String? = nil
    ) {
        self.id = id
        self.title = title
        self.statute = statute
        self.section = section
        self.maximum = maximum
        self.exempt = exempt
        self.source = source
        self.note = note
    }

    /// The citation as one phrase, e.g. "Fraud Act 2006 s.1".
    public var citation: String { "\(statute) \(section)" }
}
