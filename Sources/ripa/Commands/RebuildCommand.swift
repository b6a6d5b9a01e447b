import ArgumentParser
import Ledger
import RIPA
import RegisterStorage

struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild the projections (users, cases, views) from the log (administrator).",
        discussion: """
            The projections are caches derived from the signed entries; `ripa verify --replay` says when \
            they disagree with the log. The log itself is never changed. Rebuild never refuses: an entry \
            whose decision does not follow the rules in force is projected conservatively (a recorded look \
            still counts as a look; a decision that breaks the rules gives no permission) and listed with \
            the rule it breaks. Exits 0 once rebuilt.
            """)
    @OptionGroup var register: RegisterOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let register = try await register.open()
        let admin = try await actor.unlock(register)
        guard admin.holds(.administrator) else {
            throw RIPAError(.notPermitted, "\(admin.user.userID) may not rebuild the projections: it needs the administrator role")
        }
        let report = try await Projector.rebuild(register)
        if output.json {
            Output.json([
                "ok": true, "entries": .integer(Int64(report.entries)),
                "exceptions": .array(report.exceptions.map { exception in
                    ["seq": .integer(Int64(exception.seq)), "kind": .string(exception.kind), "rule": .string(exception.rule), "projected": .string(exception.projected)]
                }),
            ])
            return
        }
        print("Projections rebuilt from the log (\(report.entries) entries).")
        guard !report.exceptions.isEmpty else { return }
        print("\(report.exceptions.count) \(report.exceptions.count == 1 ? "entry does" : "entries do") not follow the rules in force (projected conservatively):")
        for exception in report.exceptions {
            print("  entry \(exception.seq) (\(exception.kind)): \(exception.rule) — \(exception.projected)")
        }
    }
}
