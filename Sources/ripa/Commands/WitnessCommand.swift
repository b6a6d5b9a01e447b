import ArgumentParser
import Foundation
import Ledger
import RIPA
import RegisterServer
import Witness

/// `ripa witness`: run a C2SP tlog-witness for someone else's register, or have this register's
/// checkpoints cosigned by its witnesses (docs/witnesses.md).
struct WitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract: "Witness cosigning: run a witness, adopt the register's witness policy, sync checkpoints to the witnesses.",
        subcommands: [Init.self, Serve.self, Policy.self, Show.self, Sync.self])

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a witness key (PRIVATE+KEY+… file, mode 0600) and print its cosignature key for the register's policy.")
        @Option(help: ArgumentHelp("Where to write the key; never overwritten.", valueName: "FILE")) var key: String
        @Option(help: ArgumentHelp("The witness's name, a schema-less URL (e.g. witness.ipco.example.org/ripa).", valueName: "NAME")) var name: String

        func run() async throws {
            let signer = try WitnessKeyFile.create(path: key, name: name)
            print("Witness key written to \(key) (keep it secret, mode 0600).")
            print("Cosignature key (give it to the register's administrators for their witness policy):")
            print(CosignatureVerifierKey(signer: signer).description)
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a C2SP tlog-witness: POST /add-checkpoint cosigns a log's checkpoint if it extends the last one cosigned.",
            discussion: """
                --config lists the logs witnessed, one `log <verifier key>` line each (the key `ripa info`
                prints for the register). --state is this witness's own SQLite file: for each log, the
                last checkpoint it cosigned; it is created if missing. Two witness processes may share one
                state file: the check of the old size and the save of the new one are one transaction.
                Put TLS in front (a reverse proxy) when the witness is reached over a network.
                """)
        @Option(help: ArgumentHelp("The witness key file (`ripa witness init`).", valueName: "FILE")) var key: String
        @Option(help: ArgumentHelp("The logs witnessed: `log <verifier key>` lines.", valueName: "FILE")) var config: String
        @Option(help: ArgumentHelp("The witness's state file (SQLite; created if missing).", valueName: "FILE")) var state: String
        @Option(help: ArgumentHelp("The address and port to listen on.", valueName: "HOST:PORT")) var listen = "127.0.0.1:8090"

        func validate() throws { _ = try ServeCommand.hostAndPort(listen) }

        func run() async throws {
            let (host, port) = try ServeCommand.hostAndPort(listen)
            let witness = Witness(key: try WitnessKeyFile.load(path: key), config: try WitnessConfig.load(path: config), state: try WitnessStateStore(path: state))
            Output.error("witness \(witness.verifierKey) for \(witness.config.keys.keys.sorted().joined(separator: ", ")) on http://\(listen)")
            try await serveWitness(witness, host: host, port: port)
        }
    }

    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "policy",
            abstract: "Adopt a witness policy (C2SP tlog-policy: log, witness, group and quorum lines) as a witness.policy-adopted entry.",
            discussion: "The policy must list this register's verifier key (`log <key>`) and give each witness its URL (`witness <name> <vkey> <url>`). An administrator signs it; later checkpoints need its quorum, and `ripa verify` reports any short of it.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var output: OutputOptions
        @Option(help: ArgumentHelp("The policy file.", valueName: "FILE")) var file: String

        func run() async throws {
            let text = try InputFile.text(file, limit: WitnessPolicyAdoption.maximumBytes, what: "witness policy file")
            let services = try await register.services()
            let adopted = try await services.witnesses.adopt(text: text, by: try await actor.unlock(services))
            if output.json { try Output.json(adopted); return }
            print("Adopted the witness policy at entry \(adopted.seq): witnesses \(adopted.witnesses.joined(separator: ", ")); quorum \(adopted.quorum)")
            print("sha256 \(adopted.sha256)")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the witness policy in force.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            guard let policy = try await register.servicesForReading().witnesses.policyInForce() else {
                throw RIPAError(.badInput, "the register has no witness policy", reason: .witnessNoPolicy)
            }
            if output.json { try Output.json(policy); return }
            print("Witness policy adopted at entry \(policy.seq) (sha256 \(policy.sha256)); quorum \(policy.quorum)")
            print(policy.policy, terminator: "")
        }
    }

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the latest checkpoint to every witness, with a consistency proof from the size each last cosigned; keep their cosignatures.",
            discussion: "A witness that is down, answers late (--timeout) or refuses is reported and the others are still asked. Exits 1 when the kept cosignatures of the latest checkpoint do not meet the policy's quorum.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Seconds to wait for each witness.") var timeout: Int = 10

        func validate() throws {
            guard (1...300).contains(timeout) else { throw ValidationError("--timeout \(timeout) is out of range: give 1 to 300 seconds") }
        }

        func run() async throws {
            let result = try await register.services().witnesses.sync(timeout: .seconds(timeout))
            if output.json {
                try Output.json(result)
            } else {
                for witness in result.witnesses { print("\(witness.outcome.rawValue): \(witness.message)") }
                print(result.quorumMet
                    ? "Size \(result.size) is witnessed: cosigned by \(result.cosigners.joined(separator: ", ")), meeting the quorum (\(result.quorum))."
                    : "Size \(result.size) is NOT witnessed yet: cosigned by \(result.cosigners.isEmpty ? "no witness" : result.cosigners.joined(separator: ", ")); the quorum is \(result.quorum).")
            }
            if !result.quorumMet { throw ExitCode(1) }
        }
    }
}

/// `ripa verify-proof`: checks a `c2sp.org/tlog-proof@v1` file offline, with no register.
struct VerifyProofCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-proof",
        abstract: "Check a proof file (c2sp.org/tlog-proof@v1) offline and say plainly what it proves.",
        discussion: """
            Needs no register: --key is the register's verifier key (from the council, or `ripa info`);
            --policy the witness policy (C2SP tlog-policy) whose quorum the cosignatures must meet;
            --entry the entry itself (its line from `ripa log`), whose inclusion at the proof's index is
            then checked. Exits 1, naming the check, if anything does not hold.
            """)
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The proof file.", valueName: "FILE")) var file: String
    @Option(help: ArgumentHelp("The register's verifier key.", valueName: "VKEY")) var key: String
    @Option(help: ArgumentHelp("A witness policy file.", valueName: "FILE")) var policy: String?
    @Option(help: ArgumentHelp("The entry (one line of `ripa log`).", valueName: "FILE")) var entry: String?

    func run() async throws {
        let verifierKey: NoteVerifierKey
        do { verifierKey = try NoteVerifierKey(parsing: key) } catch {
            throw RIPAError(.badInput, "--key: \(error.message)", reason: .proofFileInvalid, values: ["check": "key"])
        }
        let text = try InputFile.text(file, limit: 1024 * 1024, what: "proof file")
        let policy = try policy.map { try WitnessPolicyAdoption.parse(try InputFile.text($0, limit: WitnessPolicyAdoption.maximumBytes, what: "witness policy file")) }
        let entry = try entry.map { try InputFile.bytes($0, limit: 16 * 1024 * 1024, what: "entry file") }
        let verdict = try ProofFileCheck.verify(text, key: verifierKey, policy: policy, entry: entry)
        if output.json { try Output.json(verdict); return }
        for line in verdict.statement { print(line) }
    }
}
