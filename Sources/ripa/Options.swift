import ArgumentParser
import Foundation
import Ledger
import RIPA
import RegisterFiles

/// Where the register is.
struct RegisterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The register database.", valueName: "PATH"))
    var db: String = ProcessInfo.processInfo.environment["RIPA_DB"] ?? "register.db"

    /// `$RIPA_CLOCK`, if set: a fixed clock, which only a test register accepts (demos and
    /// tests of expiry; entry times still never go backwards). A malformed value is an
    /// error, never a silent fall-back to the real time.
    static func testClock() throws -> RegisterClock {
        guard let text = ProcessInfo.processInfo.environment["RIPA_CLOCK"] else { return .system }
        guard let time = parseTime(text) else {
            throw RIPAError(.badInput, "$RIPA_CLOCK '\(text)' is not a time: give a real day, hours 00-23, minutes 00-59 and a year \(EntryTime.registerYears.lowerBound)-\(EntryTime.registerYears.upperBound), e.g. 2026-11-21T10:15:00Z, or unset it")
        }
        return .test { time }
    }

    /// Opens the register and hands out its services: what every command calls.
    func services() async throws -> RegisterServices {
        let services = try await RegisterFiles.services(databasePath: db, clock: Self.testClock())
        for warning in RegisterFiles.looseFileModes(databasePath: db) { Output.warning(warning) }
        return services
    }

    /// The services for a command that only reads: the register opened read-only, writing
    /// nothing beside the database, so an auditor's read-only copy (file, folder or medium) works.
    func servicesForReading() async throws -> RegisterServices {
        let services = try await RegisterFiles.services(databasePath: db, readOnly: true, clock: Self.testClock())
        for warning in RegisterFiles.looseFileModes(databasePath: db) { Output.warning(warning) }
        return services
    }

    /// The `Register` itself, for commands not yet calling the services (`services()`
    /// replaces it; to be removed once none does).
    func open() async throws -> Register {
        let register = try await RegisterFiles.open(databasePath: db, clock: Self.testClock())
        for warning in RegisterFiles.looseFileModes(databasePath: db) { Output.warning(warning) }
        return register
    }

    /// As `open()`, read-only (`servicesForReading()` replaces it; to be removed once no command calls it).
    func openForReading() async throws -> Register {
        let register = try await RegisterFiles.open(databasePath: db, readOnly: true, clock: Self.testClock())
        for warning in RegisterFiles.looseFileModes(databasePath: db) { Output.warning(warning) }
        return register
    }
}

/// Output format.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON for scripts instead of text for people.")
    var json = false
}

/// Who is acting, and how their key is unlocked.
struct ActorOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp("The user acting; their key signs the entry.", valueName: "USER"))
    var userID: String

    @Option(help: ArgumentHelp("Read the passphrase from this file (first line) instead of $RIPA_PASSPHRASE or a prompt.", valueName: "FILE"))
    var passphraseFile: String?

    /// Reads the passphrase and unlocks the user's key through `UserService`.
    func unlock(_ services: RegisterServices) async throws -> Actor {
        let passphrase = try Passphrase.read(file: passphraseFile, environment: "RIPA_PASSPHRASE", prompt: "Passphrase for \(userID): ")
        return try await services.users.unlock(userID: userID, passphrase: passphrase)
    }

    /// As `unlock(_:)`, for commands not yet calling the services (to be removed with `RegisterOptions.open()`).
    func unlock(_ register: Register) async throws -> Actor {
        try await unlock(RegisterServices(register: register))
    }
}

/// Parses `2026-11-21T10:15:30.123Z`, `2026-11-21T10:15:30Z` or `2026-11-21T10:15:30+01:00`
/// strictly: a day that does not exist, `24:00`, `23:60` or a year outside
/// `EntryTime.registerYears` is refused, never rolled over (issue 8 §1).
func parseTime(_ text: String) -> EntryTime? {
    EntryTime(parsingInput: text)
}
