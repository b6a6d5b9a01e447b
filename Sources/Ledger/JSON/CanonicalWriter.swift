/// Serialises ``JSONValue`` into RFC 8785 canonical bytes.
///
/// Also used directly by ``Entry`` to write an entry's members in their fixed canonical order without
/// building an intermediate dictionary.
struct CanonicalWriter {
    var out: [UInt8] = []

    init(capacity: Int = 256) {
        out.reserveCapacity(capacity)
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null:
            out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])  // null
        case .bool(true):
            out.append(contentsOf: [0x74, 0x72, 0x75, 0x65])  // true
        case .bool(false):
            out.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])  // false
        case .integer(let n):
            writeInteger(n)
        case .string(let s):
            writeString(s)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                write(element)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            // Sorting the pairs (not the keys, then looking each up) saves a hash per member.
            for (key, value) in members.sorted(by: { CanonicalWriter.precedesInUTF16($0.key, $1.key) }) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key)
                out.append(UInt8(ascii: ":"))
                write(value)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Shortest decimal; JCS (via ECMAScript Number::toString) writes integers without exponent or ".0"
    /// for every value in the safe range.
    mutating func writeInteger(_ n: Int64) {
        if n == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = n.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
        withUnsafeMutableBytes(of: &digits) { raw in
            var i = raw.count
            while magnitude > 0 {
                i -= 1
                raw[i] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            if n < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[i...]))
        }
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    /// JCS string form (RFC 8785 §3.2.2.2): only `"`, `\` and controls below U+0020 are escaped;
    /// the two-character forms where they exist, otherwise `\u00xx` in lowercase hex. Everything else,
    /// including DEL, U+2028 and all non-ASCII, is written as raw UTF-8.
    mutating func writeString(_ string: String) {
        var string = string
        string.withUTF8 { writeString(utf8: $0) }
    }

    mutating func writeString(utf8 s: UnsafeBufferPointer<UInt8>) {
        out.append(UInt8(ascii: "\""))
        guard let base = s.baseAddress else {
            out.append(UInt8(ascii: "\""))
            return
        }
        let count = s.count
        var runStart = 0
        var i = 0
        while i < count {
            i = Self.endOfRawRun(base, from: i, count: count)
            if i == count { break }
            if runStart < i { out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart)) }
            let b = base[i]
            out.append(UInt8(ascii: "\\"))
            switch b {
            case 0x22: out.append(UInt8(ascii: "\""))
            case 0x5C: out.append(UInt8(ascii: "\\"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            default:
                let hex = Self.hexDigits.utf8Start
                out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 0x0F)]])
            }
            i += 1
            runStart = i
        }
        if runStart < count { out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count - runStart)) }
        out.append(UInt8(ascii: "\""))
    }

    /// The index of the first byte at or after `from` that JCS escapes (a control, '"' or '\\'), or `count`.
    /// Eight bytes at a time where possible (SWAR; see JSONParser.skipPlainASCII).
    @inline(__always)
    private static func endOfRawRun(_ base: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        var p = from
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while p + 8 <= count {
            let x = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
            let control = (x &- ones &* 0x20) & ~x & highs
            let q = x ^ (ones &* 0x22)
            let quote = (q &- ones) & ~q & highs
            let e = x ^ (ones &* 0x5C)
            let escape = (e &- ones) & ~e & highs
            if (control | quote | escape) != 0 { break }
            p += 8
        }
        while p < count {
            let b = base[p]
            if b < 0x20 || b == 0x22 || b == 0x5C { return p }
            p += 1
        }
        return p
    }

    /// Orders member names by their UTF-16 code units, as RFC 8785 §3.2.3 requires.
    ///
    /// Compares UTF-8 bytes (which order like code points) and corrects the one case where code-point
    /// order and UTF-16 order differ: a supplementary character (4-byte UTF-8, UTF-16 surrogates
    /// D800–DBFF) sorts before U+E000–U+FFFF (3-byte UTF-8 led by EE or EF) in UTF-16.
    static func precedesInUTF16(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in b.withUTF8 { y in precedesInUTF16(utf8: x, y) } }
    }

    static func precedesInUTF16(utf8 x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = min(x.count, y.count)
        var i = 0
        while i < n && x[i] == y[i] { i += 1 }
        if i == n { return x.count < y.count }
        // Both strings agree up to i, so their scalars start at the same place.
        var start = i
        while start > 0 && x[start] & 0xC0 == 0x80 { start -= 1 }
        let lx = x[start]
        let ly = y[start]
        if lx >= 0xF0 && (ly == 0xEE || ly == 0xEF) { return true }
        if ly >= 0xF0 && (lx == 0xEE || lx == 0xEF) { return false }
        return x[i] < y[i]
    }
}
