import Foundation
import Ledger
import RIPA

/// How pages write dates and times: in Europe/London (the register's zone for England and
/// Wales), as GOV.UK's style guide writes them — "2 March 2026", "2 March 2026, 9:05am".
enum Display {
    static let zone = TimeZone(identifier: "Europe/London")!

    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter
    }

    /// "2 March 2026, 9:05am".
    static func time(_ time: EntryTime) -> String {
        let text = formatter("d MMMM yyyy, h:mma").string(from: time.date)
        return text.replacingOccurrences(of: "AM", with: "am").replacingOccurrences(of: "PM", with: "pm")
    }

    /// "2 March 2026".
    static func date(_ time: EntryTime) -> String { formatter("d MMMM yyyy").string(from: time.date) }

    /// "2 March 2026" for a calendar date.
    static func date(_ date: CivilDate) -> String {
        var components = DateComponents()
        (components.year, components.month, components.day) = (date.year, date.month, date.day)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let day = calendar.date(from: components) else { return date.description }
        return formatter("d MMMM yyyy").string(from: day)
    }

    /// The GOV.UK tag colour for an authorisation's state.
    static func tagClass(_ state: String) -> String {
        switch state {
        case "active", "granted", "approved", "allowed": "tag--green"
        case "refused", "expired", "quashed", "lapsed", "cancelled", "overdue": "tag--red"
        case "awaiting_decision", "applied", "awaiting_judicial_approval", "pending", "due": "tag--yellow"
        default: "tag--grey"
        }
    }
}
