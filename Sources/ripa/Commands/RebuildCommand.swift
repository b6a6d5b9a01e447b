import ArgumentParser
import RIPA
import RegisterStore

struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild the projections (users, cases, views) from the log (administrator).",
        discussion: "The projections are caches derived from the signed entries; `ripa verify --replay` says when they disagree with the log. The log itself is never changed.")
    @OptionGroup var register: RegisterOptions
    @OptionGroup var actor: ActorOptions

    func run() async throws {
        let register = try register.open()
        let admin = try actor.unlock(register)
        guard admin.holds(.administrator) else {
            throw RIPAError(.notPermitted, "\(admin.user.userID) may not rebuild the projections: it needs the administrator role")
        }
        try Projector.rebuild(register)
        print("Projections rebuilt from the log.")
    }
}
