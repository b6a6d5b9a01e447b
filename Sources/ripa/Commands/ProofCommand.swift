import ArgumentParser
import Ledger
import RIPA
import RegisterStorage

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
            let json: JSONValue = try await register.openForReading().store.read { reader in
                let size = try self.size ?? reader.size()
                let proof = try reader.inclusionProof(index: index, size: size)
                let leafHash = try reader.nodeHash(NodeID(level: 0, index: index))
                return [
                    "index": .integer(Int64(index)), "size": .integer(Int64(size)),
                    "leaf_hash": .string(leafHash.base64), "root": .string(try reader.root(size: size).base64),
                    "proof": .array(proof.path.map { .string($0.base64) }),
                ]
            }
            Output.json(json)
        }
    }

    struct Consistency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove the tree of OLD entries is a prefix of the tree of NEW: {old, new, old_root, new_root, proof}.")
        @OptionGroup var register: RegisterOptions
        @Option(help: "The older tree size.") var old: UInt64
        @Option(help: "The newer tree size (default: the whole register).") var new: UInt64?

        func run() async throws {
            let json: JSONValue = try await register.openForReading().store.read { reader in
                let new = try self.new ?? reader.size()
                let proof = try reader.consistencyProof(oldSize: old, newSize: new)
                return [
                    "old": .integer(Int64(old)), "new": .integer(Int64(new)),
                    "old_root": .string(try reader.root(size: old).base64), "new_root": .string(try reader.root(size: new).base64),
                    "proof": .array(proof.path.map { .string($0.base64) }),
                ]
            }
            Output.json(json)
        }
    }
}
