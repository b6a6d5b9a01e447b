import Foundation
import Ledger
import Testing

/// The parser's canonical-form check must agree exactly with "bytes == JCS(parse(bytes))".
@Suite("Canonical-form detection")
struct CanonicalFormTests {
    static let alphabet: [String] = [
        "a", "b", "Z", "0", " ", "/", "\"", "\\", "\n", "\t", "\u{08}", "\u{0C}", "\r", "\u{00}", "\u{1F}", "\u{7F}",
        "é", "\u{2028}", "\u{E000}", "\u{FFFF}", "😀", "\u{10000}", "u", "-",
    ]

    static func randomString(_ rng: inout SeededGenerator) -> String {
        (0..<Int.random(in: 0...4, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
    }

    static func randomValue(_ rng: inout SeededGenerator, depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth >= 3 ? 5 : 7), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .integer([0, 1, -1, 10, -10, 9_007_199_254_740_991, -9_007_199_254_740_991, Int64.random(in: -1000...1000, using: &rng)].randomElement(using: &rng)!)
        case 3, 4: return .string(randomString(&rng))
        case 5: return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &rng) { members[randomString(&rng)] = randomValue(&rng, depth: depth + 1) }
            return .object(members)
        }
    }

    /// Checks the property for one input; returns whether the input parsed at all.
    @discardableResult
    static func check(_ bytes: [UInt8]) -> Bool {
        guard let parsed = try? JSONValue(parsing: bytes) else {
            #expect((try? JSONValue(parsingCanonical: bytes)) == nil, "parsingCanonical accepted what parsing refused")
            return false
        }
        let isCanonical = parsed.canonicalBytes == bytes
        let error = ledgerError { _ = try JSONValue(parsingCanonical: bytes) }
        #expect((error == nil) == isCanonical, "disagreement on \(String(decoding: bytes, as: UTF8.self).debugDescription)")
        if let error { #expect(error.code == .notCanonical) }
        return true
    }

    static let mutationBytes: [UInt8] = Array(" \\u0Aa-\",/e}{:[]1\t".utf8) + [0xC3, 0xA9]

    @Test("agrees with re-serialisation on random values, their Foundation forms and random mutations")
    func differential() throws {
        var rng = SeededGenerator(seed: 8785)
        var parsedMutations = 0
        for _ in 0..<400 {
            let value = Self.randomValue(&rng)
            let canonical = value.canonicalBytes
            #expect(try JSONValue(parsingCanonical: canonical) == value)
            Self.check(canonical)
            if case .object = value {
                let foundation = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(canonical)))
                Self.check(Array(foundation))
            }
            for _ in 0..<20 {
                var bytes = canonical
                let position = Int.random(in: 0...bytes.count, using: &rng)
                let byte = Self.mutationBytes.randomElement(using: &rng)!
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes.insert(byte, at: position)
                case 1: if position < bytes.count { bytes[position] = byte }
                default: if position < bytes.count { bytes.remove(at: position) }
                }
                if Self.check(bytes) { parsedMutations += 1 }
            }
        }
        #expect(parsedMutations > 500, "enough mutations must still be valid JSON for the test to mean something")
    }

    struct Variant: Sendable, CustomTestStringConvertible {
        let text: String
        let canonical: Bool
        var testDescription: String { text }
    }

    static let variants: [Variant] = [
        Variant(text: #"{"a":1,"b":[true,null]}"#, canonical: true),
        Variant(text: #"{"b":1,"a":2}"#, canonical: false),
        Variant(text: #"{"a": 1}"#, canonical: false),
        Variant(text: #"{"a":-0}"#, canonical: false),
        Variant(text: #"["\u001f"]"#, canonical: true),
        Variant(text: #"["\u001F"]"#, canonical: false),
        Variant(text: #"["\u000a"]"#, canonical: false),
        Variant(text: #"["\n"]"#, canonical: true),
        Variant(text: #"["\/"]"#, canonical: false),
        Variant(text: #"["\u0041"]"#, canonical: false),
        Variant(text: #"["\ud83d\ude00"]"#, canonical: false),
        Variant(text: "[\"\u{1F600}\u{2028}\u{7F}\"]", canonical: true),
        Variant(text: "{\"\u{1F600}\":1,\"\u{E000}\":2}", canonical: true),
        Variant(text: "{\"\u{E000}\":1,\"\u{1F600}\":2}", canonical: false),
        Variant(text: "{\"\\u00e9\":1}", canonical: false),
        Variant(text: "[1]\n", canonical: false),
    ]

    @Test("parsingCanonical on hand-picked variants", arguments: variants)
    func variantsTest(_ v: Variant) {
        let error = ledgerError { _ = try JSONValue(parsingCanonical: Array(v.text.utf8)) }
        #expect((error == nil) == v.canonical, "\(String(describing: error))")
        if let error {
            #expect(error.code == .notCanonical)
            #expect(error.message.contains("byte"))
        }
    }
}
