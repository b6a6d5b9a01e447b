import ArgumentParser
import Foundation
import Ledger
import RIPA
import RegisterStorage

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
        let opened = try await register.openForReading()
        let store = opened.store
        do {
            let report = try await RegisterVerifier(store: store).verify(keptCheckpoint: kept, trustedKey: trusted, replay: replay, now: opened.clock())
            if output.json {
                Output.json([
                    "ok": true, "test_register": .bool(opened.isTestRegister), "size": .integer(Int64(report.size)), "root": .string(report.root.base64),
                    "verifier_keys": .array(report.verifierKeys.map { .string($0) }),
                    "active_users": .integer(Int64(report.activeUsers)),
                    "kept_checkpoint_size": report.keptCheckpointSize.map { .integer(Int64($0)) } ?? .null,
                    "replayed_decisions": report.replayedDecisions.map { .integer(Int64($0)) } ?? .null,
                    "summary": .string(report.summary),
                ])
            } else {
                Output.banner(opened)
                print("Size: \(report.size)")
                print("Root: \(report.root.base64)")
                print(report.summary)
            }
        } catch let failure as VerificationFailure {
            if output.json {
                Output.json([
                    "ok": false, "test_register": .bool(opened.isTestRegister), "index": failure.index.map { .integer(Int64($0)) } ?? .null,
                    "check": .string(failure.check.rawValue), "message": .string(failure.message),
                    "hint": Hint.line(for: failure).map(JSONValue.string) ?? .null,
                ])
            }
            // One line on stderr, which still says it is a test register.
            let hint = Hint.line(for: failure).map { "; \($0)" } ?? ""
            Output.error("verification FAILED\(opened.isTestRegister ? " (test register)" : ""): \(failure)\(hint)")
            throw ExitCode(1)
        }
    }
}
