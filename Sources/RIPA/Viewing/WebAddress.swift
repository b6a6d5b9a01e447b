import Foundation

/// An `http`/`https` address taken apart and normalised the way a browser would read it,
/// before any platform rule is applied.
///
/// The parser follows what a browser (the WHATWG URL Standard) opens rather than RFC 3986
/// alone, because what matters under RIPA.md §5 is which page the investigator sees:
/// `https:facebook.com/jo`, `HTTPS://FACEBOOK.COM./jo` and `https://faceb%6Fok.com/jo` all open
/// the same page, so they must give the same key. Anything a browser would read differently
/// from a naive parser (text before `@` in the authority, backslashes, whitespace) is refused
/// instead of guessed at.
struct WebAddress: Sendable, Equatable {
    /// The host: lower case, Unicode labels in Punycode (`xn--…`), no trailing dot, IPv4 in
    /// dotted decimal. Prefixes such as `www.` are still present: what they mean depends on
    /// the platform.
    var host: String
    /// A port other than 80 and 443, if one was given.
    var port: Int?
    /// The path as written (between the authority and `?`/`#`), for unwrapping archive
    /// addresses whose path carries another address.
    var rawPath: String
    /// The path's segments, percent-decoded, with empty segments (duplicate and trailing
    /// slashes) and dot segments removed.
    var segments: [String]
    /// The query as written (without the `?`), for unwrapping archive addresses.
    var rawQuery: String?
    /// The query's parameters in order, with empty pieces (`&&`) dropped.
    var query: [QueryItem]
    /// The fragment as written, without the `#`.
    var fragment: String?
    /// Whether the host is an IPv4 address (never given a platform, never stripped of prefixes).
    var hostIsIP: Bool

    /// One query parameter.
    struct QueryItem: Sendable, Equatable {
        /// The name, percent-decoded (for matching).
        var name: String
        /// The value, percent-decoded, or `nil` for a parameter written without `=`.
        var value: String?
        /// The name in canonical percent-encoding (for `web:` keys).
        var canonicalName: String
        /// The value in canonical percent-encoding, or `nil`.
        var canonicalValue: String?
    }

    /// Longer input than this is refused: no profile address is this long, and the limit keeps
    /// the work per view bounded.
    static let maximumLength = 4096

    /// Parses `input` as typed or pasted by an investigator.
    /// - Throws: ``ProfileAddressError`` with `notAWebAddress`, `unsupportedScheme`,
    ///   `userInfo`, `invalidHost` or `malformed`.
    static func parse(_ input: String) throws(ProfileAddressError) -> WebAddress {
        let text = cleaned(input)
        if text.isEmpty {
            throw ProfileAddressError(
                .notAWebAddress,
                "No address was given; give the address of the profile page as the browser shows it (https://…)")
        }
        // The byte count bounds the scalar count, so most addresses skip counting scalars.
        if text.utf8.count > maximumLength, text.unicodeScalars.count > maximumLength {
            throw ProfileAddressError(
                .malformed, input: String(text.prefix(80)),
                "is longer than \(maximumLength) characters",
                "give the address of the profile page itself")
        }
        let isSpaceOrControl = { (c: Unicode.Scalar) -> Bool in
            c.isASCII
                ? (c.value <= 0x20 || c.value == 0x7F)
                : (c.properties.isWhitespace || c.properties.generalCategory == .control)
        }
        if let bad = text.unicodeScalars.first(where: isSpaceOrControl) {
            let what =
                bad == " "
                ? "a space" : "a control or space character (U+\(String(bad.value, radix: 16, uppercase: true)))"
            throw ProfileAddressError(
                .malformed, input: text, "contains \(what)",
                "give the address exactly as the browser's address bar shows it")
        }
        if text.utf8.contains(0x5C) {
            // A browser reads `\` as `/` in http(s) addresses, which other parsers do not; an
            // address that depends on that is refused rather than read one way or the other.
            throw ProfileAddressError(
                .malformed, input: text, "contains a backslash",
                "give the address exactly as the browser's address bar shows it, with / not \\")
        }

        let rest: Substring
        let hadScheme: Bool
        if text.hasPrefix("//") {
            rest = text.dropFirst(2)
            hadScheme = false
        } else if let scheme = schemePrefix(of: text) {
            let lower = scheme.lowercased()
            let afterColon = text[text.index(text.startIndex, offsetBy: scheme.count + 1)...]
            if lower == "http" || lower == "https" {
                // A browser ignores any number of slashes after an http(s) scheme:
                // `https:x.com/jo`, `https:/x.com/jo` and `https:///x.com/jo` all open x.com.
                rest = afterColon.drop(while: { $0 == "/" })
                hadScheme = true
            } else if scheme.contains(Character(".")), looksLikePort(afterColon) {
                // `facebook.com:443/jo`: a host and port without a scheme, not a scheme.
                rest = text[...]
                hadScheme = false
            } else {
                throw ProfileAddressError(
                    .unsupportedScheme, input: text,
                    "is a \(lower): address, not a web page",
                    "give the http or https address of the profile page as the browser shows it")
            }
        } else {
            rest = text[...]
            hadScheme = false
        }

        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var remainder = rest[authorityEnd...]

        if authority.contains(Character("@")) {
            if !hadScheme, authorityEnd == rest.endIndex {
                throw ProfileAddressError(
                    .notAWebAddress, input: text,
                    "is an e-mail address or a handle, not a web address",
                    "give the address of the profile page (for a Mastodon handle @NAME@INSTANCE: https://INSTANCE/@NAME)"
                )
            }
            let opened = authority[authority.index(after: authority.lastIndex(of: "@")!)...]
            throw ProfileAddressError(
                .userInfo, input: text,
                "has text before an @ in front of the host, so a browser would open \(ProfileAddressError.quoted(opened)), not the site named first",
                "give the address of the profile page without it")
        }
        if authority.isEmpty {
            throw ProfileAddressError(
                hadScheme ? .invalidHost : .notAWebAddress, input: text, "has no host",
                "give the full address of the profile page (https://SITE/…)")
        }

        var hostPart = authority
        var port: Int?
        if authority.hasPrefix("[") {
            throw ProfileAddressError(
                .invalidHost, input: text, "has an IPv6 address as its host",
                "give the address of the profile page by its site name")
        }
        if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            let digits = authority[authority.index(after: colon)...]
            if !digits.isEmpty {
                guard digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), digits.count <= 5,
                    let number = Int(digits), number <= 65535
                else {
                    throw ProfileAddressError(
                        .invalidHost, input: text, "has a port that is not a number from 0 to 65535",
                        "give the address of the profile page as the browser shows it")
                }
                port = (number == 80 || number == 443) ? nil : number
            }
        }

        let host = try canonicalHost(hostPart, input: text, hadScheme: hadScheme)

        var fragment: String?
        if let hash = remainder.firstIndex(of: "#") {
            fragment = String(remainder[remainder.index(after: hash)...])
            remainder = remainder[..<hash]
        }
        var rawQuery: Substring?
        if let question = remainder.firstIndex(of: "?") {
            rawQuery = remainder[remainder.index(after: question)...]
            remainder = remainder[..<question]
        }
        let rawPath = String(remainder)
        let segments = try normalisedSegments(rawPath, input: text)
        let query = try rawQuery.map { q throws(ProfileAddressError) in try parseQuery(q, input: text) } ?? []

        return WebAddress(
            host: host.name, port: port, rawPath: rawPath, segments: segments, rawQuery: rawQuery.map(String.init),
            query: query,
            fragment: fragment, hostIsIP: host.isIP)
    }

    // MARK: - Cleaning

    /// Invisible characters that ride along when an address is copied (bsky.app wraps handles
    /// in bidi controls; some sites insert zero-width spaces to allow line breaks). They
    /// cannot be part of an address a person reads, so they are removed before anything else;
    /// leaving them would give a second key for the same account.
    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }

    private static func cleaned(_ input: String) -> String {
        var text = input
        if !input.utf8.allSatisfy({ $0 < 0x80 }) {
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: input.unicodeScalars.filter { !isInvisible($0) })
            text = String(scalars)
        }
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
            let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        var trimmed = text[first...last]
        // An address copied from an e-mail or a document often comes in <…> or quotes.
        for (open, close) in [("<", ">"), ("\"", "\""), ("'", "'"), ("\u{201C}", "\u{201D}")]
            as [(Character, Character)]
        {
            // At least two characters (without walking the whole text to count them).
            if !trimmed.dropFirst().isEmpty, trimmed.first == open, trimmed.last == close {
                trimmed = trimmed.dropFirst().dropLast()
                break
            }
        }
        return String(trimmed)
    }

    /// The scheme of `text` (before its first `:`) if it has the RFC 3986 shape of one.
    private static func schemePrefix(of text: String) -> Substring? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let candidate = text[..<colon]
        guard let first = candidate.unicodeScalars.first, isASCIILetter(first) else { return nil }
        let ok = candidate.unicodeScalars.allSatisfy {
            isASCIILetter($0) || isASCIIDigit($0) || $0 == "+" || $0 == "-" || $0 == "."
        }
        return ok ? candidate : nil
    }

    /// Whether what follows a colon is a port: digits, then the end or a path, query or fragment.
    private static func looksLikePort(_ s: Substring) -> Bool {
        let digits = s.prefix(while: { $0.isASCII && $0.isNumber })
        let after = s[digits.endIndex...]
        return after.isEmpty || after.first == "/" || after.first == "?" || after.first == "#"
    }

    // MARK: - Host

    /// Code points that IDNA (UTS #46) maps to nothing, so `face\u{AD}book.com` opens
    /// facebook.com in a browser.
    private static func isIgnoredInHost(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD, 0x034F, 0x180B...0x180F, 0x200B...0x200D, 0x2060...0x2064, 0xFE00...0xFE0F, 0xFEFF,
            0xE0100...0xE01EF:
            true
        default: false
        }
    }

    /// The host as a browser would look it up.
    ///
    /// Percent-escapes are decoded (a browser opens `faceb%6Fok.com` as facebook.com), then the
    /// IDNA mapping is approximated with NFKC and lower case (`ＦＡＣＥＢＯＯＫ.com` and
    /// `facebook。com` are facebook.com to a browser), Unicode labels are written in Punycode,
    /// one trailing dot is removed, and numeric hosts are read as IPv4 the way a browser
    /// reads them (`0x7f.1` is 127.0.0.1).
    static func canonicalHost(_ raw: Substring, input: String, hadScheme: Bool) throws(ProfileAddressError) -> (
        name: String, isIP: Bool
    ) {
        let invalid = { (problem: String) -> ProfileAddressError in
            ProfileAddressError(
                .invalidHost, input: input, problem,
                "give the address of the profile page as the browser shows it (https://SITE/…)")
        }
        var host: String
        if raw.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "%") }) {
            // ASCII without escapes, as nearly every host is: decoding, NFKC and the mappings
            // below leave it as it is, bar lower case.
            host = raw.lowercased()
        } else {
            guard let decoded = percentDecoded(raw) else {
                throw invalid("has a host with broken percent-encoding")
            }
            var scalars = String.UnicodeScalarView()
            for scalar in compatibilityLowercased(decoded).unicodeScalars {
                if isIgnoredInHost(scalar) { continue }
                switch scalar.value {
                case 0x3002, 0xFF0E, 0xFF61: scalars.append(".")  // ideographic and full-width full stops
                default: scalars.append(scalar)
                }
            }
            host = String(scalars)
        }
        for scalar in host.unicodeScalars {
            if scalar.isASCII {
                let ok =
                    isASCIILetter(scalar) || isASCIIDigit(scalar)
                    || scalar == "-" || scalar == "." || scalar == "_"
                if !ok { throw invalid("has a host containing \(ProfileAddressError.quoted(String(scalar)))") }
            } else {
                switch scalar.properties.generalCategory {
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                    .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
                    break
                default:
                    throw invalid("has a host containing \(ProfileAddressError.quoted(String(scalar)))")
                }
            }
        }
        if host.hasSuffix(".") { host.removeLast() }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        if host.isEmpty || labels.contains(where: \.isEmpty) {
            throw invalid("has a host with an empty part (two dots together, or only dots)")
        }
        if let last = labels.last, isNumericLabel(last) {
            guard let ip = ipv4(labels) else { throw invalid("has a host that is not a valid IPv4 address") }
            return (ip, true)
        }
        if labels.count < 2 {
            if hadScheme { throw invalid("has a host with no dot in it") }
            throw ProfileAddressError(
                .notAWebAddress, input: input, "is not a web address",
                "give the address of the profile page as the browser shows it (https://SITE/…); a handle alone does not say which site it is on"
            )
        }
        // An A-label is at least as long as its Unicode label, and no label may exceed 63
        // characters; checking first also bounds the work Punycode does.
        if labels.contains(where: { $0.unicodeScalars.count > 63 }) {
            throw invalid("has a host name that is too long")
        }
        var ascii: [String] = []
        for label in labels {
            if label.unicodeScalars.allSatisfy(\.isASCII) {
                ascii.append(String(label))
            } else if let encoded = Punycode.encode(String(label)) {
                ascii.append("xn--" + encoded)
            } else {
                throw invalid("has a host that cannot be written in ASCII")
            }
        }
        if ascii.contains(where: { $0.utf8.count > 63 }) || ascii.joined(separator: ".").utf8.count > 253 {
            throw invalid("has a host name that is too long")
        }
        return (ascii.joined(separator: "."), false)
    }

    private static func isNumericLabel(_ label: Substring) -> Bool {
        let lower = label.lowercased()
        if lower.hasPrefix("0x") {
            return lower.dropFirst(2).allSatisfy(\.isHexDigit)
        }
        return !lower.isEmpty && lower.allSatisfy { $0 >= "0" && $0 <= "9" }
    }

    /// WHATWG IPv4 parsing: up to four parts, each decimal, `0x` hexadecimal or `0`-prefixed
    /// octal, the last filling the remaining bytes.
    private static func ipv4(_ labels: [Substring]) -> String? {
        guard labels.count <= 4 else { return nil }
        var numbers: [UInt64] = []
        for label in labels {
            let lower = label.lowercased()
            let value: UInt64?
            if lower.hasPrefix("0x") {
                let digits = lower.dropFirst(2)
                value = digits.isEmpty ? 0 : (digits.count > 16 ? nil : UInt64(digits, radix: 16))
            } else if lower.count > 1, lower.hasPrefix("0") {
                value = lower.count > 23 ? nil : UInt64(lower.dropFirst(), radix: 8)
            } else {
                value = lower.count > 19 ? nil : UInt64(lower, radix: 10)
            }
            guard let value else { return nil }
            numbers.append(value)
        }
        for number in numbers.dropLast() where number > 255 { return nil }
        let lastLimit: UInt64 = 1 << (8 * UInt64(5 - numbers.count))
        guard let last = numbers.last, last < lastLimit else { return nil }
        var address = last
        for (index, number) in numbers.dropLast().enumerated() {
            address += number << (8 * UInt64(3 - index))
        }
        return (0..<4).map { String((address >> (8 * UInt64(3 - $0))) & 0xFF) }.joined(separator: ".")
    }

    // MARK: - Path and query

    /// Percent-decodes each segment, removes empty segments (`//`, trailing `/`) and dot
    /// segments (`.`, `..`, also when written `%2E`), as a browser resolves them.
    private static func normalisedSegments(_ rawPath: String, input: String) throws(ProfileAddressError) -> [String] {
        var out: [String] = []
        for raw in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
            guard let segment = percentDecoded(raw) else {
                throw ProfileAddressError(
                    .malformed, input: input,
                    "has a path with broken percent-encoding (a % not followed by two hexadecimal digits, or bytes that are not UTF-8)",
                    "give the address exactly as the browser's address bar shows it")
            }
            switch segment {
            case "", ".": continue
            case "..": _ = out.popLast()
            default: out.append(segment)
            }
        }
        return out
    }

    private static func parseQuery(_ raw: Substring, input: String) throws(ProfileAddressError) -> [QueryItem] {
        var items: [QueryItem] = []
        for piece in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring?
            if let equals = piece.firstIndex(of: "=") {
                name = piece[..<equals]
                value = piece[piece.index(after: equals)...]
            } else {
                name = piece
                value = nil
            }
            guard let decodedName = percentDecoded(name), let canonicalName = canonicalQueryComponent(name) else {
                throw brokenQuery(input)
            }
            var decodedValue: String?
            var canonicalValue: String?
            if let value {
                guard let d = percentDecoded(value), let c = canonicalQueryComponent(value) else {
                    throw brokenQuery(input)
                }
                decodedValue = d
                canonicalValue = c
            }
            items.append(
                QueryItem(
                    name: decodedName, value: decodedValue, canonicalName: canonicalName, canonicalValue: canonicalValue
                ))
        }
        return items
    }

    private static func brokenQuery(_ input: String) -> ProfileAddressError {
        ProfileAddressError(
            .malformed, input: input,
            "has a query with broken percent-encoding (a % not followed by two hexadecimal digits, or bytes that are not UTF-8)",
            "give the address exactly as the browser's address bar shows it")
    }

    /// The decoded values of the parameter `name` (exact, case-sensitive match, as servers
    /// read them).
    func values(of name: String) -> [String] {
        query.filter { $0.name == name }.map { $0.value ?? "" }
    }

    // MARK: - Percent-encoding

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: true
        default: false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// `s` with every `%XX` decoded, or `nil` if an escape is broken or the bytes are not UTF-8.
    static func percentDecoded(_ s: some StringProtocol) -> String? {
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x25 {
                guard i + 2 < bytes.count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) else {
                    return nil
                }
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    /// `s` with every byte outside `keep` written as `%XX` (upper-case hexadecimal).
    static func percentEncoded(_ s: String, keeping keep: (UInt8) -> Bool) -> String {
        var out: [UInt8] = []
        for byte in s.utf8 {
            if keep(byte) {
                out.append(byte)
            } else {
                out.append(0x25)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Characters a path segment may carry unescaped: RFC 3986 `pchar` minus `%`.
    static func isPathLiteral(_ byte: UInt8) -> Bool {
        if isUnreserved(byte) { return true }
        return "!$&'()*+,;=:@".utf8.contains(byte)
    }

    /// Characters a query component may carry unescaped. `&` never occurs inside a component;
    /// `+` is kept as written, because `+` and `%2B` differ in form-encoded queries.
    private static func isQueryLiteral(_ byte: UInt8) -> Bool {
        if isUnreserved(byte) { return true }
        return "!$'()*+,;=:@/?".utf8.contains(byte)
    }

    /// A query component in canonical form: escapes of unreserved characters decoded, other
    /// escapes kept with upper-case hex, and characters that must be escaped escaped. Reserved
    /// characters are not decoded, because in a query `%26` and `&` (or `%3D` and `=`) differ.
    private static func canonicalQueryComponent(_ raw: Substring) -> String? {
        let bytes = Array(raw.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x25 {
                guard i + 2 < bytes.count, let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) else {
                    return nil
                }
                let decoded = high << 4 | low
                if isUnreserved(decoded) {
                    out.append(decoded)
                } else {
                    out.append(contentsOf: [0x25, hexDigits[Int(high)], hexDigits[Int(low)]])
                }
                i += 3
            } else if isQueryLiteral(byte) {
                out.append(byte)
                i += 1
            } else {
                out.append(contentsOf: [0x25, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `s` in Unicode compatibility form (NFKC), lower-cased, then composed again (NFC), so
    /// that `café` written with one scalar or as `e` + U+0301 gives the same bytes. ASCII is its
    /// own normal form, so the common case skips Foundation's normaliser.
    static func compatibilityLowercased(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s.lowercased() }
        return s.precomposedStringWithCompatibilityMapping.lowercased().precomposedStringWithCanonicalMapping
    }

    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value >= 0x41 && scalar.value <= 0x5A) || (scalar.value >= 0x61 && scalar.value <= 0x7A)
    }

    static func isASCIIDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x30 && scalar.value <= 0x39
    }
}
