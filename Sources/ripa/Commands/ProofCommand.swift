import ArgumentParser
import RIPA

struct ProofCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof",
        abstract: "Print RFC 6962 inclusion and consistency proofs as JSON (hashes in base64).",
        subcommands: [Inclusion.self, Consistency.self])

    struct Inclusion: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove entry INDEX is in the tree of SIZE entries: {index, size, leaf_hash, root, proof}.")
        @OptionGroup var register: RegisterOptions
        @Option(help: "The entry's index.") var index: UInt64
        @Option(help: "The tree size (default: the whole register).") var size: UInt64?

        func run() async throws {
            try Output.json(try await register.servicesForReading().verification.inclusionProof(index: index, size: size))
        }
    }

    struct Consistency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove the tree of OLD entries is a prefix of the tree of NEW: {old, new, old_root, new_root, proof}.")
        @OptionGroup var register: RegisterOptions
        @Option(help: "The older tree size.") var old: UInt64
        @Option(help: "The newer tree size (default: the whole register).") var new: UInt64?

        func run() async throws {
            try Output.json(try await register.servicesForReading().verification.consistencyProof(old: old, new: new))
        }
    }
}
