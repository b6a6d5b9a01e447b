import ArgumentParser
import Ledger
import RIPA

struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "What is past its retention, legal holds, and destruction of personal data with two administrators (docs/retention.md).",
        subcommands: [Due.self, List.self, Hold.self, Release.self, Apply.self, Approve.self])

    struct Due: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every case past its retention at the register's time whose personal data is not yet destroyed, with its rule, the day it became due and any legal hold.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let services = try await register.servicesForReading()
            let report = try await services.retention.due()
            Output.banner(services, toStandardError: output.json)
            if output.json { return try Output.json(report) }
            if report.cases.isEmpty {
                print("Nothing is past its retention.")
            } else {
                Output.table(["CASE", "RULE", "FROM", "DUE ON", "HELD"], report.cases.map { item in
                    [item.caseName, item.rule.rawValue, item.from.description, item.dueOn.description,
                     item.holds.isEmpty ? "no" : "yes: " + item.holds.map { "entry \($0.seq) (\($0.reason))" }.joined(separator: "; ")]
                })
            }
            for request in report.openRequests {
                print("Request at entry \(request.seq) by \(request.requestedBy) awaits a second administrator: \(request.cases.map(\.caseName).joined(separator: ", "))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Where every case's retention stands: not begun, running, due, held or destroyed.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let services = try await register.servicesForReading()
            let list = try await services.retention.list()
            Output.banner(services, toStandardError: output.json)
            if output.json { return try Output.json(list) }
            Output.table(["CASE", "STATE", "RULE", "DUE ON", "DETAIL"], list.cases.map { item in
                let detail: String
                if let destroyed = item.destroyed {
                    detail = "personal data destroyed on \(destroyed.on) under \(destroyed.rule.rawValue) (entry \(destroyed.seq))"
                } else if !item.holds.isEmpty {
                    detail = "held: " + item.holds.map { "entry \($0.seq) (\($0.reason))" }.joined(separator: "; ")
                } else {
                    detail = ""
                }
                return [item.caseName, item.state.rawValue, item.rule?.rawValue ?? "-", item.dueOn?.description ?? "-", detail]
            })
        }
    }

    struct Hold: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Place a legal hold on a case (retention.hold-placed): it is not destroyed while the hold stands.",
            discussion: "CASE is a URN, case:<ref> for looks made without an authorisation, or tags:<year>. An administrator or a monitoring officer. The reason is kept in the clear: cite the complaint or claim by its reference, not by a person's name.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The case.") var caseName: String
        @Option(help: "Why: e.g. a complaint to the Investigatory Powers Tribunal, its reference.") var reason: String

        func run() async throws {
            let services = try await register.services()
            let hold = try await services.retention.hold(caseName, reason: reason, by: try await actor.unlock(services))
            if output.json { return try Output.json(hold) }
            print("Legal hold on \(hold.caseName) at entry \(hold.seq)")
        }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Release a legal hold (retention.hold-released); the case's retention runs again.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The case.") var caseName: String
        @Option(help: "The hold's entry, if the case has more than one.") var hold: UInt64?
        @Option(help: "Why: the complaint decided, the proceedings ended.") var reason: String

        func run() async throws {
            let services = try await register.services()
            let released = try await services.retention.release(caseName, hold: hold, reason: reason, by: try await actor.unlock(services))
            if output.json { return try Output.json(released) }
            print("Released the hold of entry \(released.hold.seq) on \(released.hold.caseName) at entry \(released.seq)"
                + (released.stillHeld.isEmpty ? "" : "; still held by entries \(released.stillHeld.map(String.init).joined(separator: ", "))"))
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask for the personal data of every case due and not held to be destroyed (retention.destruction-requested).",
            discussion: "Nothing is destroyed until a second administrator runs `ripa retention approve --request SEQ`.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let services = try await register.services()
            let requested = try await services.retention.request(by: try await actor.unlock(services))
            if output.json { return try Output.json(requested) }
            print("Destruction requested at entry \(requested.request.seq) for \(requested.request.cases.count) case(s): \(requested.request.cases.map(\.caseName).joined(separator: ", "))")
            for held in requested.heldBack { print("Held back (legal hold): \(held.caseName)") }
            print("Another administrator approves it with: ripa retention approve --request \(requested.request.seq) --as USER")
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a destruction request as a second administrator: destroys the cases' data keys and records personal-data.destroyed.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The request's entry.") var request: UInt64

        func run() async throws {
            let services = try await register.services()
            let approved = try await services.retention.approve(request: request, by: try await actor.unlock(services))
            if output.json { return try Output.json(approved) }
            print("Personal data destroyed at entry \(approved.seq) (request \(approved.request) by \(approved.requestedBy), approved by \(approved.approvedBy)): \(approved.cases.map { "\($0.caseName) under \($0.rule.rawValue)" }.joined(separator: ", "))")
        }
    }
}
