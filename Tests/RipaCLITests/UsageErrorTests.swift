import Foundation
import Testing

/// Usage errors print as the README promises: one line on stderr (the error and where to
/// find help) and exit status 1; `--help` still prints the whole help and exits 0.
@Suite struct UsageErrorTests {
    @Test("a bad invocation gets one line and exit 1", arguments: [
        (["apply"], "ripa apply --help"),
        (["init", "--origin"], "ripa init --help"),
        (["grant", "--reasons", "x"], "ripa grant --help"),
        (["frobnicate"], "ripa --help"),
        (["user", "add", "ivan"], "ripa user add --help"),
        (["user", "wizard"], "ripa user --help"),
        (["log", "--from", "abc"], "ripa log --help"),
        (["due", "--within", "soon"], "ripa due --help"),
        (["record", "central", "--format", "pdf"], "ripa record central --help"),
        (["proof", "inclusion", "--index", "-1"], "ripa proof inclusion --help"),
        (["verify", "--no-such-flag"], "ripa verify --help"),
    ])
    func badInvocation(arguments: [String], hint: String) throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let result = try cli.run(arguments, withDB: false)
        #expect(result.status == 1, "exit \(result.status): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one line, got: \(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: "), "\(result.stderr)")
        #expect(result.stderr.contains("(see `\(hint)`)"), "\(result.stderr)")
        #expect(!result.stderr.contains("Usage:"))
        #expect(result.stdout.isEmpty)
    }

    @Test("--help and --version still print in full and exit 0", arguments: [
        (["--help"], "SUBCOMMANDS"), (["apply", "--help"], "--operation"), (["user", "accept", "--help"], "--new-passphrase-file"),
        (["help", "grant"], "--review-interval"), (["--version"], "0."),
    ])
    func help(arguments: [String], showing: String) throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let result = try cli.run(arguments, withDB: false)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(showing), "\(result.stdout)")
        #expect(result.stderr.isEmpty)
    }

    @Test func aRecordedRefusalStillExitsTwo() throws {
        let cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        defer { cli.cleanUp() }
        let result = try cli.run(LifecycleCLI.application(offences: ["epa-1990-s87"]), as: "ivan")
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
