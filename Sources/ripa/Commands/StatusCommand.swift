import ArgumentParser
import Foundation
import Ledger
import RIPA

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The state of one case or of all, now or at any moment, computed from the log.",
        discussion: "States: applied, refused, granted-awaiting-approval, active, expired, cancelled. --at TIME shows the state as it was then, from the events recorded by then.")
    @OptionGroup var register: RegisterOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The URN (omit for every case).") var urn: String?
    @Option(help: ArgumentHelp("The moment (default: now).", valueName: "TIME")) var at: String?

    func run() async throws {
        let time = try at.map { try instant($0, "at") }
        let services = try await register.servicesForReading()
        guard let urn else {
            let list = try await services.casework.statuses(at: time)
            Output.banner(services, toStandardError: output.json)
            if output.json {
                try Output.json(encoding: list.cases)
            } else if list.cases.isEmpty {
                print("No cases at \(list.at).")
            } else {
                let zone = try Self.zone(list.timeZone)
                Output.table(["URN", "STATE", "EXPIRES", "OPERATION"], list.cases.map {
                    [$0.urn, $0.state.rawValue, $0.expiresAt.map { Self.local($0, zone) } ?? "-", $0.operation]
                })
            }
            return
        }
        let status = try await services.casework.status(of: urn, at: time)
        if output.json {
            try Output.json(encoding: status)
            return
        }
        let zone = try Self.zone(status.timeZone)
        Output.banner(services)
        print(Self.describe(status.authorisation, at: status.at, zone: zone))
        print("Views under this authorisation: \(status.views.count)")
        for view in status.views {
            print(TextField.escaped("  \(Self.local(view.time, zone))  \(view.viewer)  \(view.profile)  case \(view.caseRef)"))
        }
    }

    /// The pack's time zone, by the identifier a service's result names.
    static func zone(_ identifier: String) throws -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else {
            throw RIPAError(.policy, "the pack's time zone '\(identifier)' is not one this system knows")
        }
        return zone
    }

    static func local(_ time: EntryTime, _ zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss zzz"
        return formatter.string(from: time.date)
    }

    static func describe(_ a: Authorisation, at time: EntryTime, zone: TimeZone) -> String {
        var lines: [String] = []
        // Free text keeps its newlines; anything else a user typed is printed escaped, so it
        // cannot start a line that looks like the register's own.
        let freeText: Set<String> = ["Reasons:", "Findings:", "Changes:", "Value so far:", "Reason:", "Value obtained:"]
        func line(_ label: String, _ value: String) {
            lines.append(label.padding(toLength: 22, withPad: " ", startingAt: 0) + TextField.escaped(value, keepingNewlines: freeText.contains(label)))
        }
        line("URN:", a.urn)
        line("State:", "\(a.state(at: time).rawValue) at \(local(time, zone))")
        line("Type:", a.type.title)
        line("Operation:", a.application.operation)
        line("Purpose:", a.application.purpose)
        line("Applicant:", "\(a.applicant), applied \(local(a.appliedAt, zone))")
        line("Team:", a.application.team.joined(separator: ", "))
        for subject in a.application.subjects {
            line("Subject:", subject.name + (subject.onlineIdentities.isEmpty ? "" : " — " + subject.onlineIdentities.map(\.profile).joined(separator: ", ")))
        }
        // The application's offences: the threshold has no findings for a type it does not bind (CHIS).
        line("Offences:", a.application.offences.map { id in
            a.threshold.findings.first { $0.offenceID == id }.map { "\(id) (\($0.maximum.description))" } ?? id
        }.joined(separator: ", "))
        line("Confidential likely:", a.application.confidentialInformationLikely ? "yes" : "no")
        if let decision = a.decision, decision.at <= time {
            line(decision.granted ? "Granted:" : "Refused:", "\(local(decision.at, zone)) by \(decision.officer.name), \(decision.officer.rank)")
            line("Reasons:", decision.reasons)
        }
        for period in a.periods where period.grantedAt <= time {
            if period.renewal { line("Renewed:", "\(local(period.grantedAt, zone)) by \(period.officer.name), \(period.officer.rank)") }
            if let judicial = period.judicial, judicial.recordedAt <= time {
                line("JP decision:", "\(judicial.decision.rawValue) by \(judicial.magistrate), \(judicial.court), \(local(judicial.decidedAt, zone))")
                if let first = period.firstDay, let last = period.lastDay {
                    line("Period:", "\(first) to the end of \(last)")
                }
            } else {
                line("JP decision:", "awaited (not in effect until approved, RIPA s.32A)")
            }
        }
        for review in a.reviews where review.at <= time {
            line("Review:", "\(local(review.at, zone)) by \(review.officer.name): \(review.stillNecessary ? "still necessary" : "no longer necessary"); next \(review.nextReview)")
        }
        if let next = a.nextReview, a.state(at: time) == .active { line("Next review:", next.description) }
        if let end = a.expiresAt(at: time) { line("Expires:", local(end, zone)) }
        if let cancellation = a.cancellation, cancellation.at <= time {
            line("Cancelled:", "\(local(cancellation.at, zone)) by \(cancellation.officer.name); ceased \(local(cancellation.ceasedAt, zone))\(cancellation.afterExpiry ? " (after expiry)" : "")")
            line("Reason:", cancellation.reason)
            line("Value obtained:", cancellation.valueObtained)
        }
        return lines.joined(separator: "\n")
    }
}

struct DueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "Reviews due or overdue, authorisations expiring soon, and ones that expired without a cancellation.")
    @OptionGroup var register: RegisterOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("The moment (default: now).", valueName: "TIME")) var at: String?
    @Option(help: "Flag expiries and reviews within this many days.") var within = 14

    func run() async throws {
        let time = try at.map { try instant($0, "at") }
        let services = try await register.servicesForReading()
        let items = try await services.casework.due(at: time, within: within).items
        Output.banner(services, toStandardError: output.json)
        if output.json {
            try Output.json(encoding: items)
        } else if items.isEmpty {
            print("Nothing due.")
        } else {
            Output.table(["URN", "WHAT", "DATE", "DETAIL"], items.map { [$0.urn, $0.kind.rawValue, $0.date.description, $0.message] })
        }
    }
}
