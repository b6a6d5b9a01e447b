import ArgumentParser
import Foundation
import Ledger
import RIPA

struct AliasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias",
        abstract: "Record that two profile addresses are one account (monitoring officer).",
        discussion: """
            Some accounts have two identifiers the register cannot match from the addresses
            alone: an X handle and its numeric id, a YouTube @handle and its channel id, a
            Bluesky handle and its DID. From this entry on the gate counts looks at either as
            looks at one profile, and an authorisation naming either covers both. Because that
            widens what an authorisation covers, only a monitoring officer records it, with the
            evidence that the two are one account. Aliases are transitive.

            Exit status: 0 recorded, 1 error (nothing recorded).
            """)
    @OptionGroup var register: RegisterOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The address of the profile under one identifier.", valueName: "ADDRESS-A")) var first: String
    @Argument(help: ArgumentHelp("The address of the same account under the other.", valueName: "ADDRESS-B")) var second: String
    @Option(help: ArgumentHelp("Why they are one account (what shows both identifiers).", valueName: "TEXT")) var evidence: String

    func run() async throws {
        let services = try await register.services()
        let alias = try await services.gate.alias(first, second, evidence: evidence, by: try actor.unlock(services))
        if output.json {
            try Output.json(encoding: alias)
        } else {
            print("Recorded: \(alias.first) and \(alias.second) are one account (entry \(alias.seq)); counted together: \(alias.group.joined(separator: ", "))")
        }
    }
}

struct AliasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aliases", abstract: "The profile keys recorded as one account, oldest first.")
    @OptionGroup var register: RegisterOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let aliases = try await register.services().gate.aliases()
        if output.json {
            try Output.json(encoding: aliases)
        } else if aliases.isEmpty {
            print("No aliases recorded.")
        } else {
            Output.table(["ENTRY", "TIME", "BY", "PROFILE", "SAME ACCOUNT AS", "EVIDENCE"], aliases.map { alias in
                ["\(alias.seq)", alias.time.description, alias.recordedBy, alias.first, alias.second, alias.evidence]
            })
        }
    }
}
