import ArgumentParser
import Foundation
import Ledger
import RIPA

struct ViewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Pass a look at a social-media profile through the gate, and record it.",
        discussion: """
            The first look at a profile is an initial examination and needs no authorisation. A
            repeat look, by anyone in the authority, is directed surveillance: it is refused
            unless you cite (--authorisation URN) an authorisation that is granted, JP-approved,
            not expired, not cancelled, names the profile among its subjects' online identities,
            and names you on its team (Code of Practice 2018 paras 3.10-3.17). Every allowed
            look counts, under an authorisation or not. Any spelling of the same account counts
            as the same profile, and so do archived, cached, translated and redirected copies of
            it and identifiers recorded as one account (`ripa alias`); third-party mirrors are
            refused. Every decision, allowed or refused, is a signed entry.

            Exit status: 0 allowed, 2 refused, 1 error (nothing recorded).
            """)
    @OptionGroup var register: RegisterOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The profile's address (or the address of a post that shows its account).") var url: String
    @Option(name: .customLong("case"), help: "The case reference.") var caseRef: String
    @Option(help: "Why you are looking.") var purpose: String
    @Option(help: ArgumentHelp("The authorisation you rely on.", valueName: "URN")) var authorisation: String?

    func run() async throws {
        let services = try await register.services()
        let look = try await services.gate.look(
            at: url, caseRef: caseRef, purpose: purpose, authorisation: authorisation, by: try actor.unlock(services))
        // The gate's refusal is data (reason and values, as `view.refused` records it); the
        // CLI adds its hint: the flag or command to use next.
        let refusal = look.refusal.flatMap { ErrorReport($0) }
        if output.json {
            var json = try JSONValue(encoding: look).objectValue ?? [:]
            json["reason"] = refusal.map { .string($0.line) } ?? .null
            json["refusal"] = try refusal.map { try JSONValue(encoding: $0) } ?? .null
            Output.json(.object(json))
        } else if look.allowed {
            let basis = look.basis == .initialExamination ? "initial examination (no authorisation needed for a first look)" : "under \(look.urn ?? "")"
            print("Allowed: \(look.profile), \(basis); recorded at entry \(look.seq)")
        } else {
            print("Refused: \(look.profile); recorded at entry \(look.seq)")
        }
        if !look.allowed {
            Output.error("view refused: \(TextField.escaped(refusal?.line ?? ""))")
            throw ExitCode(2)
        }
    }
}

struct ViewsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "views", abstract: "The history of looks at profiles, allowed and refused.")
    @OptionGroup var register: RegisterOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("Only this profile (any spelling of its address, and keys recorded as the same account).", valueName: "URL")) var profile: String?
    @Option(name: .customLong("case"), help: ArgumentHelp("Only this case reference.", valueName: "REF")) var caseRef: String?
    @Option(help: ArgumentHelp("Only looks citing this authorisation (allowed or refused).", valueName: "URN")) var authorisation: String?

    func run() async throws {
        let services = try await register.servicesForReading()
        let history = try await services.gate.looks(profile: profile, caseRef: caseRef, authorisation: authorisation)
        let views = history.looks
        if output.json {
            try Output.json(encoding: views)
        } else if views.isEmpty {
            print("No views recorded\(history.profile.map { " of \($0)" } ?? "").")
        } else {
            Output.table(["ENTRY", "TIME", "VIEWER", "PROFILE", "CASE", "OUTCOME"], views.map { view in
                ["\(view.seq)", view.time.description, view.viewer, view.profile, view.caseRef, view.urn.map { "\(view.outcome.rawValue) (\($0))" } ?? view.outcome.rawValue]
            })
        }
    }
}
