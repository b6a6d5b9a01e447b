import ArgumentParser
import Foundation
import Ledger
import RIPA

/// `ripa record`: the central record of authorisations and the annual statistics, both
/// computed from the signed log.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "The central record of authorisations and the statistics for the annual return.",
        discussion: """
            Both are computed from the signed entries only, in the pack's time zone (Europe/London), as at now (or $RIPA_CLOCK). Nothing is written.
            """,
        subcommands: [Central.self, Statistics.self]
    )

    /// `ripa record central`.
    struct Central: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "central",
            abstract: "The central record: one entry per authorisation granted, with the twelve fields of Code of Practice 2018 para 8.1.",
            discussion: """
                One entry per authorisation the authorising officer granted (whatever the justice of the peace then decided), in URN order. Each field, and where in the signed log it comes from:

                   1. Type of authorisation: the application (directed surveillance,
                      CHIS, juvenile CHIS).
                   2. Date given: the day of the authorising officer's grant
                      (authorisation.granted).
                   3. Authorising officer: name and rank of the officer who granted.
                   4. URN: the unique reference number given to the application.
                   5. Investigation: operation name, purpose and the subjects' names,
                      from the application.
                   6. Judicial approval: court, magistrate, decision (approved,
                      refused, refused and quashed), date and time of the JP's
                      decision on the grant (judicial.decision; RIPA s.32A).
                   7. Reviews: the date of each review (authorisation.reviewed).
                   8. Renewals: the date of each renewal, the renewing officer's
                      name and rank, and the JP's decision on it
                      (authorisation.renewed, judicial.decision).
                   9. Confidential information likely: from the application.
                  10. Authorising officer directly involved: as the officer declared
                      when granting.
                  11. Cancellation: the day it was recorded and the time of the
                      instruction to cease (authorisation.cancelled; RIPA s.45),
                      marked "after expiry" if late; without one, where the
                      authorisation stands ("active until …", "expired without
                      cancellation").
                  12. Urgency provisions: never used; a council may not grant urgent
                      oral authorisations (RIPA s.43(1A)).

                Dates are YYYY-MM-DD and times YYYY-MM-DD HH:MM, Europe/London. --from and --to select by the date given, both inclusive. --format csv writes RFC 4180 CSV with a header row of the twelve field titles; --format json writes the fields with snake_case keys.
                """)
        @OptionGroup var register: RegisterOptions
        @OptionGroup var bundle: BundleOptions
        @Option(help: "table (one block per authorisation), csv or json.") var format: Format = .table
        @Option(help: ArgumentHelp("Only authorisations given on or after this date.", valueName: "YYYY-MM-DD")) var from: String?
        @Option(help: ArgumentHelp("Only authorisations given on or before this date.", valueName: "YYYY-MM-DD")) var to: String?

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table, csv, json
        }

        func run() async throws {
            let fromDate = try from.map { try Self.date($0, "from") }
            let toDate = try to.map { try Self.date($0, "to") }
            // Checked before the register is opened, so a typo is named first.
            try RecordService.requireRange(from: fromDate, to: toDate)
            let services = try await bundle.servicesForReading(or: register)
            let record = try await services.records.central(from: fromDate, to: toDate)
            switch format {
            case .json:
                try Output.json(encoding: record)
            case .csv:
                Output.banner(services, toStandardError: true)
                FileHandle.standardOutput.write(Data(record.csv.utf8))
            case .table:
                Output.banner(services)
                print(Self.table(record), terminator: "")
            }
        }

        /// Parses `--from`/`--to`.
        static func date(_ text: String, _ flag: String) throws -> CivilDate {
            guard let date = CivilDate(parsingInput: text) else {
                throw RIPAError(.badInput, "--\(flag) '\(text)' is not a date: give a real day in \(EntryTime.registerYears.lowerBound)-\(EntryTime.registerYears.upperBound) as YYYY-MM-DD, e.g. 2026-04-01")
            }
            return date
        }

        /// Short labels for the terminal, in the order of the Code's twelve fields.
        static let labels = [
            "Type", "Date given", "Authorising officer", "URN", "Investigation", "Judicial approval", "Reviews",
            "Renewals", "Confidential info likely", "AO directly involved", "Cancellation", "Urgency provisions",
        ]

        /// One block per authorisation, the twelve fields numbered; lists (reviews, renewals)
        /// one item a line.
        static func table(_ record: CentralRecordReport) -> String {
            let rows = record.authorisations
            var range = ""
            switch (record.from, record.to) {
            case let (from?, to?): range = ", given \(from) to \(to)"
            case let (from?, nil): range = ", given on or after \(from)"
            case let (nil, to?): range = ", given on or before \(to)"
            case (nil, nil): break
            }
            var text = "Central record of authorisations (Code of Practice 2018 para 8.1)\(range)\n"
            text += "As at \(record.asAt) \(record.timeZone): \(rows.count) authorisation\(rows.count == 1 ? "" : "s")\n"
            let width = labels.map(\.count).max()! + 1
            for row in rows {
                text += "\n\(row.urn)\n"
                // Escaped: a name or operation with a line break in it must not forge a field.
                var values = row.fields.map { [TextField.escaped($0)] }
                if !row.reviews.isEmpty { values[6] = row.reviews.map { TextField.escaped($0.description) } }
                if !row.renewals.isEmpty { values[7] = row.renewals.map { TextField.escaped($0.text) } }
                for (index, label) in labels.enumerated() {
                    let number = String(index + 1)
                    let prefix = String(repeating: " ", count: 4 - number.count) + number + ". "
                        + (label + ":").padding(toLength: width + 1, withPad: " ", startingAt: 0)
                    let lines = values[index].flatMap { $0.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) }
                    for (n, line) in lines.enumerated() {
                        text += (n == 0 ? prefix : String(repeating: " ", count: prefix.count)) + line + "\n"
                    }
                }
            }
            return text
        }
    }

    /// `ripa record statistics`.
    struct Statistics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "statistics",
            abstract: "Counts for the annual return to the Investigatory Powers Commissioner for one calendar year.",
            discussion: """
                Applications (accepted, and refused at the serious crime threshold, SI 2010/521 art. 7A), refusals by reason (threshold, authorising officer, JP refused, JP refused and quashed), grants by type, renewals (approved by a JP or not), cancellations (and how many came only after expiry), every judicial refusal of a grant or a renewal, and authorisations that expired without a cancellation.

                Each event counts in the year it happened in Europe/London: an application when made, a decision when taken, a renewal when the authorising officer renewed (whatever the JP then decided), a cancellation when recorded, an expiry on the authorisation's last day.
                """)
        @OptionGroup var register: RegisterOptions
        @OptionGroup var bundle: BundleOptions
        @OptionGroup var output: OutputOptions
        @Option(help: ArgumentHelp("The calendar year.", valueName: "YYYY")) var year: Int

        func run() async throws {
            try RecordService.requireYear(year)
            let report = try await bundle.servicesForReading(or: register).records.statistics(year: year)
            let stats = report.statistics
            if output.json {
                try Output.json(encoding: stats)
                return
            }
            print("Statistics for \(stats.year) (\(stats.timeZone)), as at \(report.asAt)")
            let lines = stats.lines
            let width = lines.map(\.label.count).max()! + 2
            for (label, count) in lines {
                print(label.padding(toLength: width, withPad: " ", startingAt: 0) + String(count))
            }
        }
    }
}
