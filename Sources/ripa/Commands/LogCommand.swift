import ArgumentParser
import Foundation
import Ledger
import RIPA
import RegisterStorage

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print the register's entries.",
        discussion: "With --json, one line per entry, each exactly the entry's leaf data (its canonical JSON), so that `ripa log --json | sha256sum`-style tooling sees the signed bytes.")
    @OptionGroup var register: RegisterOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Start at this index.") var from: UInt64 = 0

    func run() async throws {
        let opened = try await register.openForReading()
        let store = opened.store
        let size = try await store.read { try $0.size() }
        guard from <= size else {
            throw RIPAError(.badInput, "--from \(from) is beyond the register, which holds \(size) entries")
        }
        var names: [PublicKey: String] = [:]
        if !output.json {
            // Every key a person has held (replaced ones too), and the register key at genesis.
            for account in try await opened.accounts() {
                for key in account.retiredKeys + (account.publicKey.map { [$0] } ?? []) {
                    if let key = try? PublicKey(base64: key) { names[key] = account.userID }
                }
            }
            if let genesis = try? await store.read({ try $0.entry(at: 0) }) { names[genesis.signer] = "register" }
        }
        var next = from
        while true {
            let start = next
            let batch = try await store.read { try $0.leaves(from: start, limit: 4096) }
            if batch.isEmpty { break }
            var text = ""
            for (seq, leaf) in batch {
                if output.json {
                    text += String(decoding: leaf, as: UTF8.self) + "\n"
                } else {
                    let entry = try Entry(leafData: leaf)
                    let signer = names[entry.signer] ?? (seq == 0 || entry.kind.hasPrefix("register.") || seq == 1 ? "register" : entry.signer.base64)
                    text += "\(seq)\t\(entry.time)\t\(TextField.escaped(entry.kind))\t\(signer)\n"
                }
                next = seq + 1
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Print the latest signed checkpoint exactly as signed (C2SP tlog-checkpoint).",
        discussion: "Keep it: `ripa verify --checkpoint FILE` later proves the register still extends it.")
    @OptionGroup var register: RegisterOptions

    func run() async throws {
        guard let note = try await register.openForReading().store.read({ try $0.latestCheckpoint() }) else {
            throw RIPAError(.badInput, "the register has no checkpoint yet")
        }
        FileHandle.standardOutput.write(Data(note.utf8))
    }
}

struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Print the register's origin, size, root and verifier key.")
    @OptionGroup var register: RegisterOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let opened = try await register.openForReading()
        let (origin, size, root) = try await opened.store.read { reader in
            let size = try reader.size()
            return (try reader.origin(), size, try reader.root(size: size))
        }
        let key = try await opened.verifierKey()
        if output.json {
            Output.json([
                "origin": .string(origin), "size": .integer(Int64(size)), "root": .string(root.base64),
                "verifier_key": .string(key.description), "test_register": .bool(opened.isTestRegister),
            ])
        } else {
            Output.banner(opened)
            print("Origin:       \(origin)")
            print("Size:         \(size)")
            print("Root:         \(root.base64)")
            print("Verifier key: \(key)")
        }
    }
}
