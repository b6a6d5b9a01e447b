import ArgumentParser
import RIPA

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
        let services = try await register.services()
        let report = try await services.verification.rebuild(by: try await actor.unlock(services))
        if output.json {
            try Output.json(report)
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
