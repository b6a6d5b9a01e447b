import ArgumentParser
import Foundation
import RIPA

struct ProofCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof",
        abstract: "Print RFC 6962 inclusion and consistency proofs as JSON (hashes in base64); write proof files.",
        subcommands: [Inclusion.self, Consistency.self, EntryProof.self])

    /// `ripa proof entry N --out FILE`: a C2SP tlog-proof file a court or an inspector checks
    /// offline with `ripa verify-proof` (or any tlog-proof tool).
    struct EntryProof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "entry",
            abstract: "Write a c2sp.org/tlog-proof@v1 file: entry INDEX's inclusion proof in the newest checkpoint that includes it and meets the witness quorum, with its cosignatures.",
            discussion: "Check it offline: `ripa verify-proof FILE --key VKEY --policy POLICY --entry ENTRY`, where ENTRY is the entry's line of `ripa log --from INDEX`.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The entry's index.") var index: UInt64
        @Option(help: ArgumentHelp("Where to write the proof (refused if it exists).", valueName: "FILE")) var out: String

        func run() async throws {
            let proof = try await register.servicesForReading().witnesses.proofFile(index: index)
            let fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw RIPAError(.badInput, "cannot create \(out): \(String(cString: strerror(errno)))") }
            let bytes = Array(proof.text.utf8)
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard written == bytes.count else { unlink(out); throw RIPAError(.badInput, "cannot write \(out)") }
            if output.json { try Output.json(proof); return }
            print("Wrote \(out): entry \(index) in the checkpoint of size \(proof.size)\(proof.cosigners.isEmpty ? "" : ", cosigned by " + proof.cosigners.joined(separator: ", "))")
            if let warning = proof.warning { Output.warning(warning) }
        }
    }

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
