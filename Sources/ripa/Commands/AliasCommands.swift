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
        let register = try await register.open()
        let outcome = try await register.alias(first, second, evidence: evidence, by: try actor.unlock(register))
        if output.json {
            Output.json([
                "seq": .integer(Int64(outcome.entry.seq)), "profiles": .array(outcome.alias.profiles.map { .string($0) }),
                "group": .array(outcome.group.map { .string($0) }),
            ])
        } else {
            print("Recorded: \(outcome.alias.first) and \(outcome.alias.second) are one account (entry \(outcome.entry.seq)); counted together: \(outcome.group.joined(separator: ", "))")
        }
    }
}

struct AliasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aliases", abstract: "The profile keys recorded as one account, oldest first.")
    @OptionGroup var register: RegisterOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let aliases = try await register.open().aliases()
        if output.json {
            Output.json(.array(aliases.map { alias in
                [
                    "seq": .integer(Int64(alias.seq)), "time": .string(alias.time.description), "recorded_by": .string(alias.recordedBy),
                    "profiles": .array(alias.alias.profiles.map { .string($0) }), "evidence": .string(alias.alias.evidence),
                    "group": .array(alias.group.map { .string($0) }),
                ]
            }))
        } else if aliases.isEmpty {
            print("No aliases recorded.")
        } else {
            Output.table(["ENTRY", "TIME", "BY", "PROFILE", "SAME ACCOUNT AS", "EVIDENCE"], aliases.map { alias in
                ["\(alias.seq)", alias.time.description, alias.recordedBy, alias.alias.first, alias.alias.second, alias.alias.evidence]
            })
        }
    }
}
