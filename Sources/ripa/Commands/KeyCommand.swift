import ArgumentParser
import RIPA

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
            let services = try await register.services()
            let rotated = try await services.users.rotateRegisterKey(reason: reason, by: try await actor.unlock(services))
            print("Register key rotated. New verifier key (publish this):")
            print(rotated.verifierKey)
        }
    }
}
