/// Standard base64 (RFC 4648 §4) with padding, strict in both directions.
///
/// Hand-written rather than Foundation's because the verifier decodes three fields of every one of a
/// million entries, and because strictness matters: a decoder that accepted non-zero padding bits or
/// missing padding would let two different texts stand for the same key or signature, which would
/// break the "bytes are exactly canonical" rule for entries (DESIGN.md "Entry") and byte-identical
/// signed notes (C2SP signed-note).
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0xFF marks a byte outside the alphabet.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// Encodes bytes as padded standard base64 text.
    static func encode(_ data: some Collection<UInt8>) -> String {
        let bytes = encodeBytes(data)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Encodes bytes as padded standard base64, as ASCII bytes.
    static func encodeBytes(_ data: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        appendEncoded(data, to: &out)
        return out
    }

    /// Appends the padded base64 form of `data` to `out` (used by the canonical writers to avoid a String).
    static func appendEncoded(_ data: some Collection<UInt8>, to out: inout [UInt8]) {
        let done: Void? = data.withContiguousStorageIfAvailable { appendEncoded(buffer: $0, to: &out) }
        if done == nil { Array(data).withUnsafeBufferPointer { appendEncoded(buffer: $0, to: &out) } }
    }

    private static func appendEncoded(buffer: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let n = buffer.count
        let start = out.count
        // Grow once, then write in place: appending byte by byte checks capacity 4 times per
        // 3 input bytes, and every entry carries three base64 members.
        out.append(contentsOf: repeatElement(0, count: (n + 2) / 3 * 4))
        out.withUnsafeMutableBufferPointer { target in
            alphabet.withUnsafeBufferPointer { a in
                var o = start
                var i = 0
                while i + 3 <= n {
                    let v = UInt32(buffer[i]) << 16 | UInt32(buffer[i + 1]) << 8 | UInt32(buffer[i + 2])
                    target[o] = a[Int(v >> 18 & 63)]; target[o + 1] = a[Int(v >> 12 & 63)]
                    target[o + 2] = a[Int(v >> 6 & 63)]; target[o + 3] = a[Int(v & 63)]
                    i += 3
                    o += 4
                }
                let rest = n - i
                if rest == 1 {
                    let v = UInt32(buffer[i]) << 16
                    target[o] = a[Int(v >> 18 & 63)]; target[o + 1] = a[Int(v >> 12 & 63)]
                    target[o + 2] = UInt8(ascii: "="); target[o + 3] = UInt8(ascii: "=")
                } else if rest == 2 {
                    let v = UInt32(buffer[i]) << 16 | UInt32(buffer[i + 1]) << 8
                    target[o] = a[Int(v >> 18 & 63)]; target[o + 1] = a[Int(v >> 12 & 63)]
                    target[o + 2] = a[Int(v >> 6 & 63)]; target[o + 3] = UInt8(ascii: "=")
                }
            }
        }
    }

    /// Decodes padded standard base64; nil unless the text is the one canonical encoding of some bytes
    /// (length a multiple of 4, only alphabet characters, padding only at the end, unused bits zero).
    static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(bytes: $0) }
    }

    /// Decodes padded standard base64 from ASCII bytes; see ``decode(_:)``.
    static func decode(bytes text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let n = text.count
        if n == 0 { return [] }
        guard n % 4 == 0 else { return nil }
        var padding = 0
        if text[n - 1] == UInt8(ascii: "=") { padding = 1; if text[n - 2] == UInt8(ascii: "=") { padding = 2 } }
        var ok = true
        let out = decodeTable.withUnsafeBufferPointer { t in
            [UInt8](unsafeUninitializedCapacity: n / 4 * 3 - padding) { out, initialised in
                var i = 0
                var o = 0
                let fullEnd = padding == 0 ? n : n - 4
                while i < fullEnd {
                    let a = t[Int(text[i])], b = t[Int(text[i + 1])], c = t[Int(text[i + 2])], d = t[Int(text[i + 3])]
                    if (a | b | c | d) & 0xC0 != 0 { ok = false; return }
                    out[o] = a << 2 | b >> 4
                    out[o + 1] = (b & 0x0F) << 4 | c >> 2
                    out[o + 2] = (c & 0x03) << 6 | d
                    i += 4
                    o += 3
                    initialised = o
                }
                guard padding > 0 else { return }
                let a = t[Int(text[i])], b = t[Int(text[i + 1])]
                if (a | b) & 0xC0 != 0 { ok = false; return }
                if padding == 2 {
                    // Two '=': one byte; the low 4 bits of the second character must be zero.
                    if b & 0x0F != 0 { ok = false; return }
                    out[o] = a << 2 | b >> 4
                    initialised = o + 1
                } else {
                    // One '=': two bytes; the low 2 bits of the third character must be zero.
                    let c = t[Int(text[i + 2])]
                    if c & 0xC0 != 0 || c & 0x03 != 0 { ok = false; return }
                    out[o] = a << 2 | b >> 4
                    out[o + 1] = (b & 0x0F) << 4 | c >> 2
                    initialised = o + 2
                }
            }
        }
        return ok ? out : nil
    }
}
