import Foundation
import Ledger
import Testing

@Suite("JSON parser and canonical form")
struct JSONValueTests {
    struct Bad: Sendable, CustomTestStringConvertible {
        let text: [UInt8]
        let code: LedgerError.Code
        let label: String
        init(_ text: String, _ code: LedgerError.Code, _ label: String) {
            self.text = Array(text.utf8)
            self.code = code
            self.label = label
        }
        init(bytes: [UInt8], _ code: LedgerError.Code, _ label: String) {
            self.text = bytes
            self.code = code
            self.label = label
        }
        var testDescription: String { label }
    }

    static let bad: [Bad] = [
        Bad("1.5", .floatNotAllowed, "fraction"),
        Bad("1e3", .floatNotAllowed, "exponent"),
        Bad("-0.0", .floatNotAllowed, "negative zero float"),
        Bad("[1E+2]", .floatNotAllowed, "exponent with sign"),
        Bad("1.", .malformedJSON, "dot without digits is bad JSON, not a float"),
        Bad("9007199254740992", .integerOutOfRange, "2^53"),
        Bad("-9007199254740992", .integerOutOfRange, "-2^53"),
        Bad("123456789012345678901234567890", .integerOutOfRange, "huge integer"),
        Bad("{\"a\":1,\"b\":2,\"a\":3}", .duplicateKey, "duplicate member"),
        Bad("{\"\\u0061\":1,\"a\":2}", .duplicateKey, "duplicate member spelled differently"),
        Bad("01", .malformedJSON, "leading zero"),
        Bad("-", .malformedJSON, "lone minus"),
        Bad("+1", .malformedJSON, "plus sign"),
        Bad("[1,]", .malformedJSON, "trailing comma"),
        Bad("{\"a\":1,}", .malformedJSON, "trailing comma in object"),
        Bad("{a:1}", .malformedJSON, "unquoted name"),
        Bad("'a'", .malformedJSON, "single quotes"),
        Bad("[1] x", .malformedJSON, "trailing bytes"),
        Bad("{} {}", .malformedJSON, "two values"),
        Bad("", .malformedJSON, "empty input"),
        Bad("   ", .malformedJSON, "only whitespace"),
        Bad("tru", .malformedJSON, "truncated literal"),
        Bad("nul", .malformedJSON, "truncated null"),
        Bad("\"abc", .malformedJSON, "unterminated string"),
        Bad("\"a\tb\"", .malformedJSON, "raw tab in string"),
        Bad("\"a\u{01}b\"", .malformedJSON, "raw control character"),
        Bad("\"\\x41\"", .malformedJSON, "unknown escape"),
        Bad("\"\\u12\"", .malformedJSON, "short unicode escape"),
        Bad("\"\\uD800\"", .malformedJSON, "lone high surrogate"),
        Bad("\"\\uDC00\"", .malformedJSON, "lone low surrogate"),
        Bad("\"\\uD800\\u0041\"", .malformedJSON, "high surrogate then non-surrogate"),
        Bad("\"\\uD83D\\uD83D\"", .malformedJSON, "two high surrogates"),
        Bad(bytes: [0x22, 0xFF, 0x22], .malformedJSON, "invalid UTF-8 byte"),
        Bad(bytes: [0x22, 0xC0, 0xAF, 0x22], .malformedJSON, "overlong UTF-8"),
        Bad(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], .malformedJSON, "UTF-8 encoded surrogate"),
        Bad(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .malformedJSON, "UTF-8 above U+10FFFF"),
        Bad(bytes: [0x22, 0xE2, 0x82, 0x22], .malformedJSON, "truncated UTF-8"),
        Bad(bytes: [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], .malformedJSON, "byte-order mark"),
        Bad(String(repeating: "[", count: 65) + String(repeating: "]", count: 65), .malformedJSON, "depth 65"),
        Bad(String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65), .malformedJSON, "object depth 65"),
    ]

    @Test("refuses", arguments: bad)
    func refuses(_ b: Bad) {
        let error = ledgerError { _ = try JSONValue(parsing: b.text) }
        #expect(error?.code == b.code, "\(b.label): got \(String(describing: error))")
        #expect(error?.message.contains("byte") == true, "message should give the byte offset: \(String(describing: error))")
    }

    @Test("error messages give the byte offset of the problem")
    func offsets() {
        #expect(ledgerError { _ = try JSONValue(parsing: "{\"a\": 1.5}") }?.message.contains("byte 6") == true)
        #expect(ledgerError { _ = try JSONValue(parsing: "{\"a\":1,\"a\":2}") }?.message.contains("byte 7") == true)
    }

    @Test("depth 64 is accepted")
    func depth64() throws {
        let text = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        let value = try JSONValue(parsing: text)
        #expect(value.canonicalString == text)
    }

    @Test("whitespace is allowed between tokens; canonical form drops it")
    func whitespace() throws {
        let value = try JSONValue(parsing: " \t\r\n{ \"b\" : [ 1 , 2 ] ,\n \"a\" : null } \n")
        #expect(value.canonicalString == #"{"a":null,"b":[1,2]}"#)
    }

    @Test("the safe-range limits are accepted")
    func limits() throws {
        #expect(try JSONValue(parsing: "9007199254740991") == .integer(9_007_199_254_740_991))
        #expect(try JSONValue(parsing: "-9007199254740991") == .integer(-9_007_199_254_740_991))
        #expect(try JSONValue(parsing: "-0").canonicalString == "0")
    }

    @Test("escapes decode, including surrogate pairs and \\/")
    func escapes() throws {
        let value = try JSONValue(parsing: #""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude00\u0000""#)
        #expect(value == .string("\"\\/\u{08}\u{0C}\n\r\tAé€😀\u{00}"))
    }

    @Test("JCS string escaping: two-character forms, lowercase \\u00xx, everything else raw")
    func canonicalEscaping() {
        let value = JSONValue.string("\u{08}\t\n\u{0C}\r\"\\/\u{00}\u{1F}\u{7F}\u{2028}\u{2029}é😀")
        let expected: [UInt8] = Array(#""\b\t\n\f\r\"\\/\u0000\u001f"#.utf8) + [0x7F] + Array("\u{2028}\u{2029}é😀\"".utf8)
        #expect(value.canonicalBytes == expected)
    }

    @Test("member names sort by UTF-16 code units, not code points")
    func utf16Order() {
        // U+FB33 (one UTF-16 unit, 0xFB33) sorts after U+1F600 (surrogates 0xD83D 0xDE00) in UTF-16,
        // though before it in code-point order.
        let value: JSONValue = ["\u{FB33}": 1, "\u{1F600}": 2, "\u{E000}": 3, "z": 4, "\u{10000}": 5, "": 6, "a\u{1F600}": 7, "a\u{FFFF}": 8]
        #expect(value.canonicalString == "{\"\":6,\"a\u{1F600}\":7,\"a\u{FFFF}\":8,\"z\":4,\"\u{10000}\":5,\"\u{1F600}\":2,\"\u{E000}\":3,\"\u{FB33}\":1}")
    }

    @Test("member order agrees with a UTF-16 sort on random names")
    func utf16OrderRandom() {
        var rng = SeededGenerator(seed: 7)
        let alphabet: [Unicode.Scalar] = ["a", "b", "\u{7F}", "\u{80}", "\u{7FF}", "\u{800}", "\u{D7FF}", "\u{E000}", "\u{FFFF}", "\u{10000}", "\u{10FFFF}"]
        for _ in 0..<200 {
            var members: [String: JSONValue] = [:]
            for i in 0..<8 {
                var s = String.UnicodeScalarView()
                for _ in 0..<Int.random(in: 0...3, using: &rng) { s.append(alphabet.randomElement(using: &rng)!) }
                members[String(s)] = .integer(Int64(i))
            }
            let sortedNames = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            let expected = "{" + sortedNames.map { "\(JSONValue.string($0).canonicalString):\(members[$0]!.canonicalString)" }.joined(separator: ",") + "}"
            #expect(JSONValue.object(members).canonicalString == expected)
        }
    }

    @Test("integers write in shortest form")
    func integers() {
        let value: JSONValue = [0, 7, -7, 10, -100, 9_007_199_254_740_991, -9_007_199_254_740_991]
        #expect(value.canonicalString == "[0,7,-7,10,-100,9007199254740991,-9007199254740991]")
    }

    @Test("accessors return the payload of the matching case only")
    func accessors() {
        let value: JSONValue = ["s": "x", "n": 3, "b": true, "a": [nil], "o": [:]]
        #expect(value["s"]?.stringValue == "x")
        #expect(value["n"]?.integerValue == 3)
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?.arrayValue == [.null])
        #expect(value["a"]?.arrayValue?.first?.isNull == true)
        #expect(value["o"]?.objectValue == [:])
        #expect(value["missing"] == nil)
        #expect(value["s"]?.integerValue == nil)
        #expect(JSONValue.string("x")["s"] == nil)
    }

    struct Body: Codable, Equatable {
        var name: String
        var count: Int
        var tags: [String]
        var note: String?
    }

    @Test("Encodable and Decodable round trip through the canonical form")
    func codable() throws {
        let body = Body(name: "a/b", count: 42, tags: ["x", "y"], note: nil)
        let value = try JSONValue(encoding: body)
        #expect(value.canonicalString == #"{"count":42,"name":"a/b","tags":["x","y"]}"#)
        #expect(try value.decode(Body.self) == body)
    }

    @Test("encoding a fractional Double is refused; decoding the wrong shape names the problem")
    func codableErrors() {
        struct Measure: Encodable { var ratio: Double }
        #expect(ledgerError { _ = try JSONValue(encoding: Measure(ratio: 0.5)) }?.code == .floatNotAllowed)
        let partial: JSONValue = ["name": "x"]
        let error = ledgerError { _ = try partial.decode(Body.self) }
        #expect(error?.code == .malformedJSON)
        #expect(error?.message.contains("count") == true)
    }

    @Test("String and byte parsing agree")
    func stringAndBytes() throws {
        let text = #"{"k":["v",1,true,null]}"#
        #expect(try JSONValue(parsing: text) == JSONValue(parsing: Array(text.utf8)))
        #expect(try JSONValue(parsing: text[...].utf8) == JSONValue(parsing: text))
    }
}
