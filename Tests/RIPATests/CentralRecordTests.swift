import Foundation
import Ledger
import Testing

@testable import RIPA

// MARK: Fixtures

private let london = TimeZone(identifier: "Europe/London")!

private func time(_ text: String) -> EntryTime {
    guard let time = try? EntryTime(parsing: text) else { fatalError("bad time in test: \(text)") }
    return time
}

private func day(_ text: String) -> CivilDate {
    guard let date = CivilDate(parsing: text) else { fatalError("bad date in test: \(text)") }
    return date
}

/// The shipped pack's rules (durations, time zone), loaded once.
private let shippedRules = Result { try RepositoryFiles.shippedPolicy().rules }

private enum Officers {
    static let mo = Authorisation.Officer(userID: "mo", name: "Mona Officer", rank: "Director of Law")
    static let ceo = Authorisation.Officer(userID: "ceo", name: "Carol Exec", rank: "Chief Executive")
}

/// A case built step by step through the domain's own lifecycle rules
/// (`Authorisation+Lifecycle.swift`), so the documents are the ones the register keeps.
private struct Case {
    var authorisation: Authorisation

    init(
        _ urn: String, type: AuthorisationType = .directedSurveillance, applied: String,
        operation: String = "Operation Magpie", purpose: String = "Detect the sale of counterfeit goods at the market",
        subjects: [String] = ["John Smith", "unknown"], confidential: Bool = false
    ) throws {
        let application = Application(
            type: type, operation: operation, purpose: purpose, subjects: subjects.map { Subject(name: $0) },
            offences: ["tma-1994-s92"], necessity: "necessary", proportionality: "proportionate",
            collateralIntrusion: "minimal", confidentialInformationLikely: confidential, team: ["ivan"])
        let threshold = ThresholdResult(
            type: type, applies: type == .directedSurveillance, passes: true, minimumCustodyMonths: 6, findings: [],
            summary: "passes")
        authorisation = Authorisation(
            submission: ApplicationSubmission(urn: urn, application: application, threshold: threshold, policyHash: "test"),
            applicant: "ivan", at: time(applied))
    }

    func granted(at: String, by officer: Authorisation.Officer = Officers.mo, directlyInvolved: Bool = false, firstReview: String? = nil) throws -> Case {
        var copy = self
        let at = time(at)
        let review = firstReview.map(day) ?? CivilDate.containing(at.date, in: london).adding(days: 28)
        let body = GrantDecision(
            urn: authorisation.urn, reasons: "necessary and proportionate", reviewIntervalDays: 28, firstReview: review,
            directlyInvolved: directlyInvolved)
        try copy.authorisation.grant(body, by: officer, headOfPaidService: officer == Officers.ceo, at: at)
        return copy
    }

    func refused(at: String, by officer: Authorisation.Officer = Officers.mo) throws -> Case {
        var copy = self
        try copy.authorisation.refuse(RefusalDecision(urn: authorisation.urn, reasons: "not proportionate"), by: officer, at: time(at))
        return copy
    }

    func judicial(
        _ decision: JudicialOutcome, decided: String, recorded: String? = nil,
        court: String = "Westminster Magistrates' Court", magistrate: String = "J. Bloggs JP"
    ) throws -> Case {
        var copy = self
        let body = JudicialDecision(urn: authorisation.urn, decision: decision, court: court, magistrate: magistrate, decidedAt: time(decided))
        try copy.authorisation.recordJudicial(body, by: "ivan", at: time(recorded ?? decided), rules: try shippedRules.get())
        return copy
    }

    func reviewed(at: String, next: String, by officer: Authorisation.Officer = Officers.mo) throws -> Case {
        var copy = self
        let body = ReviewRecord(urn: authorisation.urn, findings: "useful", stillNecessary: true, nextReview: day(next))
        try copy.authorisation.review(body, by: officer, at: time(at), rules: try shippedRules.get())
        return copy
    }

    func renewed(at: String, by officer: Authorisation.Officer = Officers.mo) throws -> Case {
        var copy = self
        let body = RenewalRecord(urn: authorisation.urn, changes: "new address", valueSoFar: "sales seen", reasons: "still necessary")
        try copy.authorisation.renew(body, by: officer, headOfPaidService: officer == Officers.ceo, at: time(at))
        return copy
    }

    func cancelled(at: String, ceased: String, by officer: Authorisation.Officer = Officers.mo) throws -> Case {
        var copy = self
        let body = CancellationRecord(urn: authorisation.urn, reason: "evidence obtained", valueObtained: "test purchases", ceasedAt: time(ceased))
        try copy.authorisation.cancel(body, by: officer, at: time(at))
        return copy
    }
}

/// Named cases; every test below draws on these.
private enum Cases {
    /// Granted at 00:30 BST on 31 March (23:30Z on the 30th) by the chief executive, who is
    /// directly involved; confidential information likely; approved; reviewed twice (the second
    /// at 00:10 BST); renewed by the chief executive and approved; cancelled.
    static func magpieUncancelled() throws -> Case {
        try Case("DS-2026-0001", applied: "2026-03-02T09:00:00.000Z", confidential: true)
            .granted(at: "2026-03-30T23:30:00.000Z", by: Officers.ceo, directlyInvolved: true, firstReview: "2026-04-28")
            .judicial(.approved, decided: "2026-04-01T09:15:00.000Z", recorded: "2026-04-01T12:00:00.000Z")
            .reviewed(at: "2026-04-28T10:00:00.000Z", next: "2026-05-26")
            .reviewed(at: "2026-05-26T23:10:00.000Z", next: "2026-06-24")
            .renewed(at: "2026-06-20T10:00:00.000Z", by: Officers.ceo)
            .judicial(.approved, decided: "2026-06-25T13:00:00.000Z", recorded: "2026-06-25T15:00:00.000Z", magistrate: "A. Justice")
    }

    static func magpie() throws -> Case {
        try magpieUncancelled().cancelled(at: "2026-08-10T15:00:00.000Z", ceased: "2026-08-10T14:30:00.000Z")
    }

    /// Granted by the monitoring officer; the JP refused.
    static func jpRefused() throws -> Case {
        try Case("DS-2026-0002", applied: "2026-04-01T09:00:00.000Z", operation: "Operation Wren", subjects: ["Jane Doe"])
            .granted(at: "2026-04-02T09:00:00.000Z")
            .judicial(.refused, decided: "2026-04-03T10:00:00.000Z")
    }

    /// A CHIS grant the JP refused and quashed.
    static func chisQuashed() throws -> Case {
        try Case("CHIS-2026-0001", type: .chis, applied: "2026-05-01T09:00:00.000Z", operation: "Operation Lark")
            .granted(at: "2026-05-02T09:00:00.000Z")
            .judicial(.quashed, decided: "2026-05-03T10:00:00.000Z", court: "Leeds Magistrates' Court", magistrate: "P. Smith JP")
    }

    /// Refused by the authorising officer.
    static func moRefused() throws -> Case {
        try Case("DS-2026-0003", applied: "2026-06-01T09:00:00.000Z").refused(at: "2026-06-02T09:00:00.000Z")
    }

    /// Approved 7 January; its period ends 6 April 2026 (23:59:59.999 BST = 22:59:59.999Z);
    /// never cancelled.
    static func expired() throws -> Case {
        try Case("DS-2026-0004", applied: "2026-01-05T09:00:00.000Z", operation: "Operation Heron")
            .granted(at: "2026-01-06T09:00:00.000Z")
            .judicial(.approved, decided: "2026-01-07T10:00:00.000Z")
    }

    /// Granted and approved in 2025 (period to 2 January 2026); renewed in 2025; the JP refused
    /// the renewal on 2 January 2026; it then expired without a cancellation.
    static func renewalRefused() throws -> Case {
        try Case("DS-2025-0007", applied: "2025-10-01T09:00:00.000Z", operation: "Operation Rook")
            .granted(at: "2025-10-02T09:00:00.000Z")
            .judicial(.approved, decided: "2025-10-03T10:00:00.000Z")
            .renewed(at: "2025-12-20T10:00:00.000Z")
            .judicial(.refused, decided: "2026-01-02T10:00:00.000Z")
    }

    /// Approved 3 September (period to 2 December 2026), cancelled only on 10 December.
    static func cancelledAfterExpiry() throws -> Case {
        try Case("DS-2026-0005", applied: "2026-09-01T09:00:00.000Z", operation: "Operation Crow")
            .granted(at: "2026-09-02T09:00:00.000Z")
            .judicial(.approved, decided: "2026-09-03T10:00:00.000Z")
            .cancelled(at: "2026-12-10T11:00:00.000Z", ceased: "2026-12-10T10:45:00.000Z")
    }

    /// Approved 3 November 2026 (to 2 February 2027); a renewal of 20 December awaits the JP.
    static func renewalAwaiting() throws -> Case {
        try Case("DS-2026-0006", applied: "2026-11-01T09:00:00.000Z", operation: "Operation Swift")
            .granted(at: "2026-11-02T09:00:00.000Z")
            .judicial(.approved, decided: "2026-11-03T10:00:00.000Z")
            .renewed(at: "2026-12-20T10:00:00.000Z")
    }

    /// Approved 7 January; renewed 20 March; refusing the renewal on 25 March the JP quashed
    /// the authorisation (RIPA s.32B).
    static func renewalQuashed() throws -> Case {
        try Case("DS-2026-0007", applied: "2026-01-05T09:00:00.000Z", operation: "Operation Jay")
            .granted(at: "2026-01-06T09:00:00.000Z")
            .judicial(.approved, decided: "2026-01-07T10:00:00.000Z")
            .renewed(at: "2026-03-20T10:00:00.000Z")
            .judicial(.quashed, decided: "2026-03-25T10:00:00.000Z")
    }

    /// Granted; no JP decision yet.
    static func awaitingApproval() throws -> Case {
        try Case("DS-2026-0008", applied: "2026-12-01T09:00:00.000Z", operation: "Operation Owl")
            .granted(at: "2026-12-02T09:00:00.000Z")
    }

    /// A juvenile CHIS application not yet decided.
    static func undecided() throws -> Case {
        try Case("JCHIS-2026-0001", type: .juvenileCHIS, applied: "2026-12-30T10:00:00.000Z", operation: "Operation Finch")
    }

    static func named(_ name: String) throws -> Authorisation {
        switch name {
        case "magpie": try magpie().authorisation
        case "magpieUncancelled": try magpieUncancelled().authorisation
        case "jpRefused": try jpRefused().authorisation
        case "chisQuashed": try chisQuashed().authorisation
        case "moRefused": try moRefused().authorisation
        case "expired": try expired().authorisation
        case "renewalRefused": try renewalRefused().authorisation
        case "cancelledAfterExpiry": try cancelledAfterExpiry().authorisation
        case "renewalAwaiting": try renewalAwaiting().authorisation
        case "renewalQuashed": try renewalQuashed().authorisation
        case "awaitingApproval": try awaitingApproval().authorisation
        case "undecided": try undecided().authorisation
        default: throw CentralRecordTestError.unknownCase(name)
        }
    }

    static func all() throws -> [Authorisation] {
        try [
            "undecided", "renewalAwaiting", "magpie", "chisQuashed", "expired", "jpRefused", "moRefused",
            "renewalRefused", "cancelledAfterExpiry", "awaitingApproval",
        ].map(named)
    }
}

private enum CentralRecordTestError: Error { case unknownCase(String) }

private let endOf2026 = "2027-01-15T12:00:00.000Z"

/// Reads RFC 4180 CSV (quoted fields with doubled quotes and embedded CR/LF), so the tests
/// check the CSV by reading it back rather than by matching the writer's own code.
private func parseCSV(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var scalars = Array(text.unicodeScalars)[...]
    while let c = scalars.popFirst() {
        if quoted {
            if c == "\"" {
                if scalars.first == "\"" { field.unicodeScalars.append("\""); scalars.removeFirst() } else { quoted = false }
            } else {
                field.unicodeScalars.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            record.append(field)
            field = ""
        } else if c == "\r", scalars.first == "\n" {
            scalars.removeFirst()
            record.append(field)
            records.append(record)
            record = []
            field = ""
        } else {
            field.unicodeScalars.append(c)
        }
    }
    if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
    return records
}

// MARK: The rows

@Suite("Central record (Code of Practice 2018 para 8.1)")
struct CentralRecordTests {
    @Test("all twelve fields of a granted, approved, reviewed, renewed and cancelled authorisation")
    func everyField() throws {
        let row = try #require(CentralRecord.row(for: try Cases.magpie().authorisation, timeZone: london, at: time(endOf2026)))
        #expect(row.fields == [
            "directed surveillance",
            // Granted at 23:30Z on 30 March: already 31 March in British Summer Time.
            "2026-03-31",
            "Carol Exec (Chief Executive)",
            "DS-2026-0001",
            "Operation Magpie: Detect the sale of counterfeit goods at the market. Subjects: John Smith; unknown",
            "Westminster Magistrates' Court; magistrate J. Bloggs JP; approved; 2026-04-01 10:15",
            "2026-04-28; 2026-05-27",
            "2026-06-20 by Carol Exec (Chief Executive); JP: Westminster Magistrates' Court; magistrate A. Justice; approved; 2026-06-25 14:00",
            "yes",
            "yes",
            "2026-08-10 (instruction to cease 2026-08-10 15:30)",
            "not used — RIPA s.43(1A): no urgent oral authorisations for local authorities",
        ])
        #expect(row.fields.count == CentralRecordRow.fieldTitles.count)
        #expect(row.type == .directedSurveillance)
        #expect(row.dateGiven == day("2026-03-31"))
        #expect(row.authorisingOfficer == CentralRecordRow.Officer(userID: "ceo", name: "Carol Exec", rank: "Chief Executive"))
        #expect(row.investigation.subjects == ["John Smith", "unknown"])
        #expect(row.judicialApproval?.decision == .approved)
        #expect(row.renewals.first?.firstDay == day("2026-07-01"))
        #expect(row.renewals.first?.lastDay == day("2026-09-30"))
        #expect(row.cancellation.state == .cancelled)
        #expect(row.cancellation.date == day("2026-08-10"))
        #expect(row.cancellation.afterExpiry == false)
        #expect(row.cancellation.expires == day("2026-09-30"))
    }

    @Test("fields 9 and 10 say no, field 8 says none, for a plain grant")
    func plainGrant() throws {
        let row = try #require(CentralRecord.row(for: try Cases.expired().authorisation, timeZone: london, at: time(endOf2026)))
        #expect(row.fields[2] == "Mona Officer (Director of Law)")
        #expect(row.fields[6] == "none")
        #expect(row.fields[7] == "none")
        #expect(row.fields[8] == "no")
        #expect(row.fields[9] == "no")
        #expect(row.confidentialInformationLikely == false)
        #expect(row.authorisingOfficerDirectlyInvolved == false)
    }

    @Test("a renewal the JP refused, and one still awaiting the JP, are recorded as such")
    func renewalsNotApproved() throws {
        let refused = try #require(CentralRecord.row(for: try Cases.renewalRefused().authorisation, timeZone: london, at: time(endOf2026)))
        #expect(refused.fields[7] == "2025-12-20 by Mona Officer (Director of Law); JP: Westminster Magistrates' Court; magistrate J. Bloggs JP; refused; 2026-01-02 10:00")
        #expect(refused.renewals.first?.firstDay == nil)
        #expect(refused.renewals.first?.lastDay == nil)
        let awaiting = try #require(CentralRecord.row(for: try Cases.renewalAwaiting().authorisation, timeZone: london, at: time(endOf2026)))
        #expect(awaiting.fields[7] == "2026-12-20 by Mona Officer (Director of Law); JP: awaiting judicial approval")
        #expect(awaiting.renewals.first?.judicialApproval == nil)
    }

    @Test("field 6 waits for the JP, and gives 'refused and quashed' for s.32B")
    func judicialField() throws {
        let at = time(endOf2026)
        let awaiting = try #require(CentralRecord.row(for: try Cases.awaitingApproval().authorisation, timeZone: london, at: at))
        #expect(awaiting.fields[5] == "awaiting judicial approval")
        #expect(awaiting.judicialApproval == nil)
        let quashed = try #require(CentralRecord.row(for: try Cases.chisQuashed().authorisation, timeZone: london, at: at))
        #expect(quashed.fields[0] == "covert human intelligence source")
        #expect(quashed.fields[5] == "Leeds Magistrates' Court; magistrate P. Smith JP; refused and quashed; 2026-05-03 11:00")
    }

    @Test(
        "field 11: the cancellation, or where the authorisation stands without one",
        arguments: [
            // (case, report time, field 11, state, expired without cancellation)
            ("magpie", "2026-03-31T10:00:00.000Z", "not cancelled: awaiting judicial approval", AuthorisationState.grantedAwaitingApproval, false),
            ("magpie", "2026-05-01T12:00:00.000Z", "not cancelled: active until 2026-06-30", .active, false),
            ("magpie", "2026-07-15T12:00:00.000Z", "not cancelled: active until 2026-09-30", .active, false),
            ("magpie", "2026-12-01T00:00:00.000Z", "2026-08-10 (instruction to cease 2026-08-10 15:30)", .cancelled, false),
            ("magpieUncancelled", "2026-12-01T00:00:00.000Z", "expired without cancellation on 2026-09-30", .expired, true),
            // The last millisecond of 6 April 2026 in BST, and the one after.
            ("expired", "2026-04-06T22:59:59.999Z", "not cancelled: active until 2026-04-06", .active, false),
            ("expired", "2026-04-06T23:00:00.000Z", "expired without cancellation on 2026-04-06", .expired, true),
            ("renewalRefused", "2026-01-05T00:00:00.000Z", "expired without cancellation on 2026-01-02", .expired, true),
            ("cancelledAfterExpiry", endOf2026, "2026-12-10, after expiry on 2026-12-02 (instruction to cease 2026-12-10 10:45)", .cancelled, false),
            ("cancelledAfterExpiry", "2026-12-05T00:00:00.000Z", "expired without cancellation on 2026-12-02", .expired, true),
            ("jpRefused", endOf2026, "never in effect: judicial approval refused", .refused, false),
            ("chisQuashed", endOf2026, "never in effect: refused and quashed by the justice of the peace", .refused, false),
            ("renewalQuashed", "2026-03-24T12:00:00.000Z", "not cancelled: active until 2026-04-06", .active, false),
            ("renewalQuashed", endOf2026, "ended 2026-03-25: quashed by the justice of the peace on refusing its renewal", .refused, false),
        ] as [(String, String, String, AuthorisationState, Bool)])
    func cancellationField(name: String, at: String, text: String, state: AuthorisationState, expiredWithoutCancellation: Bool) throws {
        let row = try #require(CentralRecord.row(for: try Cases.named(name), timeZone: london, at: time(at)))
        #expect(row.fields[10] == text)
        #expect(row.cancellation.text == text)
        #expect(row.cancellation.state == state)
        #expect(row.cancellation.expiredWithoutCancellation == expiredWithoutCancellation)
    }

    @Test("the record as at a moment leaves out what was recorded after it")
    func asAt() throws {
        // After the first review, before the JP's decision on the renewal was recorded.
        let row = try #require(CentralRecord.row(for: try Cases.magpie().authorisation, timeZone: london, at: time("2026-06-25T14:00:00.000Z")))
        #expect(row.reviews == [day("2026-04-28"), day("2026-05-27")])
        #expect(row.fields[7] == "2026-06-20 by Carol Exec (Chief Executive); JP: awaiting judicial approval")
        #expect(row.cancellation.date == nil)
        let early = try #require(CentralRecord.row(for: try Cases.magpie().authorisation, timeZone: london, at: time("2026-04-01T11:00:00.000Z")))
        // The JP decided at 10:15 BST but it was recorded only at 13:00 BST.
        #expect(early.judicialApproval == nil)
        #expect(early.reviews.isEmpty && early.renewals.isEmpty)
        #expect(CentralRecord.row(for: try Cases.magpie().authorisation, timeZone: london, at: time("2026-03-30T23:29:59.999Z")) == nil)
    }

    @Test("one row per granted authorisation, in URN order; applications not granted are left out")
    func rowsInURNOrder() throws {
        var cases = try Cases.all()
        // URNs numbered past 9999 still follow 9999.
        var late = try Cases.expired().authorisation
        late.urn = "DS-2026-10000"
        var earlier = try Cases.expired().authorisation
        earlier.urn = "DS-2026-9999"
        cases += [late, earlier]
        let rows = CentralRecord.rows(cases, from: nil, to: nil, timeZone: london, at: time(endOf2026))
        #expect(rows.map(\.urn) == [
            "CHIS-2026-0001", "DS-2025-0007", "DS-2026-0001", "DS-2026-0002", "DS-2026-0004", "DS-2026-0005",
            "DS-2026-0006", "DS-2026-0008", "DS-2026-9999", "DS-2026-10000",
        ])
        #expect(!rows.contains { $0.urn == "DS-2026-0003" || $0.urn == "JCHIS-2026-0001" })
    }

    @Test(
        "the date filter is inclusive and uses the date given in London",
        arguments: [
            // (from, to, URNs)
            (nil, nil, ["DS-2025-0007", "DS-2026-0001", "DS-2026-0002", "DS-2026-0004"]),
            ("2026-01-01", nil, ["DS-2026-0001", "DS-2026-0002", "DS-2026-0004"]),
            (nil, "2025-12-31", ["DS-2025-0007"]),
            // DS-2026-0001 was granted at 23:30Z on 30 March: 31 March in London.
            (nil, "2026-03-30", ["DS-2025-0007", "DS-2026-0004"]),
            ("2026-03-31", "2026-03-31", ["DS-2026-0001"]),
            ("2026-03-31", "2026-04-02", ["DS-2026-0001", "DS-2026-0002"]),
            ("2026-04-03", "2026-12-31", []),
        ] as [(String?, String?, [String])])
    func dateFilter(from: String?, to: String?, urns: [String]) throws {
        let cases = try ["renewalRefused", "magpie", "jpRefused", "expired", "moRefused"].map(Cases.named)
        let rows = CentralRecord.rows(cases, from: from.map(day), to: to.map(day), timeZone: london, at: time(endOf2026))
        #expect(rows.map(\.urn) == urns)
    }

    @Test("date-times are YYYY-MM-DD HH:MM in London, British Summer Time included")
    func dateTimes() throws {
        #expect(CentralRecord.dateTime(time("2026-01-15T09:05:00.000Z"), in: london) == "2026-01-15 09:05")
        #expect(CentralRecord.dateTime(time("2026-07-15T09:05:59.999Z"), in: london) == "2026-07-15 10:05")
        #expect(CentralRecord.dateTime(time("2026-03-29T00:59:00.000Z"), in: london) == "2026-03-29 00:59")
        #expect(CentralRecord.dateTime(time("2026-03-29T01:00:00.000Z"), in: london) == "2026-03-29 02:00")
        #expect(CentralRecord.dateTime(time("2026-10-24T23:30:00.000Z"), in: london) == "2026-10-25 00:30")
    }

    // MARK: JSON

    @Test("a row encodes to JSON with one snake_case key per field, nulls where nothing is recorded, and no floats")
    func json() throws {
        let row = try #require(CentralRecord.row(for: try Cases.magpie().authorisation, timeZone: london, at: time(endOf2026)))
        let json = try JSONValue(encoding: row)
        #expect(json.objectValue.map { Set($0.keys) } == [
            "type", "date_given", "authorising_officer", "urn", "investigation", "judicial_approval", "reviews",
            "renewals", "confidential_information_likely", "authorising_officer_directly_involved", "cancellation", "urgency",
        ])
        #expect(json["type"] == "directed-surveillance")
        #expect(json["date_given"] == "2026-03-31")
        #expect(json["authorising_officer"] == ["user_id": "ceo", "name": "Carol Exec", "rank": "Chief Executive"])
        #expect(json["urn"] == "DS-2026-0001")
        #expect(json["investigation"] == [
            "operation": "Operation Magpie", "purpose": "Detect the sale of counterfeit goods at the market",
            "subjects": ["John Smith", "unknown"],
        ])
        #expect(json["judicial_approval"] == [
            "court": "Westminster Magistrates' Court", "magistrate": "J. Bloggs JP", "decision": "approved",
            "date_time": "2026-04-01 10:15",
        ])
        #expect(json["reviews"] == ["2026-04-28", "2026-05-27"])
        #expect(json["renewals"] == [[
            "date": "2026-06-20",
            "officer": ["user_id": "ceo", "name": "Carol Exec", "rank": "Chief Executive"],
            "judicial_approval": [
                "court": "Westminster Magistrates' Court", "magistrate": "A. Justice", "decision": "approved",
                "date_time": "2026-06-25 14:00",
            ],
            "first_day": "2026-07-01", "last_day": "2026-09-30",
        ]])
        #expect(json["confidential_information_likely"] == true)
        #expect(json["authorising_officer_directly_involved"] == true)
        #expect(json["cancellation"] == [
            "state": "cancelled", "date": "2026-08-10", "ceased_at": "2026-08-10 15:30", "after_expiry": false,
            "expired_without_cancellation": false, "expires": "2026-09-30",
            "text": "2026-08-10 (instruction to cease 2026-08-10 15:30)",
        ])
        #expect(json["urgency"] == "not used — RIPA s.43(1A): no urgent oral authorisations for local authorities")
        #expect(try json.decode(CentralRecordRow.self) == row)
    }

    @Test("what is not yet recorded is null, not missing")
    func jsonNulls() throws {
        let row = try #require(CentralRecord.row(for: try Cases.renewalAwaiting().authorisation, timeZone: london, at: time(endOf2026)))
        let json = try JSONValue(encoding: row)
        #expect(json["renewals"]?.arrayValue?.first?["judicial_approval"] == .null)
        #expect(json["renewals"]?.arrayValue?.first?["first_day"] == .null)
        #expect(json["cancellation"]?["date"] == .null)
        #expect(json["cancellation"]?["ceased_at"] == .null)
        let awaiting = try #require(CentralRecord.row(for: try Cases.awaitingApproval().authorisation, timeZone: london, at: time(endOf2026)))
        let awaitingJSON = try JSONValue(encoding: awaiting)
        #expect(awaitingJSON["judicial_approval"] == .null)
        #expect(awaitingJSON["cancellation"]?["expires"] == .null)
        #expect(try awaitingJSON.decode(CentralRecordRow.self) == awaiting)
    }

    // MARK: CSV

    @Test(
        "RFC 4180: quote a field with a comma, a quote, CR or LF, and double its quotes",
        arguments: [
            ("plain", "plain"),
            ("", ""),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("\"", "\"\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("carriage\rreturn", "\"carriage\rreturn\""),
            ("crlf\r\nend", "\"crlf\r\nend\""),
            ("semi; colon's", "semi; colon's"),
        ])
    func csvField(text: String, encoded: String) {
        #expect(CSV.field(text) == encoded)
    }

    @Test("the CSV has a header of the twelve titles, CRLF line ends, and reads back field by field")
    func csvDocument() throws {
        let awkward = try Case(
            "DS-2026-0009", applied: "2026-02-01T09:00:00.000Z", operation: "Operation \"Kestrel\", phase 2",
            purpose: "Detect fly-tipping\r\nat the depot", subjects: ["O'Brien, Sean"]
        )
        .granted(at: "2026-02-02T09:00:00.000Z")
        .judicial(.approved, decided: "2026-02-03T10:00:00.000Z")
        let rows = CentralRecord.rows(
            [try Cases.magpie().authorisation, awkward.authorisation], from: nil, to: nil, timeZone: london, at: time(endOf2026))
        let csv = CentralRecord.csv(rows)
        #expect(csv.hasPrefix("Type of authorisation,Date given,Authorising officer (name and rank),Unique reference number,"))
        #expect(csv.hasSuffix("\r\n"))
        #expect(csv.contains("\"Operation \"\"Kestrel\"\", phase 2: Detect fly-tipping\r\nat the depot. Subjects: O'Brien, Sean\""))
        let records = parseCSV(csv)
        #expect(records.count == 3)
        #expect(records[0] == CentralRecordRow.fieldTitles)
        #expect(records[0].count == 12)
        #expect(records[1] == rows[0].fields)
        #expect(records[2] == rows[1].fields)
        #expect(records[2][3] == "DS-2026-0009")
        #expect(records[2][4] == "Operation \"Kestrel\", phase 2: Detect fly-tipping\r\nat the depot. Subjects: O'Brien, Sean")
        #expect(CentralRecord.csv([]) == CSV.record(CentralRecordRow.fieldTitles))
    }
}

// MARK: Statistics

@Suite("Annual statistics")
struct RecordStatisticsTests {
    static func refusals() throws -> [(time: EntryTime, body: ApplicationRefusal)] {
        func refusal(_ at: String) throws -> (time: EntryTime, body: ApplicationRefusal) {
            let threshold = ThresholdResult(
                type: .directedSurveillance, applies: true, passes: false, minimumCustodyMonths: 6, findings: [],
                summary: "fine only")
            return (time(at), ApplicationRefusal(type: .directedSurveillance, operation: "Operation Gull", threshold: threshold, reason: "fine only", policyHash: "test"))
        }
        return [
            try refusal("2025-12-31T23:59:00.000Z"),
            try refusal("2026-02-01T10:00:00.000Z"),
            try refusal("2027-01-01T00:00:01.000Z"),
        ]
    }

    @Test("every count for 2026")
    func year2026() throws {
        let stats = RecordStatistics.compute(
            cases: try Cases.all(), refusedApplications: try Self.refusals(), year: 2026, timeZone: london, at: time(endOf2026))
        #expect(stats.year == 2026)
        #expect(stats.timeZone == "Europe/London")
        // magpie, jpRefused, chisQuashed, moRefused, expired, cancelledAfterExpiry,
        // renewalAwaiting, awaitingApproval, undecided; plus one threshold refusal.
        #expect(stats.applications.accepted == 9)
        #expect(stats.applications.refusedAtThreshold == 1)
        #expect(stats.applications.total == 10)
        #expect(stats.applications.byType == RecordStatistics.ByType(directedSurveillance: 8, chis: 1, juvenileCHIS: 1))
        #expect(stats.refusals == RecordStatistics.Refusals(seriousCrimeThreshold: 1, authorisingOfficer: 1, judicialRefused: 1, judicialQuashed: 1))
        #expect(stats.refusals.total == 4)
        #expect(stats.grants == RecordStatistics.ByType(directedSurveillance: 6, chis: 1, juvenileCHIS: 0))
        #expect(stats.grants.total == 7)
        // magpie's renewal (approved) and renewalAwaiting's; renewalRefused's was granted in 2025.
        #expect(stats.renewals.total == 2)
        #expect(stats.renewals.approved == 1)
        #expect(stats.renewals.notApproved == 0)
        #expect(stats.renewals.awaitingApproval == 1)
        #expect(stats.cancellations.total == 2)
        #expect(stats.cancellations.afterExpiry == 1)
        // jpRefused, chisQuashed, and the JP's refusal of renewalRefused's renewal on 2 January.
        #expect(stats.judicialRefusals == 3)
        // expired (6 April) and renewalRefused (2 January); cancelledAfterExpiry was cancelled.
        #expect(stats.expiredWithoutCancellation == 2)
    }

    @Test("2025 counts the renewal by the year it was granted, and the JP's 2026 refusal not at all")
    func year2025() throws {
        let stats = RecordStatistics.compute(
            cases: try Cases.all(), refusedApplications: try Self.refusals(), year: 2025, timeZone: london, at: time(endOf2026))
        #expect(stats.applications.total == 2)
        #expect(stats.applications.refusedAtThreshold == 1)
        #expect(stats.grants.total == 1)
        #expect(stats.renewals.total == 1)
        #expect(stats.renewals.notApproved == 1)
        #expect(stats.judicialRefusals == 0)
        #expect(stats.refusals.total == 1)
        #expect(stats.cancellations.total == 0)
        #expect(stats.expiredWithoutCancellation == 0)
    }

    @Test("a return drawn up mid-year counts only what had happened by then")
    func midYear() throws {
        let stats = RecordStatistics.compute(
            cases: try Cases.all(), refusedApplications: try Self.refusals(), year: 2026, timeZone: london,
            at: time("2026-07-01T00:00:00.000Z"))
        #expect(stats.applications.accepted == 5)  // magpie, jpRefused, chisQuashed, moRefused, expired
        #expect(stats.grants.total == 4)
        #expect(stats.renewals.total == 1)
        #expect(stats.cancellations.total == 0)
        // magpie was renewed, so only expired (6 April) and renewalRefused had ended.
        #expect(stats.expiredWithoutCancellation == 2)
        #expect(stats.judicialRefusals == 3)
    }

    @Test("a renewal refused and quashed: a judicial refusal and a renewal not approved, not a refusal of the application")
    func renewalQuashed() throws {
        let stats = RecordStatistics.compute(
            cases: [try Cases.renewalQuashed().authorisation], refusedApplications: [], year: 2026, timeZone: london,
            at: time(endOf2026))
        #expect(stats.grants.total == 1)
        #expect(stats.renewals.total == 1 && stats.renewals.notApproved == 1)
        #expect(stats.judicialRefusals == 1)
        #expect(stats.refusals.total == 0)
        #expect(stats.expiredWithoutCancellation == 0)
    }

    @Test("the statistics encode with snake_case keys and integers only")
    func json() throws {
        let stats = RecordStatistics.compute(
            cases: try Cases.all(), refusedApplications: try Self.refusals(), year: 2026, timeZone: london, at: time(endOf2026))
        let json = try JSONValue(encoding: stats)
        #expect(json.objectValue.map { Set($0.keys) } == [
            "year", "time_zone", "applications", "refusals", "grants", "renewals", "cancellations", "judicial_refusals",
            "expired_without_cancellation",
        ])
        #expect(json["applications"] == [
            "total": 10, "accepted": 9, "refused_at_threshold": 1,
            "by_type": ["directed_surveillance": 8, "chis": 1, "juvenile_chis": 1],
        ])
        #expect(json["refusals"] == [
            "serious_crime_threshold": 1, "authorising_officer": 1, "judicial_refused": 1, "judicial_quashed": 1, "total": 4,
        ])
        #expect(json["grants"] == ["directed_surveillance": 6, "chis": 1, "juvenile_chis": 0])
        #expect(json["renewals"] == ["total": 2, "approved": 1, "not_approved": 0, "awaiting_approval": 1])
        #expect(json["cancellations"] == ["total": 2, "after_expiry": 1])
        #expect(json["judicial_refusals"] == 3)
        #expect(json["expired_without_cancellation"] == 2)
        #expect(try json.decode(RecordStatistics.self) == stats)
    }
}
