import ArgumentParser
import Foundation
import Ledger
import RIPA
import RegisterFiles

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the whole register; name the first bad entry and exit 1 if anything is wrong.",
        discussion: """
            Checks every entry's index, canonical form, prev link, signature, time order (and that none is dated more than 5 minutes after this machine's clock, or a test register's $RIPA_CLOCK), and that its signer was enrolled, not revoked and held a role allowed to write its kind at that point; then the tree root against the latest checkpoint and its signature.

            --checkpoint FILE proves the register extends a checkpoint you kept earlier (catches rollback and forks, even by someone holding the register key).

            --save-state FILE keeps what this verify learnt (the checkpoint, the tree's edge, the authority walk and, with --replay, the replay); --since FILE then checks only the entries added after it, proving by a consistency proof that the earlier ones are unchanged. Keep the state file where the register's operator cannot write: it names users, and with --replay holds the cases (docs/formats.md "Verify state").

            --bundle FILE checks an export bundle instead of a database, offline (repeat it, in order, for incremental ones): the same checks, then every checkpoint, the manifest and the files the entries make (docs/bundles.md).
            """)
    @OptionGroup var register: RegisterOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("A signed checkpoint kept from an earlier visit.", valueName: "FILE")) var checkpoint: String?
    @Option(help: ArgumentHelp("A verifier key you trust; the register must have been signed by it.", valueName: "KEY")) var key: String?
    @Flag(help: "Also re-run every decision (threshold, roles, separation of duties, approval before effect, renewal before expiry, views) against the pack in force at that point.")
    var replay = false
    @Option(help: ArgumentHelp("A state file saved by an earlier verify: check only the entries added since.", valueName: "FILE"))
    var since: String?
    @Option(help: ArgumentHelp("Save what this verify learnt, for a later --since (written only when it passes).", valueName: "FILE"))
    var saveState: String?
    @Flag(help: "Fail (exit 1) unless the latest checkpoint meets the witness policy's quorum (otherwise a shortfall is only reported).")
    var requireQuorum = false
    @OptionGroup var bundle: BundleOptions

    func validate() throws {
        guard bundle.paths.isEmpty || (since == nil && saveState == nil) else {
            throw ValidationError("--since and --save-state are for a database; a bundle is verified whole (give earlier bundles before an incremental one)")
        }
    }

    func run() async throws {
        var kept: String?
        if let checkpoint {
            kept = try InputFile.text(checkpoint, limit: InputLimits.checkpointFileBytes, what: "checkpoint file")
        }
        let trusted = try key.map { try NoteVerifierKey(parsing: $0) }
        let state = try since.map { try InputFile.text($0, limit: VerificationState.maximumFileBytes, what: "verify state file") }
        let services: RegisterServices
        let result: VerificationResult
        if bundle.paths.isEmpty {
            services = try await register.servicesForReading()
            result = try await services.verification.verify(
                keptCheckpoint: kept, trustedKey: trusted, replay: replay, since: state, saveState: saveState != nil)
        } else {
            // Offline: the bundles alone, copied into memory and checked there.
            let opened = try await RegisterFiles.openBundles(
                paths: bundle.paths, inspectorKeyFile: bundle.inspectorKey, replay: replay, trustedKey: trusted, keptCheckpoint: kept,
                clock: RegisterOptions.testClock())
            (services, result) = (opened.services, opened.verification)
            if !output.json, result.ok {
                for (path, manifest) in zip(bundle.paths, opened.manifests) {
                    print("Bundle \(path): \(manifest.entriesDescription) of \(manifest.origin), made \(manifest.madeAt)\(manifest.handedOverDescription.map { "; " + $0 } ?? "")")
                }
            }
        }
        if output.json { try Output.json(result) }
        if let failure = result.failure {
            // One line on stderr, which still says it is a test register.
            let hint = Hint.line(for: failure).map { "; \($0)" } ?? ""
            Output.error("verification FAILED\(result.testRegister ? " (test register)" : ""): \(failure)\(hint)")
            throw ExitCode(1)
        }
        if requireQuorum, let witnessing = result.witnessing, witnessing.quorumMet != true {
            if !output.json { print(witnessing.summary) }
            Output.error("verification FAILED\(result.testRegister ? " (test register)" : ""): witness: \(witnessing.quorum == nil ? "no witness policy is adopted" : "the latest checkpoint is short of its witness quorum")")
            throw ExitCode(1)
        }
        if let saveState, let text = result.report?.stateFile {
            try Self.write(text, to: saveState)
        }
        if !output.json, let report = result.report {
            Output.banner(services)
            print("Size: \(report.size)")
            print("Root: \(report.root.base64)")
            print(report.summary)
            if let witnessing = result.witnessing { print(witnessing.summary) }
            if let saveState { print("State saved to \(saveState) (for `ripa verify --since \(saveState)`)") }
        }
    }

    /// Writes the state file readable by its owner only (it names users and, after `--replay`,
    /// holds the cases), through a temporary file renamed over the old one, so a verify
    /// interrupted half way never leaves half a state.
    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw RIPAError(.badInput, "cannot write the verify state file \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            let problem = String(cString: strerror(errno))
            unlink(temporary)
            throw RIPAError(.badInput, "cannot save the verify state file \(path): \(problem)")
        }
    }
}
