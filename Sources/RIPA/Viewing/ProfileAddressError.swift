/// Why an address could not be turned into a ``ProfileKey``.
///
/// The gate refuses to record a view it cannot attribute to one account (RIPA.md §5): an
/// address it cannot read is never silently keyed some other way, because a second spelling
/// that produced a second key would let a repeat look through as a "first" view. The
/// ``code`` is stable and matchable; the ``message`` is one line that says what was wrong and
/// what to give instead, and quotes the input with control characters escaped so that a
/// crafted address cannot forge lines in a terminal or a log.
public struct ProfileAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it was. Raw values are stable and appear in `--json` output.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// Empty input, a bare word, a handle or an e-mail address: not the address of a page.
        case notAWebAddress
        /// A scheme other than `http` or `https` (`mailto:`, `ftp:`, `javascript:`, app links).
        case unsupportedScheme
        /// Text before an `@` in front of the host (`facebook.com@evil.net`): a spoofing trick,
        /// since the browser opens the host after the `@`.
        case userInfo
        /// The host is not a usable host name (no dot, empty label, bad characters, IPv6
        /// literal, bad port).
        case invalidHost
        /// The address cannot be read reliably (bad percent-encoding, spaces, backslashes,
        /// conflicting identifying parameters, too long).
        case malformed
        /// The address is on a known platform but names no account: a post or video that
        /// does not show who posted it, a short link, a search or home page, a reserved path.
        case noAccount
        /// The address has the shape of a profile but the account part is not a valid name
        /// on that platform.
        case invalidAccount
        /// A stored key (``ProfileKey/init(parsing:)``) is not a key in canonical form.
        case malformedKey
        /// The address is on a third-party front-end that shows a platform's accounts under
        /// its own addresses (a nitter-style X mirror, an invidious-style YouTube front-end):
        /// the profile must be viewed on the platform itself (``ProfileAddressRules/mirrors``).
        case mirror
    }

    /// What kind of problem it was.
    public let code: Code
    /// One line: what was wrong and what to give instead.
    public let message: String

    /// The message.
    public var description: String { message }

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// An error about `input`: "`input` `problem`; `remedy`".
    init(_ code: Code, input: String, _ problem: String, _ remedy: String) {
        self.init(code, "\(Self.quoted(input)) \(problem); \(remedy)")
    }

    /// The input as it may appear in a message: at most 200 characters, with control, format
    /// and line-separator characters written as `\u{…}` so that the message stays one line.
    static func quoted(_ input: some StringProtocol) -> String {
        var out = ""
        var count = 0
        for scalar in input.unicodeScalars {
            if count == 200 {
                out += "…"
                break
            }
            count += 1
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
