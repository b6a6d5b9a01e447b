import ArgumentParser
import Ledger
import RIPA

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the whole register; name the first bad entry and exit 1 if anything is wrong.",
        discussion: """
            Checks every entry's index, canonical form, prev link, signature, time order (and
            that none is dated more than 5 minutes after this machine's clock, or a test
            register's $RIPA_CLOCK), and
            that its signer was enrolled, not revoked and held a role allowed to write its kind
            at that point; then the tree root against the latest checkpoint and its signature.
            --checkpoint FILE proves the register extends a checkpoint you kept earlier
            (catches rollback and forks, even by someone holding the register key).
            """)
    @OptionGroup var register: RegisterOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("A signed checkpoint kept from an earlier visit.", valueName: "FILE")) var checkpoint: String?
    @Option(help: ArgumentHelp("A verifier key you trust; the register must have been signed by it.", valueName: "KEY")) var key: String?
    @Flag(help: "Also re-run every decision (threshold, roles, separation of duties, approval before effect, renewal before expiry, views) against the pack in force at that point.")
    var replay = false

    func run() async throws {
        var kept: String?
        if let checkpoint {
            kept = try InputFile.text(checkpoint, limit: InputLimits.checkpointFileBytes, what: "checkpoint file")
        }
        let trusted = try key.map { try NoteVerifierKey(parsing: $0) }
        let services = try await register.servicesForReading()
        let result = try await services.verification.verify(keptCheckpoint: kept, trustedKey: trusted, replay: replay)
        if output.json { try Output.json(result) }
        if let failure = result.failure {
            // One line on stderr, which still says it is a test register.
            let hint = Hint.line(for: failure).map { "; \($0)" } ?? ""
            Output.error("verification FAILED\(result.testRegister ? " (test register)" : ""): \(failure)\(hint)")
            throw ExitCode(1)
        }
        if !output.json, let report = result.report {
            Output.banner(services)
            print("Size: \(report.size)")
            print("Root: \(report.root.base64)")
            print(report.summary)
        }
    }
}
