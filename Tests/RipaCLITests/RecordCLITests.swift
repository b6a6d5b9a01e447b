import Foundation
import Ledger
import Testing

/// A register for the record tests, built through the real `ripa` binary, the clock moved
/// forward step by step with `$RIPA_CLOCK`:
///
/// - 12 January 2026: an application refused at the serious crime threshold (littering, fine only);
/// - DS-2026-0001 "Op Kestrel": granted by `mo` at 00:30 BST on 31 March (declaring direct
///   involvement), approved by the JP, reviewed, renewed, the renewal approved, cancelled on 10 August;
/// - DS-2026-0002 `Op "Wren", phase 2`: confidential information likely, so granted by the chief
///   executive `ceo`; the JP refused.
///
/// The record is then read as at 15 January 2027.
private enum RecordCLI {
    static let purpose = "To detect the sale of counterfeit goods, online and at the market"
    static let wren = "Op \"Wren\", phase 2"
    static let urgency = "not used — RIPA s.43(1A): no urgent oral authorisations for local authorities"

    static func application(operation: String, offence: String = "tma-1994-s92", extra: [String] = []) -> [String] {
        ["apply", "--type", "directed-surveillance", "--operation", operation, "--purpose", purpose,
         "--subject", "Sam Subject", "--online-identity", "https://www.facebook.com/sam.subject/",
         "--offence", offence, "--necessity", "Test purchases alone cannot show the supply chain",
         "--proportionality", "Public places only, four weeks", "--collateral-intrusion", "Other traders may be seen; not recorded",
         "--json"] + extra
    }

    static func register() throws -> CLI {
        var cli = try CLI.withRegister(origin: "ripa.record-council.gov.uk/register", clock: "2026-01-10T09:00:00Z")
        try cli.enrol("ivan", roles: "investigator", rank: "Investigation Officer")
        try cli.enrol("mo", roles: "monitoring-officer", rank: "Director of Law")
        try cli.enrol("ceo", roles: "monitoring-officer", rank: "Chief Executive", extra: ["--head-of-paid-service"])

        cli.clock = "2026-01-12T10:00:00Z"
        let refused = try cli.run(application(operation: "Op Gull", offence: "epa-1990-s87"), as: "ivan")
        #expect(refused.status != 0, "the littering application should fail the threshold")

        // In time order: entry times never go backwards.
        cli.clock = "2026-03-02T09:00:00Z"
        let kestrel = try JSONValue(parsing: try cli.ok(application(operation: "Op Kestrel"), as: "ivan"))["urn"]?.stringValue
        #expect(kestrel == "DS-2026-0001")
        cli.clock = "2026-03-30T23:30:00Z"
        try cli.ok(["grant", "DS-2026-0001", "--reasons", "Necessary and proportionate", "--review-interval", "28",
                    "--first-review", "2026-04-28", "--directly-involved"], as: "mo")
        cli.clock = "2026-04-01T09:00:00Z"
        let wrenURN = try JSONValue(parsing: try cli.ok(application(operation: wren, extra: ["--confidential-information-likely"]), as: "ivan"))["urn"]?.stringValue
        #expect(wrenURN == "DS-2026-0002")
        cli.clock = "2026-04-01T12:00:00Z"
        try cli.ok(["judicial", "DS-2026-0001", "--decision", "approved", "--court", "Anytown Magistrates' Court",
                    "--magistrate", "J. Bench JP", "--at", "2026-04-01T10:15:00+01:00"], as: "ivan")
        cli.clock = "2026-04-02T09:00:00Z"
        try cli.ok(["grant", "DS-2026-0002", "--reasons", "Necessary and proportionate", "--review-interval", "28", "--first-review", "2026-04-30"], as: "ceo")
        cli.clock = "2026-04-03T12:00:00Z"
        try cli.ok(["judicial", "DS-2026-0002", "--decision", "refused", "--court", "Anytown Magistrates' Court",
                    "--magistrate", "J. Bench JP", "--at", "2026-04-03T11:00:00Z"], as: "ivan")
        cli.clock = "2026-04-28T10:00:00Z"
        try cli.ok(["review", "DS-2026-0001", "--findings", "Two sales seen", "--still-necessary", "--next-review", "2026-05-26"], as: "mo")
        cli.clock = "2026-06-20T10:00:00Z"
        try cli.ok(["renew", "DS-2026-0001", "--changes", "A second stall", "--value-so-far", "Supplier identified",
                    "--reasons", "Still necessary"], as: "mo")
        cli.clock = "2026-06-25T15:00:00Z"
        try cli.ok(["judicial", "DS-2026-0001", "--decision", "approved", "--court", "Anytown Magistrates' Court",
                    "--magistrate", "A. Justice JP", "--at", "2026-06-25T13:00:00Z"], as: "mo")
        cli.clock = "2026-08-10T15:00:00Z"
        try cli.ok(["cancel", "DS-2026-0001", "--reason", "Evidence obtained", "--value-obtained", "Supplier prosecuted",
                    "--ceased-at", "2026-08-10T14:30:00Z"], as: "mo")

        cli.clock = "2027-01-15T12:00:00Z"
        return cli
    }

    /// Reads RFC 4180 CSV back into records.
    static func parseCSV(_ text: String) -> [[String]] {
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

    static func central(_ cli: CLI, _ extra: [String] = []) throws -> [JSONValue] {
        let json = try JSONValue(parsing: try cli.ok(["record", "central", "--format", "json"] + extra))
        return json["authorisations"]?.arrayValue ?? []
    }

    /// Expects a failure with one line on stderr containing `text`.
    static func refused(_ cli: CLI, _ arguments: [String], saying text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try cli.run(arguments)
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "expected one line, got: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
    }
}

/// `ripa record central` and `ripa record statistics` through the real binary (issue 3 item 7).
@Suite struct RecordCLITests {
    /// Builds the register once (about twenty runs of the binary) and checks every output of it.
    @Test("the central record and the statistics of a year's register, in every format")
    func record() throws {
        let cli = try RecordCLI.register()
        defer { cli.cleanUp() }
        try centralJSON(cli)
        try centralCSV(cli)
        try centralTable(cli)
        try dateFilter(cli)
        try statisticsJSON(cli)
        try statisticsText(cli)
    }

    func centralJSON(_ cli: CLI) throws {
        let document = try JSONValue(parsing: try cli.ok(["record", "central", "--format", "json"]))
        #expect(document["as_at"] == "2027-01-15 12:00")
        #expect(document["time_zone"] == "Europe/London")
        #expect(document["from"] == .null && document["to"] == .null)
        let rows = try #require(document["authorisations"]?.arrayValue)
        try #require(rows.count == 2)

        let kestrel = rows[0]
        #expect(kestrel["type"] == "directed-surveillance")
        #expect(kestrel["date_given"] == "2026-03-31")  // 23:30Z on 30 March is 00:30 BST on the 31st
        #expect(kestrel["authorising_officer"] == ["user_id": "mo", "name": "Mo", "rank": "Director of Law"])
        #expect(kestrel["urn"] == "DS-2026-0001")
        #expect(kestrel["investigation"] == ["operation": "Op Kestrel", "purpose": .string(RecordCLI.purpose), "subjects": ["Sam Subject"]])
        #expect(kestrel["judicial_approval"] == [
            "court": "Anytown Magistrates' Court", "magistrate": "J. Bench JP", "decision": "approved", "date_time": "2026-04-01 10:15",
            "recorded_by": ["user_id": "ivan", "name": "Ivan", "rank": "Investigation Officer"],
        ])
        #expect(kestrel["reviews"] == ["2026-04-28"])
        #expect(kestrel["renewals"] == [[
            "date": "2026-06-20",
            "officer": ["user_id": "mo", "name": "Mo", "rank": "Director of Law"],
            "judicial_approval": [
                "court": "Anytown Magistrates' Court", "magistrate": "A. Justice JP", "decision": "approved",
                "date_time": "2026-06-25 14:00", "recorded_by": ["user_id": "mo", "name": "Mo", "rank": "Director of Law"],
            ],
            "first_day": "2026-07-01", "last_day": "2026-09-30",
        ]])
        #expect(kestrel["confidential_information_likely"] == false)
        #expect(kestrel["authorising_officer_directly_involved"] == true)
        #expect(kestrel["cancellation"] == [
            "state": "cancelled", "date": "2026-08-10", "ceased_at": "2026-08-10 15:30", "after_expiry": false,
            "expired_without_cancellation": false, "expires": "2026-09-30",
            "text": "2026-08-10 (instruction to cease 2026-08-10 15:30)",
        ])
        #expect(kestrel["urgency"] == .string(RecordCLI.urgency))

        let wren = rows[1]
        #expect(wren["urn"] == "DS-2026-0002")
        #expect(wren["date_given"] == "2026-04-02")
        #expect(wren["authorising_officer"] == ["user_id": "ceo", "name": "Ceo", "rank": "Chief Executive"])
        #expect(wren["investigation"]?["operation"] == .string(RecordCLI.wren))
        #expect(wren["judicial_approval"] == [
            "court": "Anytown Magistrates' Court", "magistrate": "J. Bench JP", "decision": "refused", "date_time": "2026-04-03 12:00",
            "recorded_by": ["user_id": "ivan", "name": "Ivan", "rank": "Investigation Officer"],
        ])
        #expect(wren["reviews"] == [])
        #expect(wren["renewals"] == [])
        #expect(wren["confidential_information_likely"] == true)
        #expect(wren["authorising_officer_directly_involved"] == false)
        #expect(wren["cancellation"]?["state"] == "refused")
        #expect(wren["cancellation"]?["date"] == .null)
        #expect(wren["cancellation"]?["text"] == "never in effect: judicial approval refused")
    }

    func centralCSV(_ cli: CLI) throws {
        let csv = try cli.ok(["record", "central", "--format", "csv"])
        #expect(csv.hasSuffix("\r\n"))
        // The operation's comma and quotes force quoting, with the quotes doubled.
        #expect(csv.contains(",\"Op \"\"Wren\"\", phase 2: \(RecordCLI.purpose). Subjects: Sam Subject\","))
        let records = RecordCLI.parseCSV(csv)
        try #require(records.count == 3)
        #expect(records[0] == [
            "Type of authorisation", "Date given", "Authorising officer (name and rank)", "Unique reference number",
            "Investigation (title, description, subjects)", "Judicial approval (court, magistrate, decision, date and time)",
            "Dates of reviews", "Renewals (date, officer, judicial approval)", "Confidential information likely",
            "Authorising officer directly involved", "Cancellation", "Urgency provisions used",
        ])
        #expect(records[1] == [
            "directed surveillance",
            "2026-03-31",
            "Mo (Director of Law)",
            "DS-2026-0001",
            "Op Kestrel: \(RecordCLI.purpose). Subjects: Sam Subject",
            "Anytown Magistrates' Court; magistrate J. Bench JP; approved; 2026-04-01 10:15; recorded by Ivan (Investigation Officer)",
            "2026-04-28",
            "2026-06-20 by Mo (Director of Law); JP: Anytown Magistrates' Court; magistrate A. Justice JP; approved; 2026-06-25 14:00; recorded by Mo (Director of Law)",
            "no",
            "yes",
            "2026-08-10 (instruction to cease 2026-08-10 15:30)",
            RecordCLI.urgency,
        ])
        #expect(records[2] == [
            "directed surveillance",
            "2026-04-02",
            "Ceo (Chief Executive)",
            "DS-2026-0002",
            "\(RecordCLI.wren): \(RecordCLI.purpose). Subjects: Sam Subject",
            "Anytown Magistrates' Court; magistrate J. Bench JP; refused; 2026-04-03 12:00; recorded by Ivan (Investigation Officer)",
            "none",
            "none",
            "yes",
            "no",
            "never in effect: judicial approval refused",
            RecordCLI.urgency,
        ])
    }

    func centralTable(_ cli: CLI) throws {
        let text = try cli.ok(["record", "central"])
        #expect(text.contains("As at 2027-01-15 12:00 Europe/London: 2 authorisations"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "DS-2026-0001"))
        let block = Array(lines[(start + 1)...(start + 12)])
        #expect(block[0].hasPrefix("   1. Type:") && block[0].hasSuffix("directed surveillance"))
        #expect(block[1].hasPrefix("   2. Date given:") && block[1].hasSuffix("2026-03-31"))
        #expect(block[3].hasSuffix("DS-2026-0001"))
        #expect(block[9].hasPrefix("  10. AO directly involved:") && block[9].hasSuffix("yes"))
        #expect(block[10].hasPrefix("  11. Cancellation:") && block[10].hasSuffix("2026-08-10 (instruction to cease 2026-08-10 15:30)"))
        #expect(block[11].hasPrefix("  12. Urgency provisions:") && block[11].hasSuffix(RecordCLI.urgency))
        #expect(lines.contains("DS-2026-0002"))
        #expect(text.components(separatedBy: "   1. Type:").count == 3)
    }

    /// `--from` and `--to` select by the date given, inclusive, in London.
    func dateFilter(_ cli: CLI) throws {
        let table: [([String], [String])] = [
            ([], ["DS-2026-0001", "DS-2026-0002"]),
            (["--from", "2026-04-01"], ["DS-2026-0002"]),
            // DS-2026-0001 was granted at 23:30Z on 30 March: 31 March in London.
            (["--to", "2026-03-30"], []),
            (["--from", "2026-03-31", "--to", "2026-03-31"], ["DS-2026-0001"]),
            (["--from", "2026-03-31", "--to", "2026-04-02"], ["DS-2026-0001", "DS-2026-0002"]),
        ]
        for (arguments, urns) in table {
            #expect(try RecordCLI.central(cli, arguments).compactMap { $0["urn"]?.stringValue } == urns, "\(arguments)")
            let csv = RecordCLI.parseCSV(try cli.ok(["record", "central", "--format", "csv"] + arguments))
            #expect(csv.first?.count == 12)
            #expect(csv.dropFirst().map { $0[3] } == urns, "\(arguments)")
        }
        let filtered = try JSONValue(parsing: try cli.ok(["record", "central", "--format", "json", "--from", "2026-04-01", "--to", "2026-12-31"]))
        #expect(filtered["from"] == "2026-04-01" && filtered["to"] == "2026-12-31")
    }

    @Test("bad dates, --from after --to, and a bad year are refused with one line, before the register is opened")
    func badInput() throws {
        let cli = try CLI()  // no register: the options are checked first
        defer { cli.cleanUp() }
        try RecordCLI.refused(cli, ["record", "central", "--from", "2026-13-01"], saying: "--from '2026-13-01' is not a date")
        try RecordCLI.refused(cli, ["record", "central", "--to", "1 April"], saying: "--to '1 April' is not a date")
        try RecordCLI.refused(cli, ["record", "central", "--from", "2026-02-29"], saying: "not a date")
        try RecordCLI.refused(cli, ["record", "central", "--from", "2026-05-01", "--to", "2026-04-01"], saying: "the start date 2026-05-01 is after the end date 2026-04-01; give the earlier date as --from")
        try RecordCLI.refused(cli, ["record", "statistics", "--year", "20260"], saying: "20260 is not a year the register can hold")
        let format = try cli.run(["record", "central", "--format", "xml"])
        #expect(format.status != 0 && format.stderr.contains("xml"))
    }

    func statisticsJSON(_ cli: CLI) throws {
        let stats = try JSONValue(parsing: try cli.ok(["record", "statistics", "--year", "2026", "--json"]))
        #expect(stats["year"] == 2026)
        #expect(stats["time_zone"] == "Europe/London")
        #expect(stats["applications"] == [
            "total": 3, "accepted": 2, "refused_at_threshold": 1,
            "by_type": ["directed_surveillance": 3, "chis": 0, "juvenile_chis": 0],
        ])
        #expect(stats["refusals"] == [
            "serious_crime_threshold": 1, "authorising_officer": 0, "judicial_refused": 1, "judicial_quashed": 0, "total": 2,
        ])
        #expect(stats["grants"] == ["directed_surveillance": 2, "chis": 0, "juvenile_chis": 0])
        #expect(stats["renewals"] == ["total": 1, "approved": 1, "not_approved": 0, "awaiting_approval": 0])
        #expect(stats["cancellations"] == ["total": 1, "after_expiry": 0])
        #expect(stats["judicial_refusals"] == 1)
        #expect(stats["expired_without_cancellation"] == 0)

        let empty = try JSONValue(parsing: try cli.ok(["record", "statistics", "--year", "2025", "--json"]))
        #expect(empty["applications"]?["total"] == 0)
        #expect(empty["grants"] == ["directed_surveillance": 0, "chis": 0, "juvenile_chis": 0])
    }

    func statisticsText(_ cli: CLI) throws {
        let text = try cli.ok(["record", "statistics", "--year", "2026"])
        let lines = text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.first == "Statistics for 2026 (Europe/London), as at 2027-01-15 12:00")
        for expected in [
            "Applications 3", "refused at the serious crime threshold 1", "Refusals 2", "judicial approval refused (RIPA s.32A) 1",
            "Grants 2", "Renewals 1", "approved by a JP 1", "Cancellations 1", "Judicial refusals (grants and renewals) 1",
            "Expired without cancellation 0",
        ] {
            #expect(lines.contains(expected), "missing '\(expected)' in:\n\(text)")
        }
    }

    @Test("the help explains where each of the twelve fields comes from")
    func help() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let help = try cli.run(["record", "central", "--help"], withDB: false)
        #expect(help.status == 0)
        for text in ["para 8.1", "1. Type of authorisation", "6. Judicial approval", "11. Cancellation", "12. Urgency provisions", "s.43(1A)"] {
            #expect(help.stdout.contains(text), "help lacks '\(text)'")
        }
    }
}
