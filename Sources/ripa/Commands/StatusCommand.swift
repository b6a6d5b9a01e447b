import ArgumentParser
import Foundation
import Ledger
import RIPA
import RegisterStorage

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
        let register = try await register.openForReading()
        let time = try at.map { try instant($0, "at") } ?? register.clock()
        let zone = try await register.policyInForce().policy.rules.zone
        guard let urn else {
            let cases = try await register.authorisations().filter { $0.appliedAt <= time }
            Output.banner(register, toStandardError: output.json)
            if output.json {
                Output.json(.array(cases.map { ["urn": .string($0.urn), "state": .string($0.state(at: time).rawValue), "operation": .string($0.application.operation)] }))
            } else if cases.isEmpty {
                print("No cases at \(time).")
            } else {
                Output.table(["URN", "STATE", "EXPIRES", "OPERATION"], cases.map {
                    [$0.urn, $0.state(at: time).rawValue, $0.expiresAt(at: time).map { Self.local($0, zone) } ?? "-", $0.application.operation]
                })
            }
            return
        }
        let authorisation = try await register.authorisation(urn)
        guard authorisation.appliedAt <= time else {
            throw RIPAError(.badInput, "\(urn) did not exist at \(time); it was applied for at \(authorisation.appliedAt)")
        }
        let views = try await register.store.read { try $0.views(urn: urn) }.filter { $0.time <= time && $0.outcome == .authorised }
        if output.json {
            var json = try JSONValue(encoding: authorisation).objectValue ?? [:]
            json["state"] = .string(authorisation.state(at: time).rawValue)
            json["at"] = .string(time.description)
            json["views"] = .array(views.map(ViewsCommand.json))
            if register.isTestRegister { json["test_register"] = true }
            Output.json(.object(json))
            return
        }
        Output.banner(register)
        print(Self.describe(authorisation, at: time, zone: zone))
        print("Views under this authorisation: \(views.count)")
        for view in views {
            print(TextField.escaped("  \(Self.local(view.time, zone))  \(view.viewer)  \(view.profileKey)  case \(view.caseRef)"))
        }
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
        guard within >= 0 else { throw RIPAError(.badInput, "--within \(within): give a number of days, 0 or more") }
        try InputLimits.require(within, in: InputLimits.dueWithinDays, "--within", unit: "days")
        let register = try await register.openForReading()
        let time = try at.map { try instant($0, "at") } ?? register.clock()
        let rules = try await register.policyInForce().policy.rules
        let items = await DueList.items(try register.authorisations(), at: time, within: within, timeZone: rules.zone)
        Output.banner(register, toStandardError: output.json)
        if output.json {
            Output.json(.array(items.map { ["urn": .string($0.urn), "kind": .string($0.kind.rawValue), "date": .string($0.date.description), "message": .string($0.message)] }))
        } else if items.isEmpty {
            print("Nothing due.")
        } else {
            Output.table(["URN", "WHAT", "DATE", "DETAIL"], items.map { [$0.urn, $0.kind.rawValue, $0.date.description, $0.message] })
        }
    }
}
