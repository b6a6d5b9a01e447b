import ArgumentParser
import Foundation
import Ledger
import RIPA

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print the register's entries.",
        discussion: """
            With --json, one line per entry, each exactly the entry's leaf data (its canonical JSON), so that \
            `ripa log --json | sha256sum`-style tooling sees the signed bytes: personal fields appear sealed \
            (docs/personal-data.md). With --opened as well, each entry's body has its personal fields opened \
            (or marked destroyed), as decisions read them: that is not the signed bytes.
            """)
    @OptionGroup var register: RegisterOptions
    @OptionGroup var bundle: BundleOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Start at this index.") var from: UInt64 = 0
    @Flag(help: "With --json: print each entry with its personal fields opened (needs the data-protection key beside the register key).")
    var opened = false

    func validate() throws {
        guard !opened || output.json else { throw ValidationError("--opened goes with --json") }
    }

    func run() async throws {
        let json = output.json
        let opened = opened
        try await bundle.servicesForReading(or: register).verification.log(from: from, described: !json || opened) { lines in
            var text = ""
            for line in lines {
                if json {
                    if opened, let body = line.openedBody, let entry = try? JSONValue(parsing: Array(line.leaf.utf8)),
                       let openedBody = try? JSONValue(parsing: Array(body.utf8)), case .object(var members) = entry {
                        members["body"] = openedBody
                        text += JSONValue.object(members).canonicalString + "\n"
                    } else {
                        text += line.leaf + "\n"
                    }
                } else {
                    text += "\(line.seq)\t\(line.time.map { "\($0)" } ?? "")\t\(TextField.escaped(line.kind ?? ""))\t\(line.signer ?? "")\n"
                }
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Print the latest signed checkpoint (C2SP tlog-checkpoint) with every witness cosignature kept for it.",
        discussion: "The register's signature line comes first, then the witnesses' cosignature/v1 lines. Keep it: `ripa verify --checkpoint FILE` later proves the register still extends it.")
    @OptionGroup var register: RegisterOptions
    @Option(help: "The size of an earlier checkpoint (default: the latest).") var size: UInt64?

    func run() async throws {
        let cosigned = try await register.servicesForReading().witnesses.cosignedCheckpoint(size: size)
        FileHandle.standardOutput.write(Data(cosigned.note.utf8))
    }
}

struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Print the register's origin, size, root and verifier key.")
    @OptionGroup var register: RegisterOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let services = try await register.servicesForReading()
        let info = try await services.verification.info()
        if output.json {
            try Output.json(info)
        } else {
            Output.banner(services)
            print("Origin:       \(info.origin)")
            print("Size:         \(info.size)")
            print("Root:         \(info.root)")
            print("Verifier key: \(info.verifierKey)")
        }
    }
}
