import Foundation
import Ledger
import Testing

/// A register set up for the viewing gate: investigators `ivan` and `ivy`, monitoring
/// officer `mo`, auditor `aud`, and (optionally) ivan's directed surveillance application
/// naming Jo Bloggs, whose online identity is https://www.facebook.com/jo.bloggs.
struct GateRegister {
    static let address = "https://www.facebook.com/jo.bloggs"
    static let key = "facebook:jobloggs"
    static let start = "2026-01-10T09:00:00Z"

    var cli: CLI
    /// ivan's application naming Jo Bloggs, if made.
    var urn: String?

    /// - Parameter application: make ivan's application (DS-2026-0001), not yet granted.
    static func make(application: Bool = true) throws -> GateRegister {
        // The register is created under the test clock too: entry times never go backwards,
        // so a genesis stamped with the real time would pull every later entry to it.
        var cli = try CLI.withRegister(clock: start)
        try cli.enrol("ivan", roles: "investigator", rank: "Senior Fraud Investigator")
        try cli.enrol("ivy", roles: "investigator", rank: "Fraud Investigator")
        try cli.enrol("mo", roles: "monitoring-officer", rank: "Director of Law")
        try cli.enrol("aud", roles: "auditor", rank: "Internal Audit Manager")
        var gate = GateRegister(cli: cli)
        if application { gate.urn = try gate.apply(identities: [address]) }
        return gate
    }

    func cleanUp() { cli.cleanUp() }

    /// ivan applies for directed surveillance of a subject with these online identities
    /// (team: ivan); returns the URN.
    func apply(identities: [String], operation: String = "Operation Ledger") throws -> String {
        var arguments = [
            "apply", "--type", "directed-surveillance", "--operation", operation,
            "--purpose", "detecting a benefit fraud", "--subject", "Jo Bloggs", "--offence", "fraud-act-2006-s1",
            "--necessity", "no other way to establish the undeclared business",
            "--proportionality", "least intrusive means; limited to the public profile",
            "--collateral-intrusion", "friends' comments are not recorded", "--json",
        ]
        for identity in identities { arguments += ["--online-identity", identity] }
        let json = try JSONValue(parsing: try cli.ok(arguments, as: "ivan"))
        return try #require(json["urn"]?.stringValue)
    }

    func grant(_ urn: String) throws {
        try cli.ok(["grant", urn, "--reasons", "necessary and proportionate for the fraud investigation"], as: "mo")
    }

    /// Records the JP's decision, taken at the register's current clock.
    func judicial(_ urn: String, _ decision: String = "approved") throws {
        try cli.ok([
            "judicial", urn, "--decision", decision, "--court", "Westminster Magistrates' Court",
            "--magistrate", "DJ Smith", "--at", cli.clock ?? Self.start,
        ], as: "mo")
    }

    /// Grants and JP-approves.
    func authorise(_ urn: String) throws {
        try grant(urn)
        try judicial(urn)
    }

    func cancel(_ urn: String) throws {
        try cli.ok(["cancel", urn, "--reason", "subject identified", "--value-obtained", "address confirmed"], as: "mo")
    }

    /// `ripa view URL --as USER --case REF --purpose TEXT [--authorisation URN]`.
    func view(
        _ url: String = address, as user: String = "ivan", caseRef: String = "FR/2026/017",
        purpose: String = "confirm the trading name", urn: String? = nil
    ) throws -> CLI.Result {
        var arguments = ["view", url, "--case", caseRef, "--purpose", purpose]
        if let urn { arguments += ["--authorisation", urn] }
        return try cli.run(arguments, as: user)
    }

    /// Every entry of the log, parsed from `ripa log --json`.
    func entries() throws -> [Entry] {
        try cli.ok(["log", "--json", "--opened"]).split(separator: "\n").map { try Entry(leafData: Array($0.utf8)) }
    }

    /// The view entries (view.recorded and view.refused), oldest first.
    func viewEntries() throws -> [Entry] {
        try entries().filter { $0.kind.hasPrefix("view.") }
    }

    /// The log's size from `ripa info --json`.
    func size() throws -> Int64 {
        try #require(try JSONValue(parsing: try cli.ok(["info", "--json"]))["size"]?.integerValue)
    }

    /// `ripa views … --json`.
    func views(_ filters: [String] = []) throws -> [JSONValue] {
        try #require(try JSONValue(parsing: try cli.ok(["views"] + filters + ["--json"])).arrayValue)
    }

    /// `ripa verify --replay` succeeds.
    func replayVerifies(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try cli.run(["verify", "--replay"])
        #expect(result.status == 0, "verify --replay failed: \(result.stdout) \(result.stderr)", sourceLocation: sourceLocation)
    }
}

extension CLI.Result {
    /// stderr is exactly one non-empty line.
    var oneLineError: Bool {
        let text = stderr.trimmingCharacters(in: .newlines)
        return !text.isEmpty && !text.contains("\n")
    }
}

/// The open-source viewing gate end to end (RIPA.md §5; issue 4 items 2, 3 and 5): the
/// first look at a profile is allowed, a repeat is refused unless it cites a live
/// authorisation covering the profile and the viewer, and every decision is a signed entry.
@Suite struct ViewingGateCLITests {
    // MARK: First look, repeat

    @Test func firstLookIsAllowedAndTheRepeatIsRefusedWhoeverLooks() throws {
        let gate = try GateRegister.make()
        defer { gate.cleanUp() }

        let first = try gate.view()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("initial examination"))
        let recorded = try #require(try gate.viewEntries().last)
        #expect(recorded.kind == "view.recorded")
        #expect(recorded.body["basis"] == "initial-examination")
        #expect(recorded.body["profile"] == .string(GateRegister.key))
        #expect(recorded.body["address"] == .string(GateRegister.address))
        #expect(recorded.body["case_ref"] == "FR/2026/017")
        #expect(recorded.body["purpose"] == "confirm the trading name")
        #expect(recorded.body["urn"]?.isNull ?? true)

        // The same investigator again: refused, recorded with the reason, told what to do.
        let again = try gate.view()
        #expect(again.status == 2)
        #expect(again.oneLineError, "\(again.stderr)")
        #expect(again.stderr.contains("ripa apply"))
        let refused = try #require(try gate.viewEntries().last)
        #expect(refused.kind == "view.refused")
        #expect(refused.seq == recorded.seq + 1)
        #expect(refused.body["basis"]?.isNull ?? true)
        // The signed body records the refusal as data: the gate's reason and its values,
        // never the CLI's wording (body version 2).
        #expect(refused.body["body_version"] == .integer(2))
        #expect(refused.body["reason"] == nil)
        #expect(refused.body["refusal"]?["reason"] == "gate.initialAllowanceUsed")
        #expect(refused.body["refusal"]?["values"] == .object(["profile": .string(GateRegister.key), "allowance": "1"]))
        #expect(!refused.body.canonicalString.contains("ripa ") && !refused.body.canonicalString.contains("--"), "\(refused.body)")
        // The CLI still says what to do: its hint names the command.
        #expect(again.stderr.contains("initial examination") && again.stderr.contains("`ripa apply`"), "\(again.stderr)")

        // Another investigator: counting is by profile across the authority.
        let other = try gate.view(as: "ivy", caseRef: "FR/2026/099")
        #expect(other.status == 2)
        #expect(other.oneLineError)

        // --json says the same, for scripts.
        let json = try gate.cli.run(["view", "fb.com/jo.bloggs", "--case", "FR/2026/099", "--purpose", "again", "--json"], as: "ivy")
        #expect(json.status == 2)
        let answer = try JSONValue(parsing: json.stdout)
        #expect(answer["allowed"] == false)
        #expect(answer["profile"] == .string(GateRegister.key))
        #expect(answer["reason"]?.stringValue?.contains("ripa apply") == true)
        #expect(answer["refusal"]?["reason"] == "gate.initialAllowanceUsed")
        #expect(answer["refusal"]?["values"]?["profile"] == .string(GateRegister.key))
        #expect(answer["refusal"]?["hint"]?.stringValue?.contains("`ripa apply`") == true)
        #expect(answer["refusal"]?["message"]?.stringValue?.contains("ripa") == false)
        let views = try gate.viewEntries()
        #expect(answer["seq"] == views.last.map { .integer(Int64($0.seq)) })
        #expect(views.map(\.kind) == ["view.recorded", "view.refused", "view.refused", "view.refused"])
        #expect(views.filter { $0.body["basis"] == "initial-examination" }.count == 1)
        // The signer is the viewer.
        #expect(try gate.views().compactMap { $0["viewer"]?.stringValue } == ["ivan", "ivan", "ivy", "ivy"])
        try gate.replayVerifies()
    }

    @Test func theRepeatIsAllowedUnderALiveAuthorisationAndListedUnderIt() throws {
        let gate = try GateRegister.make()
        defer { gate.cleanUp() }
        let urn = try #require(gate.urn)
        #expect(try gate.view().status == 0)
        try gate.authorise(urn)

        // Refused without citing it, but the message names the live authorisation.
        let uncited = try gate.view()
        #expect(uncited.status == 2)
        #expect(uncited.oneLineError)
        #expect(uncited.stderr.contains("--authorisation \(urn)"), "\(uncited.stderr)")

        let cited = try gate.view(caseRef: "FR/2026/017", purpose: "record the posts about the business", urn: urn)
        #expect(cited.status == 0, "\(cited.stderr)")
        #expect(cited.stdout.contains("under \(urn)"))
        let entry = try #require(try gate.viewEntries().last)
        #expect(entry.kind == "view.recorded")
        #expect(entry.body["basis"] == "authorisation")
        #expect(entry.body["urn"] == .string(urn))

        // Any spelling of the profile is covered.
        #expect(try gate.view("fb.com/jo.bloggs", urn: urn).status == 0)

        let status = try gate.cli.ok(["status", urn])
        #expect(status.contains("Views under this authorisation: 2"), "\(status)")
        #expect(status.contains("ivan  \(GateRegister.key)  case FR/2026/017"))
        let statusJSON = try JSONValue(parsing: try gate.cli.ok(["status", urn, "--json"]))
        #expect(statusJSON["views"]?.arrayValue?.count == 2)

        let under = try gate.views(["--authorisation", urn])
        #expect(under.count == 2)
        #expect(under.allSatisfy { $0["outcome"] == "authorised" && $0["urn"] == .string(urn) && $0["viewer"] == "ivan" })
        #expect(under.first?["seq"] == .integer(Int64(entry.seq)))
        try gate.replayVerifies()
    }

    /// Authorisations that must not let a repeat view through.
    enum Unfit: String, CaseIterable, CustomTestStringConvertible {
        case notYetGranted, grantedNotApproved, expired, cancelled, wrongProfile, wrongTeam, unknownURN, refusedByJP, refusedByOfficer

        var testDescription: String { rawValue }

        /// What the recorded reason must say.
        var reasonFragment: String {
            switch self {
            case .notYetGranted: "is applied"
            case .grantedNotApproved: "granted-awaiting-approval"
            case .expired: "is expired"
            case .cancelled: "is cancelled"
            case .wrongProfile: "does not name facebook:jobloggs"
            case .wrongTeam: "ivy is not on the team"
            case .unknownURN: "is not a case"
            case .refusedByJP, .refusedByOfficer: "is refused"
            }
        }

        /// The gate's reason code, as `view.refused` records it.
        var refusalReason: String {
            switch self {
            case .wrongProfile: "gate.profileNotCovered"
            case .wrongTeam: "gate.viewerNotOnTeam"
            case .unknownURN: "gate.unknownCase"
            default: "gate.authorisationNotLive"
            }
        }
    }

    @Test(arguments: Unfit.allCases)
    func theRepeatIsRefusedUnderAnAuthorisationThatIsNotLiveOrDoesNotCover(_ unfit: Unfit) throws {
        var gate = try GateRegister.make()
        defer { gate.cleanUp() }
        var urn = try #require(gate.urn)
        var viewer = "ivan"
        #expect(try gate.view().status == 0)
        switch unfit {
        case .notYetGranted:
            break
        case .grantedNotApproved:
            try gate.grant(urn)
        case .expired:
            // Approved on 10 January: three months run to the end of 9 April (Europe/London, BST).
            try gate.authorise(urn)
            gate.cli.clock = "2026-04-09T22:59:59.999Z"
            #expect(try gate.view(urn: urn).status == 0, "still live at its last millisecond")
            gate.cli.clock = "2026-04-09T23:00:00.000Z"
        case .cancelled:
            try gate.authorise(urn)
            try gate.cancel(urn)
        case .wrongProfile:
            // A live authorisation for someone else's profile.
            urn = try gate.apply(identities: ["https://www.facebook.com/someone.else"], operation: "Operation Other")
            try gate.authorise(urn)
        case .wrongTeam:
            try gate.authorise(urn)
            viewer = "ivy"
        case .unknownURN:
            urn = "DS-2026-0099"
        case .refusedByJP:
            try gate.grant(urn)
            try gate.judicial(urn, "refused")
        case .refusedByOfficer:
            try gate.cli.ok(["refuse", urn, "--reasons", "not proportionate"], as: "mo")
        }
        let before = try gate.viewEntries().count

        let result = try gate.view(as: viewer, urn: urn)
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        #expect(result.oneLineError, "\(result.stderr)")
        #expect(result.stderr.contains(unfit.reasonFragment), "\(result.stderr)")
        let views = try gate.viewEntries()
        #expect(views.count == before + 1)
        let refused = try #require(views.last)
        #expect(refused.kind == "view.refused")
        #expect(refused.body["urn"] == .string(urn))
        // Recorded as the gate's reason and its values (body version 2), not as text.
        #expect(refused.body["body_version"] == 2)
        #expect(refused.body["refusal"]?["reason"] == .string(unfit.refusalReason), "\(refused.body)")
        #expect(refused.body["refusal"]?["values"]?["urn"] == .string(urn))
        // The refusal is history, not a view under the authorisation.
        let authorised = try gate.views(["--authorisation", urn]).filter { $0["outcome"] == "authorised" }
        #expect(authorised.count == (unfit == .expired ? 1 : 0))
        if unfit != .unknownURN {
            let status = try JSONValue(parsing: try gate.cli.ok(["status", urn, "--json"]))
            #expect(status["views"]?.arrayValue?.count == (unfit == .expired ? 1 : 0))
        }
        try gate.replayVerifies()
    }

    // MARK: Same profile, however written

    static let sameProfile = [
        "http://m.facebook.com/Jo.Bloggs/?fbclid=x",
        "https://facebook.com/jobloggs#about",
        "fb.com/jo.bloggs",
        "HTTPS://WWW.FACEBOOK.COM/jo.bloggs/",
        "https://mobile.facebook.com/jo%2Ebloggs?ref=bookmarks",
    ]

    @Test(arguments: sameProfile)
    func anotherSpellingOfTheSameAddressIsARepeat(_ spelling: String) throws {
        let gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        #expect(try gate.view().status == 0)
        let result = try gate.view(spelling, as: "ivy")
        #expect(result.status == 2, "\(spelling): \(result.stdout) \(result.stderr)")
        let refused = try #require(try gate.viewEntries().last)
        #expect(refused.kind == "view.refused")
        #expect(refused.body["profile"] == .string(GateRegister.key))
        #expect(refused.body["address"] == .string(spelling))
        // Listed under any spelling.
        #expect(try gate.views(["--profile", spelling]).count == 2)
    }

    /// A post of an account, a platform's alias, an unknown site's spellings: the second
    /// address names the account the first did.
    static let repeatPairs = [
        ("https://www.facebook.com/jo.bloggs/posts/123", "https://www.facebook.com/jo.bloggs/photos/a.1/2/"),
        ("https://x.com/Jo_Bloggs/status/1", "https://twitter.com/jo_bloggs"),
        ("https://www.instagram.com/jo.bloggs/p/ABC/", "https://www.instagram.com/Jo.Bloggs"),
        ("https://www.facebook.com/profile.php?id=100&fbclid=1", "https://m.facebook.com/profile.php?id=100"),
        ("https://EXAMPLE.com/jo/", "http://www.example.com/jo?utm_source=x"),
    ]

    @Test(arguments: repeatPairs)
    func thePostsAndAliasesOfAnAccountAreTheAccount(_ first: String, _ second: String) throws {
        let gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        #expect(try gate.view(first).status == 0)
        let result = try gate.view(second, as: "ivy")
        #expect(result.status == 2, "\(second): \(result.stdout) \(result.stderr)")
        let views = try gate.viewEntries()
        #expect(views.map(\.kind) == ["view.recorded", "view.refused"])
        #expect(views.first?.body["profile"] == views.last?.body["profile"])
    }

    static let otherProfiles = [
        ("https://www.facebook.com/jo.bloggs2", "facebook:jobloggs2"),
        ("https://www.facebook.com/jo.blogg", "facebook:joblogg"),
        ("https://www.instagram.com/jo.bloggs", "instagram:jo.bloggs"),
        ("https://x.com/jo_bloggs", "x:jo_bloggs"),
        ("https://www.facebook.com/profile.php?id=101", "facebook:id:101"),
        ("https://www.facebook.com/groups/jo.bloggs", "facebook:group:jo.bloggs"),
    ]

    @Test(arguments: otherProfiles)
    func aNearMissIsAnotherProfile(_ address: String, _ key: String) throws {
        let gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        #expect(try gate.view().status == 0)
        let result = try gate.view(address)
        #expect(result.status == 0, "\(address): \(result.stderr)")
        let recorded = try #require(try gate.viewEntries().last)
        #expect(recorded.kind == "view.recorded")
        #expect(recorded.body["basis"] == "initial-examination")
        #expect(recorded.body["profile"] == .string(key))
    }

    // MARK: Bad input: one line, exit 1, nothing written

    enum BadInput: String, CaseIterable, CustomTestStringConvertible {
        case notAWebAddress, mailto, postWithoutAccount, emptyCase, emptyPurpose, newlineCase, newlinePurpose, unknownUser, auditor

        var testDescription: String { rawValue }
    }

    @Test(arguments: BadInput.allCases)
    func badInputWritesNothing(_ bad: BadInput) throws {
        let gate = try GateRegister.make()
        defer { gate.cleanUp() }
        #expect(try gate.view().status == 0)
        let size = try gate.size()
        let result: CLI.Result
        let fragment: String
        switch bad {
        case .notAWebAddress:
            result = try gate.view("jo bloggs on facebook")
            fragment = "jo bloggs on facebook"
        case .mailto:
            result = try gate.view("mailto:jo@example.com")
            fragment = "mailto"
        case .postWithoutAccount:
            result = try gate.view("https://www.instagram.com/p/Cx1abc/")
            fragment = "instagram.com/p/Cx1abc"
        case .emptyCase:
            result = try gate.view(caseRef: " ")
            fragment = "--case"
        case .emptyPurpose:
            result = try gate.view(purpose: "")
            fragment = "--purpose"
        case .newlineCase:
            result = try gate.view("https://www.facebook.com/someone.new", caseRef: "\n")
            fragment = "--case"
        case .newlinePurpose:
            result = try gate.view("https://www.facebook.com/someone.new", purpose: "\t\n")
            fragment = "--purpose"
        case .unknownUser:
            result = try gate.cli.run(
                ["view", GateRegister.address, "--case", "FR/1", "--purpose", "look"], as: "nobody",
                environment: ["RIPA_PASSPHRASE": "whatever"])
            fragment = "nobody"
        case .auditor:
            result = try gate.view(as: "aud")
            fragment = "investigator"
        }
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        #expect(result.oneLineError, "\(result.stderr)")
        #expect(result.stderr.contains(fragment), "\(result.stderr)")
        #expect(try gate.size() == size)
    }

    // MARK: History

    @Test func viewsListsWhatWasRecordedAndReplayReChecksIt() throws {
        let gate = try GateRegister.make()
        defer { gate.cleanUp() }
        let urn = try #require(gate.urn)
        #expect(try gate.view(caseRef: "FR/1").status == 0)
        #expect(try gate.view("https://www.instagram.com/jo.bloggs", caseRef: "FR/2").status == 0)
        #expect(try gate.view("fb.com/jo.bloggs", as: "ivy", caseRef: "FR/2").status == 2)
        try gate.authorise(urn)
        #expect(try gate.view("m.facebook.com/Jo.Bloggs", caseRef: "FR/1", urn: urn).status == 0)

        let all = try gate.views()
        #expect(all.count == 4)
        #expect(all.compactMap { $0["outcome"]?.stringValue } == ["initial", "initial", "refused", "authorised"])
        #expect(all.compactMap { $0["seq"]?.integerValue } == all.compactMap { $0["seq"]?.integerValue }.sorted())

        for spelling in ["https://www.facebook.com/jo.bloggs", "fb.com/Jo.Bloggs/", "facebook.com/jobloggs?fbclid=1"] {
            let views = try gate.views(["--profile", spelling])
            #expect(views.count == 3, "\(spelling)")
            #expect(views.allSatisfy { $0["profile"] == .string(GateRegister.key) })
        }
        let fr2 = try gate.views(["--case", "FR/2"])
        #expect(fr2.compactMap { $0["profile"]?.stringValue } == ["instagram:jo.bloggs", GateRegister.key])
        #expect(fr2.compactMap { $0["viewer"]?.stringValue } == ["ivan", "ivy"])
        #expect(try gate.views(["--case", "FR/3"]).isEmpty)
        #expect(try gate.views(["--profile", "x.com/nobody"]).isEmpty)

        let table = try gate.cli.ok(["views", "--profile", "fb.com/jo.bloggs"])
        #expect(table.contains("authorised (\(urn))"))
        #expect(table.split(separator: "\n").count == 4)  // header and three views
        let none = try gate.cli.ok(["views", "--profile", "x.com/nobody"])
        #expect(none.contains("No views recorded of x:nobody"))

        let bad = try gate.cli.run(["views", "--profile", "https://www.instagram.com/p/Cx1abc/"])
        #expect(bad.status == 1 && bad.oneLineError)

        let replay = try gate.cli.ok(["verify", "--replay"])
        #expect(replay.contains("OK"), "\(replay)")
    }

    // MARK: The policy window

    /// The shipped pack with `unauthorised_views_allowed` and `window_days` changed, adopted.
    func adoptWindow(_ gate: GateRegister, allowed: Int, days: Int) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let policies = root.appendingPathComponent("Policies")
        var pack = try String(contentsOf: policies.appendingPathComponent("england-wales-local-authority.yaml"), encoding: .utf8)
        for (old, new) in [
            ("  unauthorised_views_allowed: 1\n", "  unauthorised_views_allowed: \(allowed)\n"),
            ("  window_days: null\n", "  window_days: \(days)\n"), ("\nversion: 1\n", "\nversion: 2\n"),
        ] {
            #expect(pack.contains(old), "the shipped pack no longer has \(old)")
            pack = pack.replacingOccurrences(of: old, with: new)
        }
        let path = gate.cli.directory.appendingPathComponent("windowed.yaml")
        try pack.write(to: path, atomically: true, encoding: .utf8)
        try gate.cli.ok(["policy", "adopt", path.path, policies.appendingPathComponent("offences.yaml").path], as: "admin")
        let shown = try JSONValue(parsing: try gate.cli.ok(["policy", "show", "--json"]))
        #expect(shown["policy"]?["pack"]?["open_source_viewing"]?["window_days"] == .integer(Int64(days)))
    }

    @Test func aWindowLetsTheProfileBeExaminedAgainOnceItHasPassed() throws {
        var gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        try adoptWindow(gate, allowed: 1, days: 7)
        #expect(try gate.view().status == 0)  // 10 January 09:00

        gate.cli.clock = "2026-01-15T09:00:00Z"
        let within = try gate.view(as: "ivy")
        #expect(within.status == 2)
        #expect(within.stderr.contains("in the last 7 days"), "\(within.stderr)")

        // Exactly seven days after the first look, it is still inside the window.
        gate.cli.clock = "2026-01-17T09:00:00.000Z"
        #expect(try gate.view().status == 2)

        gate.cli.clock = "2026-01-18T09:00:00Z"
        let after = try gate.view(as: "ivy")
        #expect(after.status == 0, "\(after.stderr)")
        let entry = try #require(try gate.viewEntries().last)
        #expect(entry.kind == "view.recorded" && entry.body["basis"] == "initial-examination")

        // The new initial examination opens a new window.
        gate.cli.clock = "2026-01-20T09:00:00Z"
        #expect(try gate.view().status == 2)

        #expect(try gate.views().compactMap { $0["outcome"]?.stringValue } == ["initial", "refused", "refused", "initial", "refused"])
        try gate.replayVerifies()
    }

    @Test func theWindowEdgeIsOneMillisecond() throws {
        var gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        try adoptWindow(gate, allowed: 1, days: 7)
        #expect(try gate.view().status == 0)  // 10 January 09:00:00.000
        gate.cli.clock = "2026-01-17T09:00:00.000Z"
        #expect(try gate.view().status == 2)
        gate.cli.clock = "2026-01-17T09:00:00.001Z"
        #expect(try gate.view().status == 0)
        try gate.replayVerifies()
    }

    @Test func anAllowanceOfTwoLetsTwoLooksThrough() throws {
        let gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        try adoptWindow(gate, allowed: 2, days: 30)
        #expect(try gate.view().status == 0)
        #expect(try gate.view("fb.com/jo.bloggs", as: "ivy").status == 0)
        let third = try gate.view()
        #expect(third.status == 2)
        #expect(third.stderr.contains("2 initial examinations"), "\(third.stderr)")
        try gate.replayVerifies()
    }

    // MARK: Concurrency

    /// Starts `ripa view` as a process without waiting for it.
    func launch(_ gate: GateRegister, _ url: String, as user: String) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["view", url, "--case", "FR/race", "--purpose", "race", "--as", user, "--db", gate.cli.db]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "RIPA_DB")
        environment["RIPA_PASSPHRASE"] = gate.cli.passphrases[user]
        environment["RIPA_CLOCK"] = gate.cli.clock
        process.environment = environment
        process.currentDirectoryURL = gate.cli.directory
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, err)
    }

    @Test func twoInvestigatorsAtTheSameInstantCannotBothHaveTheInitialExamination() throws {
        let gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        let profiles = (1...5).map { "https://www.facebook.com/race.subject\($0)" }
        for profile in profiles {
            let first = try launch(gate, profile, as: "ivan")
            let second = try launch(gate, profile, as: "ivy")
            var statuses: [Int32] = []
            for (process, err) in [first, second] {
                let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                #expect([0, 2].contains(process.terminationStatus), "\(profile): \(stderr)")
                statuses.append(process.terminationStatus)
            }
            #expect(statuses.sorted() == [0, 2], "\(profile): \(statuses)")
        }
        let views = try gate.viewEntries()
        for profile in profiles {
            let key = "facebook:" + profile.split(separator: "/").last!.replacingOccurrences(of: ".", with: "")
            let mine = views.filter { $0.body["profile"] == .string(key) }
            #expect(mine.filter { $0.kind == "view.recorded" && $0.body["basis"] == "initial-examination" }.count == 1, "\(key)")
            #expect(mine.filter { $0.kind == "view.refused" }.count == 1, "\(key)")
        }
        #expect(views.count == 10)
        try gate.replayVerifies()
    }
}
