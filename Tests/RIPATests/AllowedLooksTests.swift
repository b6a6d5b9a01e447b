import Ledger
@testable import RIPA
import Testing

// `verify --replay` keeps the allowed looks by profile in a compact table (`AllowedLooks`).
// These check it counts exactly as a dictionary of times per key does, through the table's
// growth, for repeated keys, keys that are prefixes of others and windows (`since`).

@Suite("Allowed looks")
struct AllowedLooksTests {
    @Test("Counts agree with a dictionary of times per key, ever and since a time", arguments: [1, 7, 42])
    func agreesWithDictionary(seed: Int) {
        var looks = AllowedLooks()
        var reference: [[UInt8]: [EntryTime]] = [:]
        var generator = SystemRandomNumberGenerator()
        // Keys that share prefixes and differ only at the end, and an empty key.
        let keys = [""] + (0..<3000).map { "web:example.org/people/\($0 % (seed * 700 + 1))" } + ["web:example.org/people/1/", "x:jo", "x:j", "x:jo."]
        var time: Int64 = 1_700_000_000_000
        for _ in 0..<6000 {
            let key = keys.randomElement(using: &generator)!
            time += Int64.random(in: 0...5000, using: &generator)
            let at = EntryTime(millisecondsSince1970: time)
            looks.append(at, for: key)
            reference[Array(key.utf8), default: []].append(at)
        }
        for key in keys + ["web:example.org/people/", "never looked at"] {
            let times = reference[Array(key.utf8)] ?? []
            #expect(looks.count(for: key, since: nil) == times.count, "\(key)")
            for since in [times.first, times.last, times.randomElement(), EntryTime(millisecondsSince1970: time + 1)].compactMap({ $0 }) {
                #expect(looks.count(for: key, since: since) == times.count { $0 >= since }, "\(key) since \(since)")
            }
        }
    }

    @Test("Keys are told apart by their bytes, as the stored view rows are")
    func bytes() {
        var looks = AllowedLooks()
        let at = EntryTime(millisecondsSince1970: 0)
        looks.append(at, for: "web:caf\u{E9}.example")
        #expect(looks.count(for: "web:caf\u{E9}.example", since: nil) == 1)
        #expect(looks.count(for: "web:cafe\u{301}.example", since: nil) == 0)
    }
}
