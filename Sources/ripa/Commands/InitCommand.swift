import ArgumentParser
import Foundation
import Ledger
import RIPA
import RegisterStore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a register: database, register key file, genesis entry and the first administrator.",
        discussion: """
            Prints the register's verifier key (<origin>+<key id>+<base64>). Publish it: an
            auditor needs nothing else to verify checkpoints. The administrator's passphrase
            comes from --passphrase-file, $RIPA_PASSPHRASE, or is asked for twice.
            """)

    @OptionGroup var register: RegisterOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("The checkpoint origin, fixed for the register's life.", valueName: "ORIGIN"))
    var origin: String

    @Option(help: ArgumentHelp("The first administrator's user id.", valueName: "USER"))
    var admin: String

    @Option(help: "The first administrator's full name (default: the user id).")
    var adminName: String?

    @Option(help: "The first administrator's rank or grade.")
    var adminRank: String = "Administrator"

    @Option(help: ArgumentHelp("Read the administrator's passphrase from this file.", valueName: "FILE"))
    var passphraseFile: String?

    @Flag(help: "Make a test register: entry times may come from a fixed clock ($RIPA_CLOCK), and every report says it is a test register. For demos and tests only; a real register refuses a fixed clock.")
    var testRegister = false

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Policy files to adopt (default: the shipped Policies/ pack and offence catalogue).", valueName: "FILE"))
    var policy: [String] = []

    func run() async throws {
        let clock = try RegisterOptions.testClock()
        let files = policy.isEmpty ? try ShippedPolicy.paths() : policy
        let loaded = try PolicyLoader.load(paths: files)
        let passphrase = try Passphrase.readNew(file: passphraseFile, environment: "RIPA_PASSPHRASE", prompt: "New passphrase for \(admin): ")
        let administrator = NewUser(userID: admin, name: adminName ?? admin, roles: [.administrator], rank: adminRank)
        let (created, verifierKey) = try Register.create(
            databasePath: register.db, origin: origin, administrator: administrator, passphrase: passphrase,
            policy: (loaded, files.map { URL(fileURLWithPath: $0).lastPathComponent }), testRegister: testRegister, clock: clock)
        if output.json {
            Output.json(["test_register": .bool(testRegister), "db": .string(register.db), "key_file": .string(created.keyFile.path), "origin": .string(origin), "verifier_key": .string(verifierKey.description)])
        } else {
            Output.banner(created)
            print("Created \(testRegister ? "test register" : "register") \(origin) at \(register.db)")
            print("Register key: \(created.keyFile.path) (mode 0600; back it up, never share it)")
            print("Administrator: \(admin)")
            print("Policy in force: \(loaded.rules.title) (version \(loaded.rules.version), \(loaded.offences.offences.count) offences)")
            print("Verifier key (publish this):")
            print(verifierKey.description)
        }
    }
}
