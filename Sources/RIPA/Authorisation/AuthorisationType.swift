/// The kinds of authorisation a council may grant under Part II of RIPA 2000.
///
/// The raw values are the spelling used in policy packs, application files and the register's
/// entries; they never change once written.
public enum AuthorisationType: String, Sendable, Codable, CaseIterable {
    /// Directed surveillance, RIPA s.28. Bound by the serious crime threshold (SI 2010/521 art. 7A).
    case directedSurveillance = "directed-surveillance"
    /// The conduct or use of a covert human intelligence source, RIPA s.29.
    case chis = "chis"
    /// A covert human intelligence source under 18: RIPA s.29 with the extra safeguards and the
    /// shorter duration of the Regulation of Investigatory Powers (Juveniles) Order 2000 (SI 2000/2793).
    case juvenileCHIS = "juvenile-chis"

    /// The prefix of this type's unique reference numbers (central record field 4): `DS`, `CHIS`, `JCHIS`.
    public var urnPrefix: String {
        switch self {
        case .directedSurveillance: "DS"
        case .chis: "CHIS"
        case .juvenileCHIS: "JCHIS"
        }
    }

    /// The type as a phrase for messages and the central record, e.g. "directed surveillance".
    public var title: String {
        switch self {
        case .directedSurveillance: "directed surveillance"
        case .chis: "covert human intelligence source"
        case .juvenileCHIS: "juvenile covert human intelligence source"
        }
    }

    /// The key that names this type inside a policy pack's `durations` mapping
    /// (`directed_surveillance`, `chis`, `juvenile_chis`): YAML keys there are snake_case like
    /// every other key of the pack, while values (`applies_to`) use the raw value.
    public var policyKey: String {
        switch self {
        case .directedSurveillance: "directed_surveillance"
        case .chis: "chis"
        case .juvenileCHIS: "juvenile_chis"
        }
    }
}
