import ArgumentParser
import RIPA
import RegisterFiles

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
        let founders = admin.enumerated().map { index, id in
            Founder(userID: id, name: index < adminName.count ? adminName[index] : nil, rank: index < adminRank.count ? adminRank[index] : nil)
        }
        let (services, created) = try await RegisterFiles.create(
            databasePath: register.db, origin: origin, founders: founders, policyFiles: policy,
            testRegister: testRegister, clock: try RegisterOptions.testClock())
        if output.json {
            try Output.json(created)
        } else {
            let policy = try await services.policy.inForce().policy
            Output.banner(services)
            print("Created \(created.testRegister ? "test register" : "register") \(created.origin) at \(created.db)")
            print("Register key: \(created.keyFile) (mode 0600; back it up, never share it)")
            print("Policy in force: \(policy.rules.title) (version \(policy.rules.version), \(policy.offences.offences.count) offences)")
            print("Founding administrators (each accepts with `ripa user accept ID --code CODE`; nothing else can be written until all have):")
            for invitation in created.invitations {
                print("  \(invitation.userID): code \(invitation.code) (shown once; valid until \(invitation.expiresAt))")
            }
            print("Verifier key (publish this):")
            print(created.verifierKey)
        }
    }
}
