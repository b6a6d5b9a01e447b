/// The most severe custodial sentence an offence carries: the higher of the maxima on summary
/// conviction and on indictment, as SI 2010/521 art. 7A(3)(a) asks ("whether on summary
/// conviction or on indictment").
///
/// Kept in whole calendar months because the threshold is stated in months; life and
/// fine-only are kept apart because neither is a number of months.
///
/// In policy files and in the register's canonical JSON it is written `{years: 10}`,
/// `{months: 6}`, `{years: 1, months: 6}`, `life` or `fine-only`.
public enum MaximumCustody: Sendable, Hashable, Codable {
    /// A term of imprisonment of at most this many calendar months (years × 12 + months).
    case term(months: Int)
    /// Imprisonment for life.
    case life
    /// No term of imprisonment at all: the offence is punishable by a fine only.
    case fineOnly

    /// A maximum written as years and months, e.g. `.term(years: 1, months: 6)` for 18 months.
    public static func term(years: Int, months: Int = 0) -> MaximumCustody {
        .term(months: years * 12 + months)
    }

    /// The maximum in months when it is a term, `nil` for life or fine only.
    public var months: Int? {
        if case .term(let months) = self { return months }
        return nil
    }

    /// Whether this maximum is at least `minimumMonths` of imprisonment.
    ///
    /// Life always is; fine only never is (SI 2010/521 art. 7A(3)(a) needs a term of imprisonment).
    public func isAtLeast(months minimumMonths: Int) -> Bool {
        switch self {
        case .term(let months): months >= minimumMonths
        case .life: true
        case .fineOnly: false
        }
    }

    /// The maximum as people say it: "10 years", "6 months", "1 year 6 months", "life", "fine only".
    public var description: String {
        switch self {
        case .life: return "life"
        case .fineOnly: return "fine only"
        case .term(let total):
            let years = total / 12, months = total % 12
            func unit(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
            switch (years, months) {
            case (0, _): return unit(months, "month")
            case (_, 0): return unit(years, "year")
            default: return "\(unit(years, "year")) \(unit(months, "month"))"
            }
        }
    }

    // MARK: Codable
    //
    // The encoded form is exactly the YAML form, so that Schemas/policy.schema.json describes both
    // the policy files and the canonical JSON the register records. A term is normalised to whole
    // years plus the remaining months (zero parts left out) so that one value has one encoding.

    private enum TermKeys: String, CodingKey { case years, months }
    private static let lifeToken = "life"
    private static let fineOnlyToken = "fine-only"

    /// Decodes `"life"`, `"fine-only"` or `{"years": Y, "months": M}` (either part optional, total ≥ 1).
    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let token = try? single.decode(String.self) {
            switch token {
            case Self.lifeToken: self = .life
            case Self.fineOnlyToken: self = .fineOnly
            default:
                throw DecodingError.dataCorruptedError(
                    in: single, debugDescription: "maximum must be \"life\", \"fine-only\" or {years, months}, not \"\(token)\"")
            }
            return
        }
        let container = try decoder.container(keyedBy: TermKeys.self)
        let years = try container.decodeIfPresent(Int.self, forKey: .years) ?? 0
        let months = try container.decodeIfPresent(Int.self, forKey: .months) ?? 0
        guard years >= 0, months >= 0, years * 12 + months >= 1 else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "a term must be at least one month; write fine-only for an offence with no imprisonment"))
        }
        self = .term(months: years * 12 + months)
    }

    /// Encodes as `"life"`, `"fine-only"` or `{"years": Y, "months": M}` with zero parts left out.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .life:
            var single = encoder.singleValueContainer()
            try single.encode(Self.lifeToken)
        case .fineOnly:
            var single = encoder.singleValueContainer()
            try single.encode(Self.fineOnlyToken)
        case .term(let total):
            var container = encoder.container(keyedBy: TermKeys.self)
            let years = total / 12, months = total % 12
            if years > 0 { try container.encode(years, forKey: .years) }
            if months > 0 || years == 0 { try container.encode(months, forKey: .months) }
        }
    }
}

extension MaximumCustody: CustomStringConvertible {}
