extension JSONValue {
    /// Parses JSON text (RFC 8259) strictly into a value the register's canonical form can represent.
    ///
    /// Whitespace between tokens is allowed (this is a parser, not a canonical-form check; see
    /// ``canonicalBytes`` for that). Refused, with the byte offset in the message:
    /// fractions and exponents (``LedgerError/Code/floatNotAllowed``), repeated member names
    /// (``LedgerError/Code/duplicateKey``), integers beyond ±(2^53 − 1)
    /// (``LedgerError/Code/integerOutOfRange``), and as ``LedgerError/Code/malformedJSON``:
    /// invalid UTF-8, unescaped control characters, lone surrogate escapes, nesting deeper than 64,
    /// a byte-order mark, and anything after the value.
    /// - Throws: ``LedgerError`` as above.
    public init(parsing bytes: some Collection<UInt8>) throws(LedgerError) {
        let result = bytes.withContiguousStorageIfAvailable { JSONParser.parse($0) }
            ?? Array(bytes).withUnsafeBufferPointer { JSONParser.parse($0) }
        self = try result.get()
    }

    /// Parses JSON text given as a String; see ``init(parsing:)-(Collection<UInt8>)``.
    /// - Throws: ``LedgerError`` as for the byte form.
    public init(parsing text: String) throws(LedgerError) {
        var text = text
        self = try text.withUTF8 { JSONParser.parse($0) }.get()
    }
}

/// Recursive-descent RFC 8259 parser over a byte buffer.
///
/// Works on raw bytes (never Foundation, never per-Character String scanning) because the verifier
/// parses every entry of the log; strings without escapes are created straight from the buffer.
struct JSONParser {
    /// The deepest nesting of arrays and objects accepted; bounds recursion on hostile input.
    static let maxDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private var pos = 0
    /// Reused buffer for strings that contain escapes.
    private var scratch: [UInt8] = []

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses exactly one JSON value, surrounded by optional whitespace.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, LedgerError> {
        var parser = JSONParser(bytes: bytes)
        do throws(LedgerError) {
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                throw parser.syntax("byte-order mark is not allowed before JSON text")
            }
            parser.skipWhitespace()
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            if parser.pos != bytes.count {
                throw parser.syntax("unexpected \(parser.describeByte()) after the end of the JSON value")
            }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    // MARK: Errors

    private func syntax(_ what: String, at offset: Int? = nil) -> LedgerError {
        LedgerError(.malformedJSON, "invalid JSON at byte \(offset ?? pos): \(what)")
    }

    private func describeByte() -> String {
        guard pos < bytes.count else { return "end of input" }
        let b = bytes[pos]
        if b >= 0x21 && b < 0x7F { return "character '\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    // MARK: Structure

    @inline(__always)
    private mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(LedgerError) -> JSONValue {
        guard pos < bytes.count else { throw syntax("unexpected end of input, expected a value") }
        switch bytes[pos] {
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .integer(try parseNumber())
        default:
            throw syntax("unexpected \(describeByte()), expected a value")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(LedgerError) {
        let n = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        guard pos + n <= bytes.count else { throw syntax("invalid literal, expected \(literal)") }
        for i in 0..<n where bytes[pos + i] != start[i] {
            throw syntax("invalid literal, expected \(literal)")
        }
        pos += n
    }

    private mutating func parseObject(depth: Int) throws(LedgerError) -> JSONValue {
        if depth > Self.maxDepth { throw syntax("nesting deeper than \(Self.maxDepth) levels") }
        pos += 1
        skipWhitespace()
        var members: [String: JSONValue] = [:]
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") {
            pos += 1
            return .object(members)
        }
        while true {
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                throw syntax("unexpected \(describeByte()), expected a member name in double quotes")
            }
            let keyOffset = pos
            let key = try parseString()
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
                throw syntax("unexpected \(describeByte()), expected ':' after member name")
            }
            pos += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            if members.updateValue(value, forKey: key) != nil {
                throw LedgerError(
                    .duplicateKey,
                    "invalid JSON at byte \(keyOffset): duplicate member name \"\(key)\" (RFC 8785 needs unique names)")
            }
            skipWhitespace()
            guard pos < bytes.count else { throw syntax("unexpected end of input inside an object") }
            switch bytes[pos] {
            case UInt8(ascii: ","):
                pos += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                pos += 1
                return .object(members)
            default:
                throw syntax("unexpected \(describeByte()), expected ',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(LedgerError) -> JSONValue {
        if depth > Self.maxDepth { throw syntax("nesting deeper than \(Self.maxDepth) levels") }
        pos += 1
        skipWhitespace()
        var elements: [JSONValue] = []
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") {
            pos += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard pos < bytes.count else { throw syntax("unexpected end of input inside an array") }
            switch bytes[pos] {
            case UInt8(ascii: ","):
                pos += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                pos += 1
                return .array(elements)
            default:
                throw syntax("unexpected \(describeByte()), expected ',' or ']' in an array")
            }
        }
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(LedgerError) -> Int64 {
        let start = pos
        var negative = false
        if bytes[pos] == UInt8(ascii: "-") {
            negative = true
            pos += 1
        }
        guard pos < bytes.count, isDigit(bytes[pos]) else { throw syntax("expected a digit after '-'") }
        var magnitude: Int64 = 0
        var tooBig = false
        if bytes[pos] == UInt8(ascii: "0") {
            pos += 1
            if pos < bytes.count && isDigit(bytes[pos]) {
                throw syntax("leading zeros are not allowed in numbers", at: start)
            }
        } else {
            while pos < bytes.count && isDigit(bytes[pos]) {
                if !tooBig {
                    magnitude = magnitude * 10 + Int64(bytes[pos] - UInt8(ascii: "0"))
                    if magnitude > JSONValue.maxSafeInteger { tooBig = true }
                }
                pos += 1
            }
        }
        if pos < bytes.count,
           bytes[pos] == UInt8(ascii: ".") || bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            try skipFractionAndExponent()
            throw LedgerError(
                .floatNotAllowed,
                "invalid JSON at byte \(start): floating-point numbers are outside the register's canonical form (use an integer)")
        }
        if tooBig {
            throw LedgerError(
                .integerOutOfRange,
                "invalid JSON at byte \(start): integer is outside the safe range ±9007199254740991 (2^53 − 1)")
        }
        return negative ? -magnitude : magnitude
    }

    /// Checks the RFC 8259 grammar of a fraction/exponent so that "1." is reported as bad JSON, not as a float.
    private mutating func skipFractionAndExponent() throws(LedgerError) {
        if bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            guard pos < bytes.count, isDigit(bytes[pos]) else { throw syntax("expected a digit after '.'") }
            while pos < bytes.count && isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
            pos += 1
            if pos < bytes.count && (bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-")) { pos += 1 }
            guard pos < bytes.count, isDigit(bytes[pos]) else { throw syntax("expected a digit in the exponent") }
            while pos < bytes.count && isDigit(bytes[pos]) { pos += 1 }
        }
    }

    @inline(__always)
    private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    // MARK: Strings

    /// Parses a string starting at the opening quote; validates UTF-8 and escapes.
    private mutating func parseString() throws(LedgerError) -> String {
        pos += 1
        let start = pos
        // Fast path: no escapes, so the String can be made straight from the (validated) buffer.
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
                pos += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw controlCharacter(b) }
            if b < 0x80 { pos += 1 } else { try skipUTF8Sequence() }
        }
        guard pos < bytes.count else { throw syntax("unterminated string", at: start - 1) }

        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") {
                try parseEscape()
                continue
            }
            if b < 0x20 { throw controlCharacter(b) }
            if b < 0x80 {
                scratch.append(b)
                pos += 1
            } else {
                let from = pos
                try skipUTF8Sequence()
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from..<pos]))
            }
        }
        throw syntax("unterminated string", at: start - 1)
    }

    private func controlCharacter(_ b: UInt8) -> LedgerError {
        let hex = String(b, radix: 16, uppercase: true)
        return syntax("control character U+\(hex.count == 1 ? "000" : "00")\(hex) must be escaped in a string")
    }

    /// Parses one escape at `pos` (a backslash) and appends its UTF-8 to `scratch`.
    private mutating func parseEscape() throws(LedgerError) {
        let escapeStart = pos
        pos += 1
        guard pos < bytes.count else { throw syntax("unterminated escape sequence", at: escapeStart) }
        let c = bytes[pos]
        pos += 1
        switch c {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4(escapeStart: escapeStart)
            if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw syntax("lone low surrogate \\u\(String(scalar, radix: 16)) in a string", at: escapeStart)
            }
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                // A high surrogate is only meaningful as the first half of a pair.
                guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                    throw syntax("lone high surrogate \\u\(String(scalar, radix: 16)) in a string", at: escapeStart)
                }
                let lowStart = pos
                pos += 2
                let low = try parseHex4(escapeStart: lowStart)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw syntax("high surrogate \\u\(String(scalar, radix: 16)) not followed by a low surrogate", at: escapeStart)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            appendUTF8(scalar)
        default:
            throw syntax("invalid escape sequence '\\\(Character(Unicode.Scalar(c)))'", at: escapeStart)
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(LedgerError) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw syntax("truncated \\u escape", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw syntax("invalid hex digit in \\u escape", at: escapeStart)
            }
            value = value << 4 | digit
            pos += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `pos` (Unicode §3.9, Table 3-7: no overlongs,
    /// no encoded surrogates, nothing above U+10FFFF) and steps over it.
    private mutating func skipUTF8Sequence() throws(LedgerError) {
        let lead = bytes[pos]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: throw syntax("invalid UTF-8 byte 0x\(String(lead, radix: 16, uppercase: true))")
        }
        guard pos + length <= bytes.count else { throw syntax("truncated UTF-8 sequence") }
        let second = bytes[pos + 1]
        guard second >= lower && second <= upper else { throw syntax("invalid UTF-8 sequence") }
        for i in 2..<max(length, 2) where bytes[pos + i] & 0xC0 != 0x80 {
            throw syntax("invalid UTF-8 sequence")
        }
        pos += length
    }
}
