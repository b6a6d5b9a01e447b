import Ledger
import ArgumentParser
import RIPA
import RegisterStorage

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Manage the register key.", subcommands: [Rotate.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the register key (register.key-rotated, signed by the old key).",
            discussion: "The rotation's checkpoint carries both keys' signatures; later checkpoints only the new key's. Publish the new verifier key this prints.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: "Why (scheduled rotation, suspected compromise, ...).") var reason: String

        func run() async throws {
            let register = try await register.open()
            let key = try await register.rotateKey(reason: reason, by: try actor.unlock(register))
            print("Register key rotated. New verifier key (publish this):")
            print(key.description)
        }
    }
}
