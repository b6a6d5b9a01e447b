import Foundation
import Hummingbird
import Ledger
import RIPA

/// Every officer's calendar of reviews due and expiries, for the cases they are on, as an
/// iCalendar feed (RFC 5545). A calendar app cannot sign in, so the feed's address carries a
/// secret token: HMAC-SHA256 of the user id under a key made at random when the server starts
/// and held only in its memory — unguessable, and changed by every restart.
struct CalendarFeed {
    let state: ServerState
    /// The server's feed key: 32 random bytes, never written anywhere.
    let key: [UInt8]

    init(state: ServerState) {
        self.state = state
        var generator = SystemRandomNumberGenerator()
        key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    func addRoutes(to router: Router<WebContext>) {
        router.get("/calendar") { _, context in try await page(context: context) }
        router.get("/calendar/{token}.ics") { _, context in try await feed(context: context) }
    }

    /// HMAC-SHA256 (RFC 2104) of `message` under `key`.
    static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? Hash.sha256(key).bytes : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = Hash.sha256(block.map { $0 ^ 0x36 } + message).bytes
        return Hash.sha256(block.map { $0 ^ 0x5c } + inner).bytes
    }

    /// The user's feed token, base64url.
    func token(for userID: String) -> String {
        Data(Self.hmac(key: key, message: Array(("ripa-calendar-feed\u{0}" + userID).utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private func page(context: WebContext) async throws -> Response {
        let session = try context.signedIn()
        return await state.pages.render(
            "calendar", title: "Your calendar", data: ["feed_path": "/calendar/\(token(for: session.userID)).ics"], context: context, state: state)
    }

    private func feed(context: WebContext) async throws -> Response {
        guard let given = context.parameters.get("token"), !given.isEmpty else { throw WebError.notFound }
        // Whose feed: the active user whose token it is, compared in constant time.
        let users = try await state.services.users.list().filter { $0.revokedSeq == nil && $0.acceptedSeq != nil }
        guard let user = users.first(where: { Token.equal(token(for: $0.userID), given) }) else { throw WebError.notFound }
        let text = try await Self.calendar(for: user.userID, services: state.services)
        return Response(
            status: .ok,
            headers: [.contentType: "text/calendar; charset=utf-8", .contentDisposition: #"attachment; filename="ripa-register.ics""#, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The feed for one officer: a review due and an expiry for each case they are on (as
    /// applicant, on the team, or as the authorising officer). Names only the URN and what
    /// is due: never a subject, an operation or a purpose.
    static func calendar(for userID: String, services: RegisterServices, now: Date = Date()) async throws -> String {
        let due = try await services.casework.due(within: InputLimits.dueWithinDays.upperBound)
        let host = (try? await services.verification.info().origin).map { String($0.prefix { $0 != "/" }) } ?? "ripa-register"
        var mine: [String: Bool] = [:]
        var events: [[String]] = []
        for item in due.items {
            let kind: (uid: String, summary: String)
            switch item.kind {
            case .reviewDue, .reviewOverdue: kind = ("review", "Review due: \(item.urn)")
            case .expiring: kind = ("expiry", "Expires at the end of the day: \(item.urn)")
            case .expiredWithoutCancellation, .awaitingApproval: continue
            }
            if mine[item.urn] == nil {
                let authorisation = try await services.casework.authorisation(item.urn)
                mine[item.urn] = authorisation.applicant == userID || authorisation.application.team.contains(userID)
                    || authorisation.decision?.officer.userID == userID
            }
            guard mine[item.urn] == true else { continue }
            events.append([
                "BEGIN:VEVENT",
                "UID:\(item.urn)-\(kind.uid)@\(host)",
                "DTSTAMP:\(stamp(now))",
                "DTSTART;VALUE=DATE:\(compact(item.date))",
                "DTEND;VALUE=DATE:\(compact(item.date.adding(days: 1)))",
                "SUMMARY:\(escape(kind.summary))",
                "DESCRIPTION:\(escape(item.urn + ": " + item.message + ". Open the register to act."))",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ])
        }
        let lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ripa-register//Reviews and expiries//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:\(escape("RIPA reviews and expiries"))",
        ] + events.joined() + ["END:VCALENDAR"]
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20260302T090000Z`.
    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// `20260302`.
    static func compact(_ date: CivilDate) -> String { date.description.replacingOccurrences(of: "-", with: "") }

    /// TEXT escaped (RFC 5545 §3.3.11): backslash, semicolon, comma and new lines.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": continue
            default: out.append(character)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence: each
    /// continuation starts with a space, which counts towards its 75.
    static func fold(_ line: String) -> String {
        var lines: [String] = []
        var current = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if octets + size > 75 {
                lines.append(current)
                current = " "
                octets = 1
            }
            current.unicodeScalars.append(scalar)
            octets += size
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }
}
