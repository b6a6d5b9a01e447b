import ArgumentParser
import Foundation
import Ledger
import RIPA
import RegisterStorage

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
        let register = try await register.open()
        let viewer = try await actor.unlock(register)
        let outcome = try await register.view(address: url, caseRef: caseRef, purpose: purpose, urn: authorisation, by: viewer)
        let decision = outcome.decision
        // The gate's refusal is data (reason and values, as `view.refused` records it); the
        // CLI adds its hint: the flag or command to use next.
        let refusal = decision.refusal.flatMap { ErrorReport($0) }
        if output.json {
            let basis: JSONValue = decision.basis.map { .string($0.rawValue) } ?? .null
            let urn: JSONValue = authorisation.map { .string($0) } ?? .null
            let reason: JSONValue = refusal.map { .string($0.line) } ?? .null
            let refused: JSONValue = try refusal.map { try JSONValue(encoding: $0) } ?? .null
            Output.json([
                "allowed": .bool(decision.allowed), "profile": .string(outcome.profile), "seq": .integer(Int64(outcome.entry.seq)),
                "basis": basis, "urn": urn, "reason": reason, "refusal": refused,
            ])
        } else if decision.allowed {
            let basis = decision.basis == .initialExamination ? "initial examination (no authorisation needed for a first look)" : "under \(authorisation!)"
            print("Allowed: \(outcome.profile), \(basis); recorded at entry \(outcome.entry.seq)")
        } else {
            print("Refused: \(outcome.profile); recorded at entry \(outcome.entry.seq)")
        }
        if !decision.allowed {
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
        let register = try await register.openForReading()
        var key: String?
        if let profile { key = try await register.profileKey(address: profile) }
        // A profile's looks are its account's: the keys recorded as one account with it too.
        let (profileKey, caseRef, authorisation) = (key, caseRef, authorisation)
        let views = try await register.store.read { reader in
            guard let profileKey else { return try reader.views(profileKey: nil, caseRef: caseRef, urn: authorisation) }
            return try reader.aliasGroup(profileKey: profileKey)
                .flatMap { try reader.views(profileKey: $0, caseRef: caseRef, urn: authorisation) }
                .sorted { $0.seq < $1.seq }
        }
        if output.json {
            Output.json(.array(views.map(Self.json)))
        } else if views.isEmpty {
            print("No views recorded\(key.map { " of \($0)" } ?? "").")
        } else {
            Output.table(["ENTRY", "TIME", "VIEWER", "PROFILE", "CASE", "OUTCOME"], views.map { view in
                ["\(view.seq)", view.time.description, view.viewer, view.profileKey, view.caseRef, view.urn.map { "\(view.outcome.rawValue) (\($0))" } ?? view.outcome.rawValue]
            })
        }
    }

    static func json(_ view: ViewRecord) -> JSONValue {
        [
            "seq": .integer(Int64(view.seq)), "time": .string(view.time.description), "viewer": .string(view.viewer),
            "profile": .string(view.profileKey), "case_ref": .string(view.caseRef), "urn": view.urn.map { .string($0) } ?? .null,
            "outcome": .string(view.outcome.rawValue),
        ]
    }
}
