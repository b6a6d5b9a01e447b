/// Recursive-descent RFC 8259 parser over a byte buffer.
///
/// Works on raw bytes (never Foundation, never per-Character String scanning) because the verifier
/// parses every entry of the log; strings without escapes are created straight from the buffer.
/// While parsing it also notes the first place where the input departs from RFC 8785 canonical form,
/// so canonical input can be recognised without serialising it again.
struct JSONParser {
    /// The deepest nesting of arrays and objects accepted; bounds recursion on hostile input.
    static let maxDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private var pos = 0
    /// Reused buffer for strings that contain escapes.
    private var scratch: [UInt8] = []
    /// Byte offset of the first departure from canonical form, if any.
    private(set) var firstNonCanonicalOffset: Int?
    /// The raw bytes of the last string parsed, if it had no escapes (so they are its UTF-8).
    private var lastRawString: Range<Int>?

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses exactly one JSON value, surrounded by optional whitespace (refused if `requireCanonical`).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, requireCanonical: Bool = false) -> Result<JSONValue, LedgerError> {
        var parser = JSONParser(bytes: bytes)
        do throws(LedgerError) {
            try parser.checkNoByteOrderMark()
            parser.skipWhitespace()
            let value = try parser.parseValue(depth: 0)
            try parser.expectEnd()
            if requireCanonical, let offset = parser.firstNonCanonicalOffset {
                throw notCanonical(at: offset)
            }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    /// The error for bytes that parse but are not in canonical form.
    static func notCanonical(at offset: Int) -> LedgerError {
        LedgerError(
            .notCanonical,
            "JSON is not in RFC 8785 canonical form at byte \(offset) (whitespace, member order, escaping or number form)")
    }

    /// Parses a top-level object member by member, handing each name, value and the byte range of the
    /// member (name through value) to `visit`, without building a dictionary for the top level.
    ///
    /// `visit` must refuse repeated names itself. Returns the offset of the first non-canonical byte, if any.
    static func parseObjectMembers(
        _ bytes: UnsafeBufferPointer<UInt8>,
        notAnObject: LedgerError,
        visit: (_ name: String, _ value: JSONValue, _ range: Range<Int>) throws(LedgerError) -> Void
    ) -> Result<Int?, LedgerError> {
        var parser = JSONParser(bytes: bytes)
        do throws(LedgerError) {
            try parser.checkNoByteOrderMark()
            parser.skipWhitespace()
            guard parser.pos < bytes.count, bytes[parser.pos] == UInt8(ascii: "{") else {
                // Parse anyway so that invalid JSON is reported as such, not as "not an object".
                _ = try parser.parseValue(depth: 0)
                try parser.expectEnd()
                throw notAnObject
            }
            try parser.parseMembers(depth: 1) { name, _, value, range throws(LedgerError) in
                try visit(name, value, range)
            }
            try parser.expectEnd()
            return .success(parser.firstNonCanonicalOffset)
        } catch {
            return .failure(error)
        }
    }

    private func checkNoByteOrderMark() throws(LedgerError) {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw syntax("byte-order mark is not allowed before JSON text")
        }
    }

    private mutating func expectEnd() throws(LedgerError) {
        skipWhitespace()
        if pos != bytes.count {
            throw syntax("unexpected \(describeByte()) after the end of the JSON value")
        }
    }

    @inline(__always)
    private mutating func noteNonCanonical(at offset: Int) {
        if firstNonCanonicalOffset == nil { firstNonCanonicalOffset = offset }
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
        let start = pos
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default:
                if pos != start { noteNonCanonical(at: start) }
                return
            }
        }
        if pos != start { noteNonCanonical(at: start) }
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
        // Reserving room for a typical entry body avoids rehashing as the dictionary grows.
        var members = [String: JSONValue](minimumCapacity: 8)
        try parseMembers(depth: depth) { name, nameOffset, value, _ throws(LedgerError) in
            if members.updateValue(value, forKey: name) != nil {
                throw LedgerError(
                    .duplicateKey,
                    "invalid JSON at byte \(nameOffset): duplicate member name \"\(name)\" (RFC 8785 needs unique names)")
            }
        }
        return .object(members)
    }

    /// Parses an object at `pos` (an opening brace), calling `member` for each member in order.
    private mutating func parseMembers(
        depth: Int,
        _ member: (_ name: String, _ nameOffset: Int, _ value: JSONValue, _ range: Range<Int>) throws(LedgerError) -> Void
    ) throws(LedgerError) {
        if depth > Self.maxDepth { throw syntax("nesting deeper than \(Self.maxDepth) levels") }
        pos += 1
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") {
            pos += 1
            return
        }
        var previousName: String?
        var previousRaw: Range<Int>?
        while true {
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                throw syntax("unexpected \(describeByte()), expected a member name in double quotes")
            }
            let nameOffset = pos
            let name = try parseString()
            let raw = lastRawString
            // Canonical form lists members in ascending UTF-16 order (RFC 8785 §3.2.3). Compare the raw
            // bytes when neither name had escapes (the common case), avoiding String work.
            if let previousName {
                let ascending: Bool
                if let previousRaw, let raw {
                    ascending = CanonicalWriter.precedesInUTF16(
                        utf8: UnsafeBufferPointer(rebasing: bytes[previousRaw]), UnsafeBufferPointer(rebasing: bytes[raw]))
                } else {
                    ascending = CanonicalWriter.precedesInUTF16(previousName, name)
                }
                if !ascending { noteNonCanonical(at: nameOffset) }
            }
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
                throw syntax("unexpected \(describeByte()), expected ':' after member name")
            }
            pos += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            try member(name, nameOffset, value, nameOffset..<pos)
            previousName = name
            previousRaw = raw
            skipWhitespace()
            guard pos < bytes.count else { throw syntax("unexpected end of input inside an object") }
            switch bytes[pos] {
            case UInt8(ascii: ","):
                pos += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                pos += 1
                return
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
        if negative && magnitude == 0 { noteNonCanonical(at: start) }
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
        lastRawString = nil
        // Fast path: no escapes, so the String can be made straight from the (validated) buffer.
        let count = bytes.count
        while pos < count {
            skipPlainASCII()
            guard pos < count else { break }
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
                lastRawString = start..<pos
                pos += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw controlCharacter(b) }
            try skipUTF8Sequence()
        }
        guard pos < bytes.count else { throw syntax("unterminated string", at: start - 1) }

        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        while pos < count {
            let from = pos
            skipPlainASCII()
            if pos > from { scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from..<pos])) }
            guard pos < count else { break }
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
            let sequenceStart = pos
            try skipUTF8Sequence()
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[sequenceStart..<pos]))
        }
        throw syntax("unterminated string", at: start - 1)
    }

    /// Advances `pos` over printable ASCII other than '"' and '\\' — by far the most common bytes in
    /// strings — eight at a time where possible (SWAR: "determine if a word has a byte less than n" and
    /// "has a zero byte" from Sean Anderson's Bit Twiddling Hacks; exact as a yes/no answer).
    @inline(__always)
    private mutating func skipPlainASCII() {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var p = pos
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while p + 8 <= count {
            let x = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
            let control = (x &- ones &* 0x20) & ~x & highs
            let q = x ^ (ones &* 0x22)
            let quote = (q &- ones) & ~q & highs
            let e = x ^ (ones &* 0x5C)
            let escape = (e &- ones) & ~e & highs
            if (control | quote | escape | (x & highs)) != 0 { break }
            p += 8
        }
        while p < count {
            let b = base[p]
            if b &- 0x20 >= 0x60 || b == 0x22 || b == 0x5C { break }
            p += 1
        }
        pos = p
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
        case UInt8(ascii: "/"):
            // JCS writes '/' raw.
            noteNonCanonical(at: escapeStart)
            scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4(escapeStart: escapeStart)
            if !isCanonicalUnicodeEscape(scalar, digitsAt: escapeStart + 2) { noteNonCanonical(at: escapeStart) }
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

    /// JCS uses `\u` only for controls without a short form, as `00` plus two lowercase hex digits.
    private func isCanonicalUnicodeEscape(_ scalar: UInt32, digitsAt offset: Int) -> Bool {
        guard scalar < 0x20 else { return false }
        switch scalar {
        case 0x08, 0x09, 0x0A, 0x0C, 0x0D: return false
        default: break
        }
        for i in 2..<4 where bytes[offset + i] >= UInt8(ascii: "A") && bytes[offset + i] <= UInt8(ascii: "F") {
            return false
        }
        return true
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
