import Foundation
import Ledger
import Testing

/// Issue 8 §4: the projections are caches. The live register never signs a decision taken
/// from a projection row edited outside it; `verify --replay` compares every projection row
/// with the log, field by field; `ripa rebuild` always rebuilds and lists the entries whose
/// decisions do not follow the rules. The attacker holds the database file (`cli.sql`), not
/// the register key file.
@Suite struct ProjectionAuthenticationTests {
    static let profileAddress = "https://www.facebook.com/sam.subject/"

    /// ivan's directed surveillance case naming Sam Subject's profile, granted by mo and
    /// approved by a JP, live from 2026-01-14.
    static func liveCase() throws -> (CLI, String) {
        var cli = try LifecycleCLI.register(at: "2026-01-10T09:00:00Z")
        try cli.enrol("ivy", roles: "investigator", rank: "Investigation Officer")
        let urn = try LifecycleCLI.apply(cli, LifecycleCLI.application())
        cli.clock = "2026-01-12T10:00:00Z"
        try LifecycleCLI.grant(cli, urn)
        cli.clock = "2026-01-14T11:00:00Z"
        try LifecycleCLI.judicial(cli, urn, at: "2026-01-14T10:00:00Z")
        cli.clock = "2026-01-15T09:00:00Z"
        return (cli, urn)
    }

    static func look(_ cli: CLI, as user: String = "ivan", address: String = profileAddress, urn: String? = nil) throws -> CLI.Result {
        try cli.run(["view", address, "--case", "FR/2026/1", "--purpose", "check the posts"] + (urn.map { ["--authorisation", $0] } ?? []), as: user)
    }

    /// The live path refused to decide: exit 1 (not 2, a recorded refusal), nothing appended,
    /// and the message says what to run.
    static func expectRefusedAsTampered(_ result: CLI.Result, _ cli: CLI, entriesBefore: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(result.status == 1, "the register decided from an edited projection: \(result.stdout)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("changed outside the register"), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("ripa verify --replay") && result.stderr.contains("ripa rebuild"), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(try LifecycleCLI.entries(cli).count == entriesBefore, "an entry was signed", sourceLocation: sourceLocation)
    }

    @Test func cancellationRemovedFromTheCaseIsNotTrustedByTheGate() throws {
        let (base, urn) = try Self.liveCase()
        var cli = base
        defer { cli.cleanUp() }
        #expect(try Self.look(cli, urn: urn).status == 0)
        cli.clock = "2026-01-16T09:00:00Z"
        try cli.ok(["cancel", urn, "--reason", "Subject identified", "--value-obtained", "Address confirmed"], as: "mo")
        #expect(try Self.look(cli, urn: urn).status == 2, "a cancelled authorisation must not allow a look")

        // The attacker takes the cancellation out of the case's document.
        try cli.sql("UPDATE authorisations SET document = CAST(json_set(CAST(document AS TEXT), '$.cancellation', json('null')) AS BLOB) WHERE urn = '\(urn)';")
        let before = try LifecycleCLI.entries(cli).count
        try Self.expectRefusedAsTampered(try Self.look(cli, urn: urn), cli, entriesBefore: before)

        let replay = try cli.run(["verify", "--replay"])
        #expect(replay.status == 1 && replay.stderr.contains("case \(urn)"), "\(replay.stderr)")
        try cli.ok(["rebuild"], as: "admin")
        #expect(try Self.look(cli, urn: urn).status == 2, "after rebuild the case is cancelled again")
        #expect(try cli.run(["verify", "--replay"]).status == 0)
    }

    @Test func viewerAddedToTheTeamIsNotTrustedByTheGate() throws {
        let (cli, urn) = try Self.liveCase()
        defer { cli.cleanUp() }
        #expect(try Self.look(cli, as: "ivy", urn: urn).status == 2, "ivy is not on the team")
        // The case's document is sealed under its data key (docs/personal-data.md): the team
        // is not even there to edit, and the edit misses.
        let sealed = try AccountTests.query(cli, "SELECT hex(document) FROM authorisations WHERE urn = '\(urn)'")
        try cli.sql("UPDATE authorisations SET document = CAST(json_insert(CAST(document AS TEXT), '$.application.team[#]', 'ivy') AS BLOB) WHERE urn = '\(urn)';")
        #expect(try AccountTests.query(cli, "SELECT hex(document) FROM authorisations WHERE urn = '\(urn)'") == sealed)
        #expect(try Self.look(cli, as: "ivy", urn: urn).status == 2, "ivy is still not on the team")
        // Written beside the box instead, the team is an edit: refused, nothing signed.
        try cli.sql("UPDATE authorisations SET document = CAST(json_set(CAST(document AS TEXT), '$.application', json('{\"team\":[\"ivan\",\"ivy\"]}')) AS BLOB) WHERE urn = '\(urn)';")
        let before = try LifecycleCLI.entries(cli).count
        try Self.expectRefusedAsTampered(try Self.look(cli, as: "ivy", urn: urn), cli, entriesBefore: before)
    }

    @Test func roleAddedToAUserIsNotTrustedWhenTheyAct() throws {
        let (cli, _) = try Self.liveCase()
        defer { cli.cleanUp() }
        // ivan gives himself the administrator role and enrols an accomplice.
        try cli.sql("UPDATE users SET roles = 'investigator,administrator' WHERE user_id = 'ivan';")
        let before = try LifecycleCLI.entries(cli).count
        let result = try cli.run(["user", "add", "mallory", "--name", "Mallory", "--roles", "monitoring-officer", "--rank", "Officer"],
            as: "ivan", environment: ["RIPA_NEW_PASSPHRASE": "mallow crater signal dune"])
        try Self.expectRefusedAsTampered(result, cli, entriesBefore: before)
    }

    @Test func editedViewOutcomeIsNotTrustedByTheGate() throws {
        let (cli, _) = try Self.liveCase()
        defer { cli.cleanUp() }
        #expect(try Self.look(cli).status == 0, "the initial examination")
        #expect(try Self.look(cli).status == 2, "the repeat is refused")
        // The first look is rewritten as a refusal, so the profile seems never examined.
        try cli.sql("UPDATE views SET outcome = 'refused';")
        let before = try LifecycleCLI.entries(cli).count
        try Self.expectRefusedAsTampered(try Self.look(cli), cli, entriesBefore: before)
    }

    @Test func viewRepointedToAnotherProfileIsCaughtByReplayAndTheGate() throws {
        let (cli, _) = try Self.liveCase()
        defer { cli.cleanUp() }
        #expect(try Self.look(cli).status == 0)
        let seq = try LifecycleCLI.entries(cli).count - 1
        #expect(try cli.run(["verify", "--replay"]).status == 0)
        try cli.sql("UPDATE views SET profile_key = 'facebook:someoneelse' WHERE seq = \(seq);")
        // The counts of first looks are unchanged: only a row-by-row comparison sees it.
        let replay = try cli.run(["verify", "--replay", "--json"])
        #expect(replay.status == 1)
        #expect(replay.stderr.contains("view of entry \(seq)"), "\(replay.stderr)")
        #expect(try JSONValue(parsing: replay.stdout)["check"] == "replay")
        // The moved row is caught where it landed.
        let before = try LifecycleCLI.entries(cli).count
        try Self.expectRefusedAsTampered(try Self.look(cli, address: "https://www.facebook.com/someoneelse"), cli, entriesBefore: before)
    }

    /// A deleted row cannot be seen from the live path: the look it lets through is caught by
    /// `verify --replay`, and `ripa rebuild` still runs, listing the entry and the rule.
    @Test(arguments: [false, true]) func rebuildNeverRefusesAndListsEntriesThatBreakTheRules(json: Bool) throws {
        let (cli, _) = try Self.liveCase()
        defer { cli.cleanUp() }
        #expect(try Self.look(cli).status == 0)
        try cli.sql("DELETE FROM views;")
        #expect(try Self.look(cli).status == 0, "the live path cannot see a deleted row (README, Security)")
        let exploited = try LifecycleCLI.entries(cli).count - 1

        let replay = try cli.run(["verify", "--replay", "--json"])
        #expect(replay.status == 1)
        #expect(try JSONValue(parsing: replay.stdout)["index"] == .integer(Int64(exploited)))
        #expect(replay.stderr.contains("ripa rebuild"), "\(replay.stderr)")

        let rebuilt = try cli.run(["rebuild"] + (json ? ["--json"] : []), as: "admin")
        #expect(rebuilt.status == 0, "rebuild refused: \(rebuilt.stderr)")
        if json {
            let report = try JSONValue(parsing: rebuilt.stdout)
            let exceptions = try #require(report["exceptions"]?.arrayValue)
            #expect(exceptions.count == 1)
            #expect(exceptions.first?["seq"] == .integer(Int64(exploited)))
            #expect(exceptions.first?["kind"] == "view.recorded")
            #expect(exceptions.first?["rule"]?.stringValue?.contains("initial examination") == true)
            #expect(exceptions.first?["projected"]?.stringValue?.contains("counts as a look") == true)
        } else {
            #expect(rebuilt.stdout.contains("entry \(exploited) (view.recorded)"), "\(rebuilt.stdout)")
            #expect(rebuilt.stdout.contains("initial examination"))
        }
        // Conservative: both recorded looks count, so the next one is refused.
        #expect(try Self.look(cli).status == 2)
        let views = try JSONValue(parsing: try cli.ok(["views", "--json"])).arrayValue ?? []
        #expect(views.count == 3)
    }

    /// Every projected field is compared, not only counts or a few columns.
    @Test(arguments: [
        ("UPDATE users SET rank = 'Chief Executive' WHERE user_id = 'ivan';", "user ivan (rank)"),
        ("UPDATE users SET name = 'Someone Else' WHERE user_id = 'mo';", "user mo (name)"),
        ("UPDATE users SET enrolled_seq = 99 WHERE user_id = 'ivy';", "user ivy (enrolled_seq)"),
        ("UPDATE users SET head_of_paid_service = 1 WHERE user_id = 'mo';", "user mo (head_of_paid_service)"),
        ("UPDATE authorisations SET updated_seq = 1;", "(updated_seq)"),
        ("INSERT INTO authorisation_profiles (profile_key, urn, mac) VALUES ('facebook:other', 'DS-2026-0099', x'00');", "profile index"),
        ("UPDATE views SET time_ms = time_ms - 86400000;", "(time)"),
        ("UPDATE views SET viewer = 'ivy';", "(viewer)"),
        ("UPDATE views SET case_ref = 'OTHER';", "(case_ref)"),
        ("UPDATE register_meta SET value = 'ripa.test-council.gov.uk/register+00000000+AAAA' WHERE key = 'verifier_key';", "verifier_key"),
        ("UPDATE register_meta SET value = '0' WHERE key = 'policy_seq';", "policy_seq"),
    ])
    func replayComparesEveryField(statement: String, named: String) throws {
        let (cli, _) = try Self.liveCase()
        defer { cli.cleanUp() }
        #expect(try Self.look(cli).status == 0)
        #expect(try cli.run(["verify", "--replay"]).status == 0)
        try cli.sql(statement)
        let replay = try cli.run(["verify", "--replay"])
        #expect(replay.status == 1, "verify --replay passed after: \(statement)")
        #expect(replay.stderr.contains(named), "\(replay.stderr)")
        try cli.ok(["rebuild"], as: "admin")
        #expect(try cli.run(["verify", "--replay"]).status == 0)
    }

    @Test func editedPolicyInForceIsNotTrusted() throws {
        let (cli, _) = try Self.liveCase()
        defer { cli.cleanUp() }
        try cli.sql("UPDATE register_meta SET value = '0' WHERE key = 'policy_seq';")
        let before = try LifecycleCLI.entries(cli).count
        try Self.expectRefusedAsTampered(try Self.look(cli), cli, entriesBefore: before)
    }

    @Test func keyRotationKeepsTheProjectionsAuthenticated() throws {
        let (cli, urn) = try Self.liveCase()
        defer { cli.cleanUp() }
        #expect(try Self.look(cli).status == 0)
        try cli.ok(["key", "rotate", "--reason", "scheduled"], as: "admin")
        // Rows written before the rotation are read under the new key.
        #expect(try Self.look(cli).status == 2)
        #expect(try Self.look(cli, urn: urn).status == 0)
        try cli.ok(["user", "add", "aud", "--name", "Aud", "--roles", "auditor", "--rank", "Auditor"], as: "admin", environment: ["RIPA_NEW_PASSPHRASE": CLI.passphrase(for: "aud")])
        #expect(try cli.ok(["verify", "--replay"]).contains("OK"))
        try cli.ok(["rebuild"], as: "admin")
        #expect(try Self.look(cli, urn: urn).status == 0, "rebuild tags under the key the log names as current")
    }

    @Test func keyRotationDoesNotLaunderAnEditedRow() throws {
        let (cli, _) = try Self.liveCase()
        defer { cli.cleanUp() }
        try cli.sql("UPDATE users SET roles = 'investigator,monitoring-officer' WHERE user_id = 'ivan';")
        let before = try LifecycleCLI.entries(cli).count
        let result = try cli.run(["key", "rotate", "--reason", "scheduled"], as: "admin")
        try Self.expectRefusedAsTampered(result, cli, entriesBefore: before)
        try cli.ok(["rebuild"], as: "admin")
        try cli.ok(["key", "rotate", "--reason", "scheduled"], as: "admin")
        #expect(try cli.ok(["verify", "--replay"]).contains("OK"))
    }

    @Test func deletedCaseRowDoesNotHandOutItsURNAgain() throws {
        let (cli, urn) = try Self.liveCase()
        defer { cli.cleanUp() }
        #expect(urn == "DS-2026-0001")
        #expect(try LifecycleCLI.apply(cli, LifecycleCLI.application(operation: "Op Heron")) == "DS-2026-0002")
        try cli.sql("DELETE FROM authorisations WHERE urn = 'DS-2026-0001';")
        let before = try LifecycleCLI.entries(cli).count
        let result = try cli.run(LifecycleCLI.application(operation: "Op Wren"), as: "ivan")
        try Self.expectRefusedAsTampered(result, cli, entriesBefore: before)
    }
}
