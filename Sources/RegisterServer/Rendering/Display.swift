import Foundation
import Ledger
import RIPA

/// How pages write dates and times: in Europe/London (the register's zone for England and
/// Wales), as GOV.UK's style guide writes them — "2 March 2026", "2 March 2026, 9:05am".
enum Display {
    static let zone = TimeZone(identifier: "Europe/London")!

    /// A Gregorian calendar in London, made once: making a formatter or a calendar per date
    /// was most of a page's cost.
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }()
    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]

    /// "2 March 2026, 9:05am".
    static func time(_ time: EntryTime) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: time.date)
        let hour = parts.hour! % 12 == 0 ? 12 : parts.hour! % 12
        let minute = parts.minute! < 10 ? "0\(parts.minute!)" : "\(parts.minute!)"
        return "\(parts.day!) \(months[parts.month! - 1]) \(parts.year!), \(hour):\(minute)\(parts.hour! < 12 ? "am" : "pm")"
    }

    /// "2 March 2026".
    static func date(_ time: EntryTime) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: time.date)
        return "\(parts.day!) \(months[parts.month! - 1]) \(parts.year!)"
    }

    /// "2 March 2026" for a calendar date.
    static func date(_ date: CivilDate) -> String { "\(date.day) \(months[date.month - 1]) \(date.year)" }

    /// The GOV.UK tag colour for an authorisation's state, wherever a page shows one (case
    /// pages through `CaseViews.tag`, the central record, the evidence timeline): green in
    /// effect, yellow waiting on someone (the authorising officer, a JP), red refused or run
    /// out, grey closed.
    static func tagClass(_ state: AuthorisationState) -> String {
        switch state {
        case .active: "tag--green"
        case .applied, .grantedAwaitingApproval: "tag--yellow"
        case .refused, .expired: "tag--red"
        case .cancelled: "tag--grey"
        }
    }
}
