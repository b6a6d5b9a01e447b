import Foundation
import Ledger

/// What needs the RIPA coordinator's attention (`ripa due`): reviews due or overdue,
/// authorisations expiring soon, and ones that expired without a cancellation — the
/// failures inspectors criticise (RIPA.md §2).
public enum DueList {
    /// One thing due.
    public struct Item: Sendable, Hashable, Codable {
        /// What kind.
        public enum Kind: String, Sendable, Codable {
            /// A review date has passed.
            case reviewOverdue = "review-overdue"
            /// A review date is near.
            case reviewDue = "review-due"
            /// The period ends soon.
            case expiring
            /// It expired and nobody cancelled it (s.45).
            case expiredWithoutCancellation = "expired-without-cancellation"
            /// Granted but still awaiting a JP.
            case awaitingApproval = "awaiting-approval"
        }
        /// The case.
        public let urn: String
        /// What.
        public let kind: Kind
        /// The date concerned (Europe/London).
        public let date: CivilDate
        /// A sentence for people.
        public let message: String
    }

    /// The items at `time`, most urgent first.
    public static func items(_ cases: [Authorisation], at time: EntryTime, within days: Int, timeZone: TimeZone) -> [Item] {
        let today = CivilDate.containing(time.date, in: timeZone)
        let horizon = today.adding(days: days)
        var items: [Item] = []
        for a in cases {
            switch a.state(at: time) {
            case .active:
                if let review = a.nextReview {
                    if review < today {
                        items.append(Item(urn: a.urn, kind: .reviewOverdue, date: review, message: "review was due \(review), \(review.days(until: today)) days ago"))
                    } else if review <= horizon {
                        items.append(Item(urn: a.urn, kind: .reviewDue, date: review, message: "review due \(review)"))
                    }
                }
                if let end = a.expiresAt(at: time) {
                    let last = CivilDate.containing(end.date, in: timeZone)
                    if last <= horizon {
                        let renewal = a.pendingRenewal != nil ? "; renewal awaits a JP" : "; renew (before expiry) or cancel"
                        items.append(Item(urn: a.urn, kind: .expiring, date: last, message: "expires at the end of \(last)\(renewal)"))
                    }
                }
            case .expired:
                if let end = a.expiresAt(at: time) {
                    let last = CivilDate.containing(end.date, in: timeZone)
                    items.append(Item(urn: a.urn, kind: .expiredWithoutCancellation, date: last, message: "expired at the end of \(last) without a cancellation: cancel it now (RIPA s.45)"))
                }
            case .grantedAwaitingApproval:
                if let decision = a.decision {
                    let day = CivilDate.containing(decision.at.date, in: timeZone)
                    items.append(Item(urn: a.urn, kind: .awaitingApproval, date: day, message: "granted \(day); not in effect until a JP approves it (RIPA s.32A)"))
                }
            case .applied, .refused, .cancelled:
                break
            }
        }
        let order: [Item.Kind] = [.expiredWithoutCancellation, .reviewOverdue, .expiring, .reviewDue, .awaitingApproval]
        return items.sorted {
            let (l, r) = ((order.firstIndex(of: $0.kind)!, $0.date), (order.firstIndex(of: $1.kind)!, $1.date))
            return l != r ? l < r : URN.areInIncreasingOrder($0.urn, $1.urn)
        }
    }
}
