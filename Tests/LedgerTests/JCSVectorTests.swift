import Foundation
import Ledger
import Testing

/// RFC 8785 vectors (Vectors/jcs.json): canonical bytes must match byte for byte.
@Suite("JCS vectors")
struct JCSVectorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let index: Int
        let input: JSONValue
        let canonical: String
        let canonicalBase64: String
        var testDescription: String { "case \(index): \(canonical)" }
    }

    static func cases() throws -> [Case] {
        let file = try Vectors.load("jcs")
        return try file.requiredArray("cases").enumerated().map { index, c in
            Case(index: index, input: try c.required("input"), canonical: try c.requiredString("canonical"),
                 canonicalBase64: try c.requiredString("canonical_utf8_base64"))
        }
    }

    @Test("the vector file has cases")
    func hasCases() throws {
        #expect(try Self.cases().count >= 7)
    }

    @Test("input canonicalises to the published bytes", arguments: try cases())
    func canonicalForm(_ c: Case) throws {
        let expected = try #require(Data(base64Encoded: c.canonicalBase64))
        #expect(c.input.canonicalBytes == Array(expected))
        #expect(c.input.canonicalString == c.canonical)
    }

    @Test("input re-serialised by Foundation (whitespace, other order, other escapes) canonicalises the same", arguments: try cases())
    func foundationRoundTrip(_ c: Case) throws {
        // An independent serialisation of the same input: pretty-printed, Foundation's escaping
        // (e.g. "\/") and key order, so the parser and the canonicaliser are both exercised.
        let file = try JSONSerialization.jsonObject(with: try Vectors.data("jcs"), options: [.fragmentsAllowed]) as? [String: Any]
        let cases = try #require(file?["cases"] as? [[String: Any]])
        let input = try #require(cases[c.index]["input"])
        let text = try JSONSerialization.data(withJSONObject: input, options: [.prettyPrinted, .fragmentsAllowed])
        let parsed = try JSONValue(parsing: Array(text))
        #expect(parsed == c.input)
        #expect(parsed.canonicalString == c.canonical)
    }

    @Test("canonical form is a fixed point", arguments: try cases())
    func idempotent(_ c: Case) throws {
        let reparsed = try JSONValue(parsing: c.canonical)
        #expect(reparsed == c.input)
        #expect(reparsed.canonicalString == c.canonical)
    }

    struct Refused: Sendable, CustomTestStringConvertible {
        let text: String
        let why: String
        var testDescription: String { text }
    }

    static func refused() throws -> [Refused] {
        try Vectors.load("jcs").requiredArray("refused").map {
            Refused(text: try $0.requiredString("input_json_text"), why: try $0.requiredString("why"))
        }
    }

    @Test("refused inputs throw the matching error code", arguments: try refused())
    func refusedInput(_ r: Refused) throws {
        let expected: LedgerError.Code
        if r.why.contains("floating") {
            expected = .floatNotAllowed
        } else if r.why.contains("duplicate") {
            expected = .duplicateKey
        } else {
            Issue.record("no expected code known for refusal reason \"\(r.why)\"")
            return
        }
        let error = ledgerError { _ = try JSONValue(parsing: r.text) }
        #expect(error?.code == expected)
        if expected == .floatNotAllowed {
            #expect(error?.message.contains("floating-point numbers are outside the register's canonical form") == true)
        }
        if expected == .duplicateKey {
            #expect(error?.message.contains("\"a\"") == true)
        }
    }
}
