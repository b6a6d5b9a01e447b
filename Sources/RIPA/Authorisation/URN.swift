/// A unique reference number (central record field 4): `<prefix>-<year>-<number>`, e.g.
/// `DS-2026-0001`, numbered per type and year (Europe/London) from 1, at least four digits.
///
/// URNs order by type, then year, then number — never as text, which would put
/// `DS-2026-10000` before `DS-2026-9999`. Every list of cases (status, due, the central
/// record, statistics, `Register.authorisations()`) sorts with this one comparator.
public struct URN: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The type of authorisation.
    public let type: AuthorisationType
    /// The year it was applied for in.
    public let year: Int
    /// Its number within the type and year, from 1.
    public let number: Int

    /// A URN from its parts.
    public init(type: AuthorisationType, year: Int, number: Int) {
        self.type = type
        self.year = year
        self.number = number
    }

    /// Parses `<prefix>-<year>-<number>`: a known prefix, four year digits and at least four
    /// number digits; `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let type = AuthorisationType.allCases.first(where: { $0.urnPrefix == parts[0] }),
              parts[1].count == 4, parts[2].count >= 4, parts[2].count <= 18,
              parts[1].utf8.allSatisfy({ (48...57).contains($0) }), parts[2].utf8.allSatisfy({ (48...57).contains($0) }),
              let year = Int(parts[1]), let number = Int(parts[2]), number >= 1
        else { return nil }
        self.init(type: type, year: year, number: number)
    }

    /// `DS-2026-0001`: the number zero-padded to four digits, longer when it needs to be.
    public var description: String {
        let digits = String(number)
        return "\(type.urnPrefix)-\(year)-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// By type (its prefix, alphabetically: CHIS, DS, JCHIS, as the central record has always
    /// listed them), then year, then number.
    public static func < (lhs: URN, rhs: URN) -> Bool {
        (lhs.type.urnPrefix, lhs.year, lhs.number) < (rhs.type.urnPrefix, rhs.year, rhs.number)
    }

    /// Orders URNs given as text: as `URN`s, with any text that is not one after them all, by text.
    public static func areInIncreasingOrder(_ lhs: String, _ rhs: String) -> Bool {
        switch (URN(lhs), URN(rhs)) {
        case let (l?, r?): l < r || (l == r && lhs < rhs)
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): lhs < rhs
        }
    }
}

extension Sequence where Element == Authorisation {
    /// The cases in URN order (type, year, number).
    public func sortedByURN() -> [Authorisation] {
        sorted { URN.areInIncreasingOrder($0.urn, $1.urn) }
    }
}
