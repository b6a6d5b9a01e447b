import Foundation
@testable import RIPA
import Testing

// The gate finds the copy and mirror rules of a host by lookup (`ProfileAddressRules.HostIndex`)
// rather than by testing every pattern. These check, over many generated hosts and rule
// lists, that the lookup gives exactly what testing each pattern in the pack's order gives.

/// The definition the index must agree with: every pattern tested, in order.
private func referenceCopies(_ rules: ProfileAddressRules, _ host: String) -> [ProfileAddressRules.Copy] {
    let first = ProfileAddressRules.firstLabel(of: host)
    return rules.copies.filter { ProfileAddressRules.matches($0.host, host: host, firstLabel: first) }
}

private func referenceMirror(_ rules: ProfileAddressRules, _ host: String) -> ProfileAddressRules.Mirror? {
    let first = ProfileAddressRules.firstLabel(of: host)
    return rules.mirrors.first { ProfileAddressRules.matches($0.host, host: host, firstLabel: first) }
}

/// Labels that make patterns and hosts collide often: the generic prefixes, the pack's own
/// sites' labels, and a few others.
private let labels = ["www", "m", "mobile", "archive", "org", "web", "google", "com", "co", "uk", "nitter", "net", "l", "facebook", "translate", "goog", "x"]

private func host(_ rng: inout SplitMix) -> String {
    (0..<Int.random(in: 1...5, using: &rng)).map { _ in labels.randomElement(using: &rng)! }.joined(separator: ".")
}

private func pattern(_ rng: inout SplitMix) -> String {
    Int.random(in: 0..<4, using: &rng) == 0 ? labels.randomElement(using: &rng)! + ".*" : host(&rng)
}

@Suite("Profile host index")
struct ProfileHostIndexTests {
    @Test("The shipped rules: lookup equals testing every pattern, for generated and real hosts")
    func shippedRules() {
        var rng = SplitMix(seed: 1)
        let rules = ProfileAddressRules.defaults
        var hosts = (rules.copies.map(\.host) + rules.mirrors.map(\.host)).map { $0.replacingOccurrences(of: "*", with: "com") }
        hosts += hosts.flatMap { ["www." + $0, "m." + $0, "sub." + $0, "x" + $0] }
        hosts += (0..<5000).map { _ in host(&rng) }
        for host in hosts {
            #expect(rules.copies(on: host) == referenceCopies(rules, host), "copies on \(host)")
            #expect(rules.mirror(on: host) == referenceMirror(rules, host), "mirror on \(host)")
        }
    }

    @Test("Generated rule lists (repeated patterns, label patterns, overlapping sites)", arguments: 1...40)
    func generatedRules(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        let platforms = Platform.allCases
        let rules = ProfileAddressRules(
            copies: (0..<Int.random(in: 0...12, using: &rng)).map { _ in
                .init(host: pattern(&rng), addressIn: ProfileAddressRules.Carrier.allCases.randomElement(using: &rng)!)
            },
            mirrors: (0..<Int.random(in: 0...12, using: &rng)).map { _ in
                .init(host: pattern(&rng), platform: platforms.randomElement(using: &rng)!)
            },
            identifyingQueryParameters: [], source: "test")
        for _ in 0..<500 {
            let host = host(&rng)
            #expect(rules.copies(on: host) == referenceCopies(rules, host), "seed \(seed): copies on \(host)")
            #expect(rules.mirror(on: host) == referenceMirror(rules, host), "seed \(seed): mirror on \(host)")
        }
    }

    @Test("Changing the rules is seen at once: the index is never answered from older rules")
    func changedRules() {
        var rules = ProfileAddressRules.defaults
        #expect(rules.mirror(on: "mirror.example") == nil)
        rules.mirrors.append(.init(host: "mirror.example", platform: .x))
        #expect(rules.mirror(on: "mirror.example")?.platform == .x)
        #expect(ProfileAddressRules.defaults.mirror(on: "mirror.example") == nil)
    }

    @Test("Stripping the generic prefixes without splitting agrees with splitting", arguments: [
        "www.example.com", "m.www.example.com", "www.m", "www.com", "www.www.com", "mobile.m.www.example.co.uk",
        "example.com", "a", "", ".", "www..example.com", ".www.example.com", "www.example.com.", "wwW.example.com",
        "m.example", "www.münchen.de", "www.xn--mnchen-3ya.de",
    ])
    func stripped(host: String) {
        let splitting = host.split(separator: ".").map(String.init)
        var labels = splitting
        while labels.count > 2, let first = labels.first, PlatformHost.genericPrefixes.contains(first) { labels.removeFirst() }
        #expect(PlatformHost.stripped(host) == labels.joined(separator: "."))
    }
}
