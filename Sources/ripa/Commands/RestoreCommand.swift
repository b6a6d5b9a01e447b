import ArgumentParser
import Foundation
import RIPA
import RegisterFiles

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup back in place of the register, after checking it against a checkpoint you kept.",
        discussion: """
            Refused while anything else has the database open (stop `ripa serve` first). The
            backup must verify; its checkpoint must be signed by the key in the register key
            file beside --db; it must extend the checkpoint you kept (--checkpoint, as `ripa
            checkpoint` printed it) or, if older, be a prefix of it, proved against the register
            being replaced: a backup that forks from it is refused, naming where. Every entry of
            the register being replaced that the restored one will not hold is listed (index,
            kind, time), and the restore is refused unless --accept-loss gives exactly their
            number. The replaced database is kept as <db>.replaced-<time> unless
            --discard-replaced. The key files are not touched.
            """)
    @OptionGroup var register: RegisterOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("The backup file to restore.", valueName: "FILE")) var from: String
    @Option(help: ArgumentHelp("A signed checkpoint you kept from the register.", valueName: "KEPT")) var checkpoint: String
    @Option(help: ArgumentHelp("Accept losing exactly N entries of the register being replaced.", valueName: "N")) var acceptLoss: UInt64?
    @Flag(help: "Do not keep the replaced database as <db>.replaced-<time>.") var discardReplaced = false

    func run() async throws {
        let kept = try InputFile.text(checkpoint, limit: InputLimits.checkpointFileBytes, what: "checkpoint file")
        let done = try await RegisterFiles.restore(
            databasePath: register.db, from: from, keptCheckpoint: kept, acceptLoss: acceptLoss,
            keepReplaced: !discardReplaced, clock: RegisterOptions.testClock())
        if output.json {
            try Output.json(done)
            return
        }
        if done.testRegister { print(Output.testRegisterBanner) }
        print("Restored:   \(TextField.escaped(done.db)) from \(TextField.escaped(done.from))")
        print("Size:       \(done.size) entries")
        print("Root:       \(done.root)")
        let relation = done.size == done.keptSize ? "is" : done.size > done.keptSize ? "extends" : "is a prefix of"
        print("Kept:       the backup \(relation) the kept checkpoint (\(done.keptSize) entries)\(done.consistencyProof.map { ", consistency proof of \($0.count) hashes" } ?? "")")
        switch done.previous {
        case "absent": print("Replaced:   nothing (no database was there)")
        case "unreadable": print("Replaced:   an unreadable file (\(TextField.escaped(done.previousProblem ?? "")))\(done.replacedKeptAt.map { ", kept as \(TextField.escaped($0))" } ?? ", discarded")")
        default: print("Replaced:   the register that was there\(done.replacedKeptAt.map { ", kept as \(TextField.escaped($0))" } ?? ", discarded")")
        }
        if done.lost.isEmpty {
            print("Lost:       no entry")
        } else {
            print("Lost:       \(done.lost.count) entr\(done.lost.count == 1 ? "y" : "ies") of the replaced register, as accepted:")
            Output.table(["INDEX", "KIND", "TIME", "IN KEPT CHECKPOINT"], done.lost.map { [String($0.seq), $0.kind, $0.time.map { "\($0)" } ?? "", $0.inKeptCheckpoint ? "yes" : "no"] })
        }
        if !done.destructionsUndone.isEmpty {
            let entries = done.destructionsUndone.map(String.init).joined(separator: ", ")
            Output.warning("the restored register holds again the personal data that entr\(done.destructionsUndone.count == 1 ? "y" : "ies") \(entries) destroyed (the backup is older than the destruction): apply the retention schedule again now (`ripa retention due`, then `ripa retention apply`)")
        }
    }
}
