import ArgumentParser
import Foundation
import Ledger
import RIPA
import RegisterFiles
import RegisterStorage

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a register: database, register key file, genesis entry, the pack, and the founding administrators' invitations.",
        discussion: """
            Prints the register's verifier key (<origin>+<key id>+<base64>). Publish it: an
            auditor needs nothing else to verify checkpoints. A real register starts with two
            administrators (--admin alice --admin bob); only a test register may start with one.
            Each founding administrator gets a one-time code, printed once: hand each code to its
            person, who runs `ripa user accept ID --code CODE` and chooses their own passphrase.
            Nothing else can be written until every founder has accepted.
            """)

    @OptionGroup var register: RegisterOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("The checkpoint origin, fixed for the register's life.", valueName: "ORIGIN"))
    var origin: String

    @Option(help: ArgumentHelp("A founding administrator's user id (repeat: two on a real register).", valueName: "USER"))
    var admin: [String] = []

    @Option(help: "A founding administrator's full name, in the order of --admin (default: the user id).")
    var adminName: [String] = []

    @Option(help: "A founding administrator's rank or grade, in the order of --admin (default: Administrator).")
    var adminRank: [String] = []

    @Flag(help: "Make a test register: entry times may come from a fixed clock ($RIPA_CLOCK), and every report says it is a test register. For demos and tests only; a real register refuses a fixed clock.")
    var testRegister = false

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Policy files to adopt (default: the shipped Policies/ pack and offence catalogue).", valueName: "FILE"))
    var policy: [String] = []

    func validate() throws {
        guard !admin.isEmpty else { throw ValidationError("name the founding administrators: --admin alice --admin bob") }
        guard adminName.count <= admin.count, adminRank.count <= admin.count else {
            throw ValidationError("give at most one --admin-name and one --admin-rank per --admin")
        }
    }

    func run() async throws {
        let clock = try RegisterOptions.testClock()
        let files = policy.isEmpty ? try ShippedPolicy.paths() : policy
        let loaded = try PolicyLoader.load(paths: files)
        let administrators = admin.enumerated().map { index, id in
            NewUser(
                userID: id, name: index < adminName.count ? adminName[index] : id, roles: [.administrator],
                rank: index < adminRank.count ? adminRank[index] : "Administrator")
        }
        let (created, verifierKey, invitations) = try await RegisterFiles.create(
            databasePath: register.db, origin: origin, administrators: administrators,
            policy: (loaded, files.map { URL(fileURLWithPath: $0).lastPathComponent }), testRegister: testRegister, clock: clock)
        if output.json {
            Output.json([
                "test_register": .bool(testRegister), "db": .string(register.db), "key_file": .string(RegisterFiles.keyFile(databasePath: register.db).path),
                "origin": .string(origin), "verifier_key": .string(verifierKey.description),
                "invitations": .array(invitations.map(UserCommand.json)),
            ])
        } else {
            Output.banner(created)
            print("Created \(testRegister ? "test register" : "register") \(origin) at \(register.db)")
            print("Register key: \(RegisterFiles.keyFile(databasePath: register.db).path) (mode 0600; back it up, never share it)")
            print("Policy in force: \(loaded.rules.title) (version \(loaded.rules.version), \(loaded.offences.offences.count) offences)")
            print("Founding administrators (each accepts with `ripa user accept ID --code CODE`; nothing else can be written until all have):")
            for invitation in invitations {
                print("  \(invitation.userID): code \(invitation.code) (shown once; valid until \(invitation.expiresAt))")
            }
            print("Verifier key (publish this):")
            print(verifierKey.description)
        }
    }
}
