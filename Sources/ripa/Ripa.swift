import ArgumentParser
import Foundation
import Glibc
import RIPA

/// `ripa`: the command-line front of the register. Thin: parse, call the RIPA library, print.
@main
struct Ripa: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ripa",
        abstract: "The RIPA register: an append-only, signed record of covert surveillance authorisations and profile views.",
        discussion: """
            Every write is an Ed25519-signed entry in a hash-chained log, published as signed
            RFC 6962 checkpoints an auditor can verify with the register's public key alone.

            The database is --db (default $RIPA_DB, else ./register.db); the register key lives
            beside it (register.key, mode 0600). Writers act --as USER and unlock their key with
            a passphrase from --passphrase-file, $RIPA_PASSPHRASE, or a terminal prompt.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, UserCommand.self, KeyCommand.self, PolicyCommand.self,
            ApplyCommand.self, GrantCommand.self, RefuseCommand.self, JudicialCommand.self, ReviewCommand.self,
            RenewCommand.self, CancelCommand.self, StatusCommand.self, DueCommand.self, RecordCommand.self,
            ViewCommand.self, ViewsCommand.self, AliasCommand.self, AliasesCommand.self, DocumentCommand.self, RebuildCommand.self,
            LogCommand.self, CheckpointCommand.self, InfoCommand.self, ProofCommand.self, VerifyCommand.self, ServeCommand.self,
            WitnessCommand.self, VerifyProofCommand.self, RetentionCommand.self,
            BackupCommand.self, RestoreCommand.self, ExportCommand.self, InspectorKeyCommand.self,
        ]
    )

    /// Runs the command, with errors as the README promises: one line on stderr and exit
    /// status 1 for bad input, usage errors included (ArgumentParser's own would print the
    /// usage too and exit 64); `--help` and `--version` print in full and exit 0; a command's
    /// own `ExitCode` (2 for a recorded refusal) passes through.
    static func main() async {
        // Everything ripa creates — the database, its -wal and -shm, key files — is the
        // owner's alone: the database holds every user's sealed key.
        umask(0o077)
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            // The register's own errors are data: their message, then the CLI's hint (`Hint`).
            var report = ErrorReport(error) ?? ErrorReport(code: code == .validationFailure ? "usage" : "error", reason: nil, values: [:], message: message(for: error))
            if report.message.hasPrefix("Error: ") { report.message.removeFirst("Error: ".count) }
            if code == .validationFailure {
                let command = (["ripa"] + commandPath(arguments)).joined(separator: " ")
                report.hint = report.hint ?? "see `\(command) --help`"
            }
            if arguments.contains("--json") {
                // Scripts read the same members a web page renders: code, reason, values, message, hint.
                FileHandle.standardError.write(Data((report.json + "\n").utf8))
            } else {
                // Escaped: a message quoting what the user typed stays one line.
                var line = report.message.split(whereSeparator: \.isNewline).joined(separator: " ")
                if code == .validationFailure, let hint = report.hint { line += " (\(hint))" } else if let hint = report.hint { line += "; \(hint)" }
                FileHandle.standardError.write(Data("Error: \(TextField.escaped(line))\n".utf8))
            }
            Glibc.exit(code == .success ? 0 : 1)
        }
    }

    /// The subcommand names at the front of `arguments`, for the `--help` hint.
    static func commandPath(_ arguments: [String]) -> [String] {
        var path: [String] = []
        var commands = configuration.subcommands
        for argument in arguments {
            guard let next = commands.first(where: { $0._commandName == argument }) else { break }
            path.append(argument)
            commands = next.configuration.subcommands
        }
        return path
    }
}
