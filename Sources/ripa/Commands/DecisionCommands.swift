import ArgumentParser
import Foundation
import Ledger
import RIPA

/// Parses a `YYYY-MM-DD` option.
func civilDate(_ text: String, _ flag: String) throws -> CivilDate {
    guard let date = CivilDate(parsingInput: text) else {
        throw RIPAError(.badInput, "--\(flag) '\(text)' is not a date: give a real day in \(EntryTime.registerYears.lowerBound)-\(EntryTime.registerYears.upperBound) as YYYY-MM-DD")
    }
    return date
}

/// Parses a time option (`2026-11-21T10:15:00Z`, with an offset, or with milliseconds).
func instant(_ text: String, _ flag: String) throws -> EntryTime {
    guard let time = parseTime(text) else {
        throw RIPAError(.badInput, "--\(flag) '\(text)' is not a time: give a real day, hours 00-23, minutes and seconds 00-59 and a year \(EntryTime.registerYears.lowerBound)-\(EntryTime.registerYears.upperBound), e.g. 2026-11-21T10:15:00Z or 2026-11-21T10:15:00+00:00")
    }
    return time
}

struct GrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Grant an application (monitoring officer). It takes effect only when a JP approves it (RIPA s.32A).",
        discussion: "Refused if you applied or are on the team (RIPA.md §3), and, where confidential information is likely, unless you are the head of paid service.")
    @OptionGroup var register: RegisterOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The URN.") var urn: String
    @Option(help: "Your written reasons: why the surveillance is necessary and proportionate.") var reasons: String
    @Option(help: "Days between reviews (default: the pack's; shorter only where the pack allows, never longer).") var reviewInterval: Int?
    @Option(help: ArgumentHelp("First review date, within the interval (default: today + the interval).", valueName: "YYYY-MM-DD")) var firstReview: String?
    @Flag(help: "You are otherwise directly involved in the investigation (central record field 10).") var directlyInvolved = false

    func run() async throws {
        let first = try firstReview.map { try civilDate($0, "first-review") }
        let services = try await register.services()
        let granted = try await services.casework.grant(
            urn: urn, reasons: reasons, reviewInterval: reviewInterval, firstReview: first, directlyInvolved: directlyInvolved,
            by: try actor.unlock(services))
        print("Granted \(urn) (entry \(granted.seq)); first review \(granted.firstReview). It is not in effect until a JP approves it: `ripa judicial \(urn) --decision approved …`.")
    }
}

struct RefuseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "refuse", abstract: "Refuse an application (monitoring officer).")
    @OptionGroup var register: RegisterOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The URN.") var urn: String
    @Option(help: "Why.") var reasons: String

    func run() async throws {
        let services = try await register.services()
        let refused = try await services.casework.refuse(urn: urn, reasons: reasons, by: try actor.unlock(services))
        print("Refused \(urn) (entry \(refused.seq))")
    }
}

struct JudicialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judicial",
        abstract: "Record a justice of the peace's decision on a grant or renewal (RIPA s.32A).",
        discussion: """
            An approval starts the period: directed surveillance runs to the end of the day before the corresponding date three months on (s.43(3)), Europe/London; a renewal runs on from the end of the old period.
            Only the applicant, a member of the case's team or a monitoring officer may record it (RIPA.md §3); the central record names who did. --order FILE keeps the JP's order (Code of Practice 8.2): its SHA-256 goes in the entry, the document into the register's document store (at most 20 MB); `ripa document show HASH --out FILE` gets it back.
            """)
    @OptionGroup var register: RegisterOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The URN.") var urn: String
    @Option(help: "approved, refused or quashed.") var decision: String
    @Option(help: "The court.") var court: String
    @Option(help: "The magistrate.") var magistrate: String
    @Option(help: ArgumentHelp("When the JP decided (e.g. 2026-11-21T10:15:00Z): not after now, not before the grant or renewal.", valueName: "TIME")) var at: String
    @Option(help: ArgumentHelp("The JP's order (a scan or PDF), kept in the register by its SHA-256.", valueName: "FILE")) var order: String?

    func run() async throws {
        guard let outcome = JudicialOutcome(rawValue: decision) else {
            throw RIPAError(.badInput, "--decision must be approved, refused or quashed")
        }
        let decidedAt = try instant(at, "at")
        let document = try order.map { path -> [UInt8] in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let maximum = CaseworkService.maximumOrderBytes
            if let size = (attributes?[.size] as? NSNumber)?.intValue, size > maximum {
                throw RIPAError(.badInput, "--order \(path) is \(size) bytes; the register keeps documents of at most \(maximum / 1024 / 1024) MB")
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw RIPAError(.badInput, "cannot read --order \(path)")
            }
            return [UInt8](data)
        }
        let services = try await register.services()
        let recorded = try await services.casework.recordJudicial(
            urn: urn, decision: outcome, court: court, magistrate: magistrate, decidedAt: decidedAt, order: document,
            by: try actor.unlock(services))
        if let hash = recorded.order, let bytes = recorded.orderBytes { print("Kept the JP's order: sha256 \(hash) (\(bytes) bytes)") }
        if let period = recorded.period, let first = period.firstDay, let last = period.lastDay, let end = period.expiresAt {
            print("Recorded JP approval of \(urn) (entry \(recorded.seq)): in effect from \(first) to the end of \(last) (\(end))")
        } else {
            print("Recorded JP decision '\(outcome.rawValue)' on \(urn) (entry \(recorded.seq))")
        }
    }
}

struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "review", abstract: "Review a live authorisation (monitoring officer).")
    @OptionGroup var register: RegisterOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The URN.") var urn: String
    @Option(help: "What the surveillance has obtained so far.") var findings: String
    @Flag(inversion: .prefixedNo, help: "Whether it remains necessary and proportionate.") var stillNecessary = true
    @Option(help: ArgumentHelp("Next review date, within the interval (default: today + the interval).", valueName: "YYYY-MM-DD")) var nextReview: String?

    func run() async throws {
        let next = try nextReview.map { try civilDate($0, "next-review") }
        let services = try await register.services()
        let reviewed = try await services.casework.review(
            urn: urn, findings: findings, stillNecessary: stillNecessary, nextReview: next, by: try actor.unlock(services))
        print("Reviewed \(urn) (entry \(reviewed.seq)); next review \(reviewed.nextReview)\(stillNecessary ? "" : ". No longer necessary: cancel it now with `ripa cancel \(urn)` (RIPA s.45)")")
    }
}

struct RenewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Renew a live authorisation before it expires (monitoring officer); a JP must approve the renewal.",
        discussion: "A CHIS renewal needs a review since the grant or the last renewal (RIPA s.43(6A)).")
    @OptionGroup var register: RegisterOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The URN.") var urn: String
    @Option(help: "What has changed since the grant or last renewal.") var changes: String
    @Option(help: "The value of the surveillance so far.") var valueSoFar: String
    @Option(help: "Your reasons for renewing.") var reasons: String

    func run() async throws {
        let services = try await register.services()
        let renewed = try await services.casework.renew(
            urn: urn, changes: changes, valueSoFar: valueSoFar, reasons: reasons, by: try actor.unlock(services))
        print("Renewed \(urn) (entry \(renewed.seq)); the renewal takes effect when a JP approves it: `ripa judicial \(urn) --decision approved …`.")
    }
}

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel an authorisation as soon as it is no longer necessary (RIPA s.45).")
    @OptionGroup var register: RegisterOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The URN.") var urn: String
    @Option(help: "Why it is no longer necessary.") var reason: String
    @Option(help: "What the surveillance obtained.") var valueObtained: String
    @Option(help: ArgumentHelp("When the instruction to cease was given (default: now): not after now, not before the grant.", valueName: "TIME")) var ceasedAt: String?

    func run() async throws {
        let ceased = try ceasedAt.map { try instant($0, "ceased-at") }
        let services = try await register.services()
        let cancelled = try await services.casework.cancel(
            urn: urn, reason: reason, valueObtained: valueObtained, ceasedAt: ceased, by: try actor.unlock(services))
        print("Cancelled \(urn) (entry \(cancelled.seq))")
    }
}
