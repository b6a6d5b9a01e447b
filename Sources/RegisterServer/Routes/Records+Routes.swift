import Foundation
import Hummingbird
import RIPA

/// The central record (Code of Practice 2018 para 8.1), as a table and as CSV, and the annual
/// statistics: for auditors and the monitoring officer. Read-only.
struct Records {
    let state: ServerState

    func addRoutes(to router: Router<WebContext>) {
        router.get("/record") { request, context in try await record(request: request, context: context) }
        router.get("/record.csv") { request, context in try await csv(request: request, context: context) }
        router.get("/statistics") { request, context in try await statistics(request: request, context: context) }
    }

    /// The search and filters of the record's GET form.
    struct Filter {
        var text = ""
        var type = ""
        var status = ""
        var officer = ""
        var fromText = ""
        var toText = ""
        var from: CivilDate?
        var to: CivilDate?
        var errors: [FieldError] = []
        /// The page of rows shown, from 1 (`?page=`); the CSV has every row the filter admits.
        var page = 1

        init(_ request: Request) {
            func value(_ name: String) -> String {
                (request.uri.queryParameters[Substring(name)].map(String.init) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            }
            text = value("q")
            type = value("type")
            status = value("status")
            officer = value("officer")
            fromText = value("from")
            toText = value("to")
            page = max(1, min(Int(value("page")) ?? 1, 1_000_000))
            if !fromText.isEmpty {
                from = CivilDate(parsingInput: fromText)
                if from == nil { errors.append(FieldError(field: "from", message: "Enter the start date as a real date, for example 2026-03-01")) }
            }
            if !toText.isEmpty {
                to = CivilDate(parsingInput: toText)
                if to == nil { errors.append(FieldError(field: "to", message: "Enter the end date as a real date, for example 2026-03-31")) }
            }
            if !type.isEmpty, AuthorisationType(rawValue: type) == nil { type = "" }
            if !status.isEmpty, AuthorisationState(rawValue: status) == nil { status = "" }
        }

        /// Whether a row passes the search and the filters (the dates are the service's).
        func admits(_ row: CentralRecordRow) -> Bool {
            if !type.isEmpty, row.type.rawValue != type { return false }
            if !status.isEmpty, row.cancellation.state.rawValue != status { return false }
            if !officer.isEmpty, row.authorisingOfficer.userID != officer { return false }
            if !text.isEmpty {
                let haystack = row.fields.joined(separator: "\n")
                if haystack.range(of: text, options: [.caseInsensitive, .diacriticInsensitive]) == nil { return false }
            }
            return true
        }

        /// The same filters as a query string, for the CSV link.
        var query: String { query(page: 1) }

        /// The filters and a page of the table as a query string.
        func query(page: Int) -> String {
            let pairs = [("q", text), ("type", type), ("status", status), ("officer", officer), ("from", fromText), ("to", toText), ("page", page > 1 ? String(page) : "")]
            let encoded = pairs.filter { !$0.1.isEmpty }.map { name, value in
                name + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? "")
            }
            return encoded.isEmpty ? "" : "?" + encoded.joined(separator: "&")
        }
    }

    /// The report and the rows the filter admits; errors of the form as field errors.
    private func rows(_ filter: inout Filter) async throws -> (CentralRecordReport?, [CentralRecordRow], [CentralRecordRow]) {
        guard filter.errors.isEmpty else { return (nil, [], []) }
        do {
            let report = try await state.services.records.central(from: filter.from, to: filter.to)
            return (report, report.authorisations, report.authorisations.filter(filter.admits))
        } catch let error as RIPAError where error.code == .badInput {
            filter.errors.append(FieldError(error, defaultField: "from"))
            return (nil, [], [])
        }
    }

    private func record(request: Request, context: WebContext) async throws -> Response {
        let session = try context.requiring(.auditor, .monitoringOfficer)
        var filter = Filter(request)
        if filter.errors.isEmpty {
            do { try RecordService.requireRange(from: filter.from, to: filter.to) } catch { filter.errors.append(FieldError(error, defaultField: "from")) }
        }
        guard filter.errors.isEmpty else {
            return await state.pages.render(
                "record", title: "Error: Central record", data: try await values(&filter, session), context: context, state: state,
                status: .unprocessableContent)
        }
        let held = filter
        return try await state.pages.renderCached("record", key: filter.query(page: filter.page), title: "Central record", context: context, state: state) {
            var filter = held
            return try await values(&filter, session)
        }
    }

    /// The record page's values for a filter.
    private func values(_ filter: inout Filter, _ session: WebSession) async throws -> [String: Any] {
        let (report, all, shown) = try await rows(&filter)
        // A page of rows at a time: a council's record grows by hundreds a year and a page
        // must stay quick to render and to read.
        let first = min((filter.page - 1) * Self.pageSize, shown.count)
        let pageRows = shown[first..<min(first + Self.pageSize, shown.count)]
        let officers = Dictionary(all.map { ($0.authorisingOfficer.userID, $0.authorisingOfficer.text) }, uniquingKeysWith: { a, _ in a })
            .sorted { $0.key < $1.key }
            .map { ["value": $0.key, "text": $0.value, "selected": $0.key == filter.officer] as [String: Any] }
        let types = AuthorisationType.allCases.map { ["value": $0.rawValue, "text": $0.title, "selected": $0.rawValue == filter.type] as [String: Any] }
        let states = AuthorisationState.allCases.map {
            ["value": $0.rawValue, "text": Self.stateTitle($0), "selected": $0.rawValue == filter.status] as [String: Any]
        }
        var values: [String: Any] = [
            "titles": CentralRecordRow.fieldTitles.map { ["title": $0] },
            "rows": pageRows.map(Self.rowValues),
            "count": shown.count, "total": all.count, "none": shown.isEmpty,
            "first_shown": shown.isEmpty ? 0 : first + 1, "last_shown": first + pageRows.count,
            "previous_href": filter.page > 1 ? "/record" + filter.query(page: filter.page - 1) : "",
            "next_href": first + pageRows.count < shown.count ? "/record" + filter.query(page: filter.page + 1) : "",
            "q": filter.text, "from": filter.fromText, "to": filter.toText,
            "types": types, "states": states, "officers": officers,
            "csv_href": "/record.csv" + filter.query,
            "errors": filter.errors.map(\.values), "has_errors": !filter.errors.isEmpty,
            "is_auditor": session.holds(.auditor),
        ]
        if let report { values["as_at"] = report.asAt; values["time_zone"] = report.timeZone }
        for error in filter.errors { values[error.field + "_error"] = error.message }
        return values
    }

    /// Rows on one page of the record.
    static let pageSize = 50

    static func stateTitle(_ state: AuthorisationState) -> String {
        switch state {
        case .applied: "applied for"
        case .refused: "refused"
        case .grantedAwaitingApproval: "awaiting judicial approval"
        case .active: "active"
        case .expired: "expired"
        case .cancelled: "cancelled"
        }
    }

    static func rowValues(_ row: CentralRecordRow) -> [String: Any] {
        let fields = row.fields
        return [
            "urn": row.urn, "type": fields[0], "date_given": Display.date(row.dateGiven), "officer": fields[2],
            "investigation": fields[4], "judicial": fields[5], "reviews": fields[6], "renewals": fields[7],
            "confidential": fields[8], "directly_involved": fields[9], "cancellation": fields[10], "urgency": fields[11],
            "state": stateTitle(row.cancellation.state), "state_tag": Display.tagClass(row.cancellation.state),
        ]
    }

    private func csv(request: Request, context: WebContext) async throws -> Response {
        _ = try context.requiring(.auditor, .monitoringOfficer)
        var filter = Filter(request)
        let (report, _, shown) = try await rows(&filter)
        guard var report else {
            throw WebError.badRequest(filter.errors.map(\.message).joined(separator: "; "))
        }
        report.authorisations = shown
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: #"attachment; filename="central-record.csv""#],
            body: .init(byteBuffer: ByteBuffer(string: report.csv)))
    }

    private func statistics(request: Request, context: WebContext) async throws -> Response {
        _ = try context.requiring(.auditor, .monitoringOfficer)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Display.zone
        let given = request.uri.queryParameters["year"].map(String.init)?.trimmingCharacters(in: .whitespaces)
        var errors: [FieldError] = []
        var report: StatisticsReport?
        let yearText = given ?? String(calendar.component(.year, from: Date()))
        if let year = Int(yearText), yearText.count <= 6 {
            do {
                report = try await state.services.records.statistics(year: year)
            } catch let error as RIPAError where error.code == .badInput {
                errors.append(FieldError(error, defaultField: "year"))
            }
        } else {
            errors.append(FieldError(field: "year", message: "Enter the year as four digits, for example 2026"))
        }
        var values: [String: Any] = ["year": yearText, "errors": errors.map(\.values), "has_errors": !errors.isEmpty]
        for error in errors { values[error.field + "_error"] = error.message }
        if let report {
            let s = report.statistics
            func byType(_ counts: RecordStatistics.ByType) -> [[String: Any]] {
                [
                    ["text": AuthorisationType.directedSurveillance.title, "count": counts.directedSurveillance],
                    ["text": AuthorisationType.chis.title, "count": counts.chis],
                    ["text": AuthorisationType.juvenileCHIS.title, "count": counts.juvenileCHIS],
                    ["text": "Total", "count": counts.total],
                ]
            }
            values["report"] = [
                "as_at": report.asAt, "time_zone": s.timeZone, "counted_year": s.year,
                "applications": [
                    ["text": "Applications made", "count": s.applications.total],
                    ["text": "Accepted under a URN", "count": s.applications.accepted],
                    ["text": "Refused at the serious crime threshold", "count": s.applications.refusedAtThreshold],
                ],
                "applications_by_type": byType(s.applications.byType),
                "grants": byType(s.grants),
                "refusals": [
                    ["text": "At the serious crime threshold (SI 2010/521 art. 7A)", "count": s.refusals.seriousCrimeThreshold],
                    ["text": "By the authorising officer", "count": s.refusals.authorisingOfficer],
                    ["text": "Judicial approval refused (RIPA s.32A)", "count": s.refusals.judicialRefused],
                    ["text": "Refused and quashed (RIPA s.32B)", "count": s.refusals.judicialQuashed],
                    ["text": "Total", "count": s.refusals.total],
                ],
                "renewals": [
                    ["text": "Renewals granted", "count": s.renewals.total],
                    ["text": "Approved by a justice of the peace", "count": s.renewals.approved],
                    ["text": "Not approved", "count": s.renewals.notApproved],
                    ["text": "Awaiting a justice of the peace", "count": s.renewals.awaitingApproval],
                ],
                "other": [
                    ["text": "Cancellations", "count": s.cancellations.total],
                    ["text": "Cancellations recorded after expiry", "count": s.cancellations.afterExpiry],
                    ["text": "Judicial refusals (grants and renewals)", "count": s.judicialRefusals],
                    ["text": "Expired without a cancellation (RIPA s.45)", "count": s.expiredWithoutCancellation],
                ],
            ] as [String: Any]
        }
        return await state.pages.render(
            "statistics", title: (errors.isEmpty ? "" : "Error: ") + "Annual statistics", data: values, context: context, state: state,
            status: errors.isEmpty ? .ok : .unprocessableContent)
    }
}
