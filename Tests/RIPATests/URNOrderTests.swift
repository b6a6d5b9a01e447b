import Foundation
import Ledger
import Testing

@testable import RIPA

/// A seeded generator, so a failing property names a case that can be run again.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// URNs sort by type, year and number, never as text (issue 8 §7).
@Suite struct URNOrderTests {
    @Test("URNs parse and print as the register numbers them", arguments: [
        ("DS-2026-0001", URN(type: .directedSurveillance, year: 2026, number: 1)),
        ("CHIS-2027-0042", URN(type: .chis, year: 2027, number: 42)),
        ("JCHIS-2026-9999", URN(type: .juvenileCHIS, year: 2026, number: 9999)),
        ("DS-2026-10000", URN(type: .directedSurveillance, year: 2026, number: 10000)),
    ])
    func parses(text: String, urn: URN) {
        #expect(URN(text) == urn)
        #expect(urn.description == text)
    }

    @Test("what is not a URN is not read as one", arguments: [
        "DS-2026-001", "XS-2026-0001", "DS-26-0001", "DS-2026-0000", "ds-2026-0001", "DS-2026-00a1", "DS--2026-0001",
        "DS-2026-0001-1", "DS-2026", "", "DS-2026-+001",
    ])
    func refuses(text: String) {
        #expect(URN(text) == nil)
    }

    /// Random URNs of every type, over several years and numbers either side of 9999.
    static func randomURNs(_ count: Int, seed: UInt64) -> [URN] {
        var rng = SplitMix(seed: seed)
        return (0..<count).map { _ in
            let number = Bool.random(using: &rng) ? Int.random(in: 1...20, using: &rng) : Int.random(in: 9990...10_010, using: &rng)
            return URN(type: AuthorisationType.allCases.randomElement(using: &rng)!, year: Int.random(in: 2025...2028, using: &rng), number: number)
        }
    }

    @Test("property: sorting by the comparator is sorting by (type, year, number), whatever the input order", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func comparatorIsTypeYearNumber(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        let urns = Self.randomURNs(300, seed: seed)
        let expected = urns.sorted { ($0.type.urnPrefix, $0.year, $0.number) < ($1.type.urnPrefix, $1.year, $1.number) }.map(\.description)
        for _ in 0..<3 {
            let texts = urns.map(\.description).shuffled(using: &rng)
            #expect(texts.sorted(by: URN.areInIncreasingOrder) == expected)
        }
        // A strict weak order: irreflexive, asymmetric, transitive.
        let sample = Array(urns.prefix(40)).map(\.description)
        for a in sample {
            #expect(!URN.areInIncreasingOrder(a, a))
            for b in sample {
                #expect(!(URN.areInIncreasingOrder(a, b) && URN.areInIncreasingOrder(b, a)))
                for c in sample.prefix(10) where URN.areInIncreasingOrder(a, b) && URN.areInIncreasingOrder(b, c) {
                    #expect(URN.areInIncreasingOrder(a, c))
                }
            }
        }
    }

    @Test("property: within one type and year, order is the number's, though text order is not")
    func numberNotText() {
        var rng = SplitMix(seed: 9)
        for _ in 0..<200 {
            let a = Int.random(in: 1...99_999, using: &rng), b = Int.random(in: 1...99_999, using: &rng)
            let (l, r) = (URN(type: .directedSurveillance, year: 2026, number: a).description, URN(type: .directedSurveillance, year: 2026, number: b).description)
            #expect(URN.areInIncreasingOrder(l, r) == (a < b), "\(l) \(r)")
        }
        #expect("DS-2026-10000" < "DS-2026-9999", "text order is the bug")
        #expect(URN.areInIncreasingOrder("DS-2026-9999", "DS-2026-10000"))
        #expect(URN.areInIncreasingOrder("DS-2026-99999", "DS-2027-0001"))
        #expect(URN.areInIncreasingOrder("CHIS-2027-0001", "DS-2026-0001"), "type before year")
        #expect(URN.areInIncreasingOrder("JCHIS-2026-0001", "not-a-urn"), "what is not a URN comes last")
    }

    /// A case with a given URN, granted and JP-approved, so it appears everywhere.
    static func approvedCase(_ urn: URN, policy: Policy) throws -> Authorisation {
        var a = try LifecycleFixture.approved(urn.type, grantedAt: "2026-01-12T10:00:00.000Z", approvedAt: "2026-01-14T10:00:00.000Z", policy: policy)
        a.urn = urn.description
        return a
    }

    @Test("the central record, the due list and sortedByURN all follow the one order")
    func everyListFollowsIt() throws {
        let policy = try LifecycleFixture.policy()
        let urns = Self.randomURNs(60, seed: 77)
        let unique = Array(Set(urns))
        var rng = SplitMix(seed: 78)
        let cases = try unique.shuffled(using: &rng).map { try Self.approvedCase($0, policy: policy) }
        let expected = unique.sorted().map(\.description)
        #expect(cases.sortedByURN().map(\.urn) == expected)
        let london = policy.rules.zone
        let rows = CentralRecord.rows(cases, from: nil, to: nil, timeZone: london, at: LifecycleFixture.time("2026-02-20T09:00:00.000Z"))
        #expect(rows.map(\.urn) == expected)
        // All are overdue for review on the same date: the URN alone orders them.
        let due = DueList.items(cases, at: LifecycleFixture.time("2026-02-20T09:00:00.000Z"), within: 0, timeZone: london)
        let overdue = due.filter { $0.kind == .reviewOverdue }.map(\.urn)
        #expect(overdue == expected)
    }
}
