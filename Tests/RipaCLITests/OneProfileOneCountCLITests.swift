import Foundation
import Ledger
import Testing

/// Issue 8 §3, "The gate: one profile, one count", through the real binary. Each test plays
/// the investigator who wants another "first look" at a profile already looked at: after an
/// authorised look, through a spelling of an unknown site the register cannot tell apart, through
/// an archive, cache, translator, redirector or mirror, or under the account's other identifier.
extension ViewingGateCLITests {
    // MARK: 1. Every allowed look counts

    @Test func aLookUnderAnAuthorisationUsesTheInitialExaminationAndOutlivesTheCancellation() throws {
        let gate = try GateRegister.make()
        defer { gate.cleanUp() }
        let urn = try #require(gate.urn)
        try gate.authorise(urn)
        // The first look at the profile is under the authorisation.
        let authorised = try gate.view(urn: urn)
        #expect(authorised.status == 0, "\(authorised.stderr)")
        try gate.cancel(urn)

        // After the cancellation a bare look is not a first look: the profile has been looked at.
        let fresh = try gate.view(as: "ivy", caseRef: "FR/2026/099")
        #expect(fresh.status == 2, "a fresh initial examination after an authorised look: \(fresh.stdout)")
        #expect(fresh.oneLineError)
        #expect(fresh.stderr.contains("already had its 1 initial examination"), "\(fresh.stderr)")
        #expect(fresh.stderr.contains("under an authorisation"))
        #expect(try gate.views().compactMap { $0["outcome"]?.stringValue } == ["authorised", "refused"])
        try gate.replayVerifies()
    }

    @Test func aRefusedLookIsNotALook() throws {
        let gate = try GateRegister.make()
        defer { gate.cleanUp() }
        let urn = try #require(gate.urn)
        try adoptWindow(gate, allowed: 2, days: 30)
        #expect(try gate.view().status == 0)
        try gate.grant(urn)
        // Cited before the JP approves it: refused, and the refusal uses nothing up.
        #expect(try gate.view(as: "ivan", urn: urn).status == 2)
        #expect(try gate.view(as: "ivy").status == 0, "the second of two allowed looks")
        let third = try gate.view(as: "ivy")
        #expect(third.status == 2)
        #expect(try gate.views().compactMap { $0["outcome"]?.stringValue } == ["initial", "refused", "initial", "refused"])
        try gate.replayVerifies()
    }

    @Test func anAuthorisedLookCountsTowardsAWiderAllowance() throws {
        let gate = try GateRegister.make()
        defer { gate.cleanUp() }
        let urn = try #require(gate.urn)
        try adoptWindow(gate, allowed: 2, days: 30)
        try gate.authorise(urn)
        #expect(try gate.view(urn: urn).status == 0)
        #expect(try gate.view(as: "ivy").status == 0, "one authorised look and one initial make two")
        #expect(try gate.view(as: "ivy").status == 2)
        try gate.replayVerifies()
    }

    // MARK: 2. Unknown sites: what the register cannot tell apart is one profile

    static let unknownSiteRepeats: [(String, String)] = [
        ("https://forum.example.org/members/jo.bloggs", "https://forum.example.org/members/jo.bloggs?x=1"),
        ("https://forum.example.org/members/jo.bloggs?x=1", "https://forum.example.org/members/jo.bloggs?x=2"),
        ("https://forum.example.org/members/jo.bloggs", "https://forum.example.org/Members/Jo.Bloggs"),
        ("https://forum.example.org/members/jo.bloggs", "https://forum.example.org/members/jo.bloggs/index.html"),
        ("https://forum.example.org/members/jo.bloggs", "https://forum.example.org/members/jo.bloggs;jsessionid=8F2A"),
        ("https://forum.example.org/members/jo.bloggs", "https://forum.example.org/members/jo.bloggs%20/"),
        ("https://forum.example.org/members/jo.bloggs", "https://forum.example.org:443//members//jo.bloggs//#top"),
        ("https://forum.example.org/members/caf\u{E9}", "https://forum.example.org/members/cafe\u{301}"),
        ("https://forum.example.org/members/cafe\u{301}", "https://forum.example.org/members/CAF%C3%89"),
        ("https://www.youtube.com/@caf\u{E9}", "https://www.youtube.com/@cafe\u{301}"),
        ("https://www.linkedin.com/in/jos\u{E9}-bloggs", "https://uk.linkedin.com/in/jose\u{301}-bloggs"),
    ]

    @Test(arguments: unknownSiteRepeats)
    func anotherSpellingTheRegisterCannotTellApartIsARepeat(_ first: String, _ second: String) throws {
        let gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        #expect(try gate.view(first).status == 0)
        let again = try gate.view(second, as: "ivy")
        #expect(again.status == 2, "\(second) gave a fresh first look: \(again.stdout)")
        let views = try gate.viewEntries()
        #expect(views.map(\.kind) == ["view.recorded", "view.refused"])
        // The key is the same bytes, not merely an equal Swift string.
        let keys = views.compactMap { $0.body["profile"]?.stringValue }.map { Array($0.utf8) }
        #expect(keys.count == 2 && keys[0] == keys[1])
        // The exact bytes were recorded and replay (without the memo) reaches the same key.
        #expect(views.last?.body["address"]?.stringValue.map { Array($0.utf8) } == Array(second.utf8))
        try gate.replayVerifies()
    }

    @Test func identifyingParametersOfAForumStillTellMembersApart() throws {
        let gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        #expect(try gate.view("https://forum.example.org/member.php?u=12&x=1").status == 0)
        #expect(try gate.view("https://forum.example.org/member.php?u=13").status == 0)
        #expect(try gate.view("https://forum.example.org/Member.php?x=2&u=12", as: "ivy").status == 2)
        let keys = try gate.viewEntries().compactMap { $0.body["profile"]?.stringValue }
        #expect(keys == ["web:forum.example.org/member.php?u=12", "web:forum.example.org/member.php?u=13", "web:forum.example.org/member.php?u=12"])
    }

    // MARK: 3. Archives, caches, translators, redirectors, mirrors

    static let copiesOfJo = [
        "https://archive.ph/newest/https://www.facebook.com/jo.bloggs",
        "https://archive.ph/2025.06.01-101010/https://www.facebook.com/jo.bloggs",
        "https://web.archive.org/web/20250601101010/https://www.facebook.com/jo.bloggs",
        "https://webcache.googleusercontent.com/search?q=cache:https://www.facebook.com/jo.bloggs",
        "https://www-facebook-com.translate.goog/jo.bloggs",
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.facebook.com%2Fjo.bloggs&h=AT1",
        "https://www.google.com/url?q=https://www.facebook.com/jo.bloggs&sa=D",
        "https://web.archive.org/web/2025/https://www-facebook-com.translate.goog/jo.bloggs",
    ]

    @Test(arguments: copiesOfJo)
    func aCopyOfTheProfileIsTheProfile(_ copy: String) throws {
        let gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        #expect(try gate.view().status == 0)
        let again = try gate.view(copy, as: "ivy")
        #expect(again.status == 2, "\(copy) gave a fresh first look: \(again.stdout)")
        let refused = try #require(try gate.viewEntries().last)
        #expect(refused.body["profile"] == .string(GateRegister.key))
        #expect(refused.body["address"] == .string(copy))
        try gate.replayVerifies()
    }

    static let mirrors = [
        "https://nitter.net/jo_bloggs", "https://nitter.poast.org/jo_bloggs/status/1", "https://xcancel.com/jo_bloggs",
        "https://yewtu.be/@jobloggs", "https://invidious.example.net/channel/UCabcdefghijklmnopqrst-_",
    ]

    @Test(arguments: mirrors)
    func aMirrorIsRefusedAndNothingIsWritten(_ mirror: String) throws {
        let gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        let before = try gate.size()
        let result = try gate.view(mirror)
        #expect(result.status == 1)
        #expect(result.oneLineError, "\(result.stderr)")
        #expect(result.stderr.contains("third-party front-end") && result.stderr.contains("itself"), "\(result.stderr)")
        #expect(try gate.size() == before)
    }

    @Test func theCopiesAndMirrorsInForceAreThePacksAndReplayUsesThePackInForceAtEachEntry() throws {
        let gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        let copy = "https://copies.example/2025/https://www.facebook.com/jo.bloggs"
        #expect(try gate.view().status == 0)
        // Not in the shipped list: an unknown site of its own.
        let before = try gate.view(copy, as: "ivy")
        #expect(before.status == 0)
        #expect(try gate.viewEntries().last?.body["profile"] == "web:copies.example/2025/https:/www.facebook.com/jo.bloggs")

        // The authority adds it to its pack.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var pack = try String(contentsOf: root.appendingPathComponent("Policies/england-wales-local-authority.yaml"), encoding: .utf8)
        for (old, new) in [
            ("\nversion: 1\n", "\nversion: 2\n"),
            ("  copies:\n", "  copies:\n    - {host: copies.example, address_in: path}\n"),
        ] {
            #expect(pack.contains(old))
            pack = pack.replacingOccurrences(of: old, with: new)
        }
        let path = gate.cli.directory.appendingPathComponent("copies.yaml")
        try pack.write(to: path, atomically: true, encoding: .utf8)
        try gate.cli.ok(["policy", "adopt", path.path, root.appendingPathComponent("Policies/offences.yaml").path], as: "admin")

        let after = try gate.view(copy, as: "ivy")
        #expect(after.status == 2, "\(after.stdout)")
        #expect(try gate.viewEntries().last?.body["profile"] == .string(GateRegister.key))
        // The earlier look was keyed under the pack then in force, and replay agrees with both.
        try gate.replayVerifies()
    }

    // MARK: 4. Aliases

    @Test func anAliasRecordedByTheMonitoringOfficerCountsAndAuthorisesTwoIdentifiersAsOne() throws {
        let gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        let handle = "https://x.com/jo_bloggs", id = "https://x.com/i/user/1234567"
        #expect(try gate.view(handle).status == 0)
        // Without an alias the numeric id is another profile: the attack the alias closes.
        #expect(try gate.view(id, as: "ivy").status == 0)

        let evidence = "X profile page shows @jo_bloggs with user id 1234567 (screenshot in FR/2026/017)"
        // Only a monitoring officer may record it.
        let byInvestigator = try gate.cli.run(["alias", handle, id, "--evidence", evidence], as: "ivan")
        #expect(byInvestigator.status == 1 && byInvestigator.oneLineError && byInvestigator.stderr.contains("monitoring-officer"), "\(byInvestigator.stderr)")
        let recorded = try gate.cli.run(["alias", handle, id, "--evidence", evidence, "--json"], as: "mo")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let answer = try JSONValue(parsing: recorded.stdout)
        #expect(answer["profiles"] == ["x:jo_bloggs", "x:id:1234567"])
        let entry = try #require(try gate.entries().last)
        #expect(entry.kind == "profile.aliased")
        #expect(entry.body["profiles"] == ["x:jo_bloggs", "x:id:1234567"])
        #expect(entry.body["evidence"] == .string(evidence))

        // Now a look at either is a repeat of both.
        let after = try gate.view("https://twitter.com/Jo_Bloggs", as: "ivy")
        #expect(after.status == 2)
        #expect(after.stderr.contains("already had"), "\(after.stderr)")
        #expect(try gate.view("https://x.com/intent/user?user_id=1234567").status == 2)

        // An authorisation naming the id covers the handle.
        let urn = try gate.apply(identities: [id])
        try gate.authorise(urn)
        let covered = try gate.view(handle, urn: urn)
        #expect(covered.status == 0, "\(covered.stderr)")
        let uncited = try gate.view(handle)
        #expect(uncited.stderr.contains("--authorisation \(urn)"), "\(uncited.stderr)")

        // Listed, for people and scripts.
        let list = try #require(try JSONValue(parsing: try gate.cli.ok(["aliases", "--json"])).arrayValue)
        #expect(list.count == 1)
        #expect(list.first?["recorded_by"] == "mo")
        #expect(list.first?["group"] == ["x:id:1234567", "x:jo_bloggs"])
        #expect(list.first?["evidence"] == .string(evidence))
        #expect(try gate.cli.ok(["aliases"]).contains("x:jo_bloggs"))
        // `views --profile` lists the account's looks under either identifier.
        let history = try gate.views(["--profile", id])
        #expect(Set(history.compactMap { $0["profile"]?.stringValue }) == ["x:jo_bloggs", "x:id:1234567"])
        #expect(history.count == 6)
        try gate.replayVerifies()
    }

    enum BadAlias: String, CaseIterable, CustomTestStringConvertible {
        case selfAlias, sameAccountSpelledTwice, alreadyAliased, alreadyAliasedTransitively, noEvidence, mirror

        var testDescription: String { rawValue }
    }

    @Test(arguments: BadAlias.allCases)
    func aUselessOrUnsupportedAliasIsRefusedWithAClearMessage(_ bad: BadAlias) throws {
        let gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        let evidence = ["--evidence", "the profile page shows both"]
        try gate.cli.ok(["alias", "https://x.com/jo_bloggs", "https://x.com/i/user/1"] + evidence, as: "mo")
        try gate.cli.ok(["alias", "https://x.com/i/user/1", "https://x.com/jb_alt"] + evidence, as: "mo")
        let arguments: [String]
        let says: String
        switch bad {
        case .selfAlias:
            arguments = ["https://x.com/jo_bloggs", "https://x.com/jo_bloggs"] + evidence
            says = "cannot be an alias of itself"
        case .sameAccountSpelledTwice:
            arguments = ["https://twitter.com/Jo_Bloggs/status/1", "https://x.com/jo_bloggs"] + evidence
            says = "cannot be an alias of itself"
        case .alreadyAliased:
            arguments = ["https://x.com/i/user/1", "https://x.com/jo_bloggs"] + evidence
            says = "already recorded as one account"
        case .alreadyAliasedTransitively:
            arguments = ["https://x.com/jb_alt", "https://twitter.com/jo_bloggs"] + evidence
            says = "already recorded as one account"
        case .noEvidence:
            arguments = ["https://x.com/jo_bloggs", "https://x.com/someone_else", "--evidence", " \n"]
            says = "--evidence"
        case .mirror:
            arguments = ["https://x.com/jo_bloggs", "https://nitter.net/jo_bloggs2"] + evidence
            says = "itself"
        }
        let before = try gate.size()
        let result = try gate.cli.run(["alias"] + arguments, as: "mo")
        #expect(result.status == 1)
        #expect(result.oneLineError, "\(result.stderr)")
        #expect(result.stderr.contains(says), "\(result.stderr)")
        #expect(try gate.size() == before)
        // The transitive group is the three keys.
        let list = try #require(try JSONValue(parsing: try gate.cli.ok(["aliases", "--json"])).arrayValue)
        #expect(list.last?["group"] == ["x:id:1", "x:jb_alt", "x:jo_bloggs"])
        try gate.replayVerifies()
    }

    @Test func replayCatchesAnAliasProjectionThatDisagreesWithTheLog() throws {
        let gate = try GateRegister.make(application: false)
        defer { gate.cleanUp() }
        try gate.cli.ok(["alias", "https://x.com/jo_bloggs", "https://x.com/i/user/1", "--evidence", "profile page"], as: "mo")
        #expect(try gate.view("https://x.com/jo_bloggs").status == 0)
        try gate.replayVerifies()
        // The attacker holding the database deletes the alias so the id gets a first look.
        try gate.cli.sql("DELETE FROM profile_aliases")
        #expect(try gate.view("https://x.com/i/user/1", as: "ivy").status == 0)
        let result = try gate.cli.run(["verify", "--replay"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("alias") || result.stderr.contains("alias") || result.stderr.contains("view.recorded"),
                "\(result.stdout) \(result.stderr)")
    }
}
