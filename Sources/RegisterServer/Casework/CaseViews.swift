import Foundation
import Ledger
import RIPA

/// What the casework pages share: state tags, the error summary made from the services'
/// errors, dates typed as day, month and year (Europe/London), and the one-shot notices shown
/// after a decision. Nothing here decides a rule: the services do.
enum CaseViews {
    /// The tag for an authorisation's state: its words and its colour.
    static func tag(_ state: AuthorisationState) -> [String: String] {
        let text = switch state {
        case .applied: "Awaiting decision"
        case .refused: "Refused"
        case .grantedAwaitingApproval: "Granted, awaiting JP"
        case .active: "Active"
        case .expired: "Expired"
        case .cancelled: "Cancelled"
        }
        return ["text": text, "class": Display.tagClass(state)]
    }

    /// The tag for a look's outcome.
    static func tag(_ outcome: Look.Outcome) -> [String: String] {
        switch outcome {
        case .initial: ["text": "Initial examination", "class": "tag--green"]
        case .authorised: ["text": "Under an authorisation", "class": "tag--green"]
        case .refused: ["text": "Refused", "class": "tag--red"]
        }
    }

    /// The tag for an item of the due list.
    static func tag(_ kind: DueList.Item.Kind) -> [String: String] {
        switch kind {
        case .reviewOverdue: ["text": "Review overdue", "class": "tag--red"]
        case .reviewDue: ["text": "Review due", "class": "tag--yellow"]
        case .expiring: ["text": "Expiring", "class": "tag--orange"]
        case .expiredWithoutCancellation: ["text": "Lapsed, not cancelled", "class": "tag--red"]
        case .awaitingApproval: ["text": "Awaiting JP", "class": "tag--purple"]
        }
    }

    // MARK: Errors

    /// The error summary's entries for an error a service threw: linked to the field it names
    /// (`values["field"]`, mapped by `field`), else to a field the message quotes, else to
    /// `defaultField`. Errors that are not the domain's are thrown on (a 500 or a web error).
    static func fieldErrors(
        _ error: any Error, defaultField: String, known: [String] = [], field map: (String) -> String? = { $0 }
    ) throws -> [FieldError] {
        let message: String
        var named: String?
        switch error {
        case let error as RIPAError:
            if error.code == .unknownURN { throw error }
            message = error.message
            named = error.values["field"].flatMap(map)
        case let error as PolicyError:
            message = error.description
            named = "offences"
        case let error as ProfileAddressError:
            message = error.message
        default:
            throw error
        }
        if named == nil {
            named = known.first { message.contains("'\($0)'") }
        }
        let text = message.prefix(1).uppercased() + message.dropFirst()
        return [FieldError(field: named ?? defaultField, message: text)]
    }

    /// The values a question page needs for its error summary and each field's message.
    static func errorValues(_ errors: [FieldError]) -> [String: Any] {
        var values: [String: Any] = ["errors": errors.map(\.values), "has_errors": !errors.isEmpty]
        for error in errors where values[error.field + "_error"] == nil { values[error.field + "_error"] = error.message }
        return values
    }

    // MARK: Dates typed by people

    /// A date typed as day, month and year fields (`name_day`, `name_month`, `name_year`):
    /// nil when all three are blank.
    ///
    /// - Throws: a `FieldError` linked to `name_day` when it is not a real day.
    static func date(_ form: FormFields, _ name: String, label: String) throws(FieldErrorList) -> CivilDate? {
        let parts = ["day", "month", "year"].map { form.text("\(name)_\($0)") }
        if parts.allSatisfy({ $0 == nil }) { return nil }
        guard let day = parts[0].flatMap(Int.init), let month = parts[1].flatMap(Int.init), let year = parts[2].flatMap(Int.init),
              let date = CivilDate(year: year, month: month, day: day)
        else {
            throw FieldErrorList([FieldError(field: name + "_day", message: "\(label) must be a real date, for example 27 3 2026")])
        }
        return date
    }

    /// A moment typed as a date and an hour and minute (`name_hour`, `name_minute`), read in
    /// Europe/London: nil when every part is blank.
    static func time(_ form: FormFields, _ name: String, label: String) throws(FieldErrorList) -> EntryTime? {
        let day = try date(form, name, label: label)
        let hour = form.text(name + "_hour"), minute = form.text(name + "_minute")
        guard let day else {
            if hour == nil && minute == nil { return nil }
            throw FieldErrorList([FieldError(field: name + "_day", message: "Enter the date of \(label.lowercased())")])
        }
        guard let h = hour.flatMap(Int.init), let m = (minute ?? "0").isEmpty ? 0 : Int(minute ?? "0"), (0...23).contains(h), (0...59).contains(m) else {
            throw FieldErrorList([FieldError(field: name + "_hour", message: "\(label) needs a time: an hour from 0 to 23 and minutes from 0 to 59")])
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Display.zone
        var components = DateComponents()
        (components.year, components.month, components.day, components.hour, components.minute) = (day.year, day.month, day.day, h, m)
        guard let date = calendar.date(from: components) else {
            throw FieldErrorList([FieldError(field: name + "_day", message: "\(label) must be a real date")])
        }
        return EntryTime(date)
    }

    // MARK: Notices after a decision

    /// The notice shown on the case page after a successful decision (`?done=…`): fixed
    /// words by key, never text from the query.
    static func notice(_ key: String?) -> String? {
        switch key {
        case "applied": "Application submitted"
        case "granted": "Application granted. It is not in effect until a justice of the peace approves it (RIPA s.32A)"
        case "refused": "Application refused"
        case "judicial": "Justice of the peace's decision recorded"
        case "reviewed": "Review recorded"
        case "renewed": "Renewal recorded. It takes effect when a justice of the peace approves it"
        case "cancelled": "Authorisation cancelled"
        default: nil
        }
    }

    /// The path of a case's page.
    static func casePath(_ urn: String, done: String? = nil) -> String {
        let encoded = urn.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? urn
        return "/cases/\(encoded)" + (done.map { "?done=\($0)" } ?? "")
    }

    /// Hidden fields carrying answers between steps.
    static func hidden(_ form: FormFields, except: Set<String> = ["csrf", "passphrase"]) -> [[String: String]] {
        form.values.keys.sorted().filter { !except.contains($0) }.flatMap { name in
            form.all(name).map { ["name": name, "value": $0] }
        }
    }
}

/// Errors found while reading a form, before any service is called (a date that is not a day).
struct FieldErrorList: Error {
    var errors: [FieldError]
    init(_ errors: [FieldError]) { self.errors = errors }
}
