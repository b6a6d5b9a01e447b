import ArgumentParser
import Foundation
import RIPA
import RegisterFiles

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the live register to a file, verify the copy, and report its size and checkpoint.",
        discussion: """
            The copy is SQLite's online backup, taken in steps from one snapshot: others go on
            appending while it runs, and their entries are simply not in it. It is written beside
            FILE, verified as `ripa verify --replay` verifies a register, then moved into place
            (mode 0600); a copy that fails is removed and nothing is written. FILE is never
            overwritten unless --force.

            The backup holds every entry, the projections, the documents, every user's sealed
            key and every case's sealed data key. It does NOT hold the register key file or the
            data-protection key file beside the database: back those up separately (they are
            small, and change only at `ripa key rotate` and `ripa init`), kept apart from the
            database backups. Keep the printed checkpoint: `ripa restore --checkpoint` checks a
            backup against a checkpoint you kept.
            """)
    @OptionGroup var register: RegisterOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("The backup file to write.", valueName: "FILE")) var to: String
    @Flag(help: "Replace FILE if it exists.") var force = false

    func run() async throws {
        for warning in RegisterFiles.looseFileModes(databasePath: register.db) { Output.warning(warning) }
        let made = try await RegisterFiles.backup(databasePath: register.db, to: to, force: force, clock: RegisterOptions.testClock())
        if output.json {
            try Output.json(made)
            return
        }
        if made.testRegister { print(Output.testRegisterBanner) }
        print("Backup:     \(TextField.escaped(made.path)) (\(made.bytes) bytes, mode 0600)")
        print("Size:       \(made.size) entries")
        print("Root:       \(made.root)")
        print("Verified:   \(made.verified)")
        print("Checkpoint (keep it with the backup):")
        print(made.checkpoint, terminator: made.checkpoint.hasSuffix("\n") ? "" : "\n")
        print("Not in the backup — back these up separately, apart from it:")
        for file in made.notIncluded {
            print("  \(file.what): \(TextField.escaped(file.path))\(file.present ? "" : " (not present)")")
        }
    }
}
