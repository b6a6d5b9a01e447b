import Foundation
import Ledger
import Testing

/// No single person can run a case alone (issue 8 §2): enrolment is an invitation the person
/// accepts with their own key; `user passwd` replaces the key; privileged roles need a second
/// administrator; a real register starts with two; a sealed key must be its user's key in force.
/// Each attack is run through the real `ripa` binary, live and against `ripa verify`.
@Suite struct AccountTests {
    /// The output of a query against the register (the attacker reading the database file).
    static func query(_ cli: CLI, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print(r[0]) for r in c.execute(sys.argv[2])]", cli.db, sql]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A user's signing key as the attacker gets it: the sealed row and the passphrase.
    static func stolenKey(_ cli: CLI, _ sealed: String, passphrase: String) throws -> SigningKey {
        try SealedKey(serialized: sealed).unseal(passphrase: passphrase)
    }

    static func size(_ cli: CLI) throws -> Int64? {
        try JSONValue(parsing: try cli.ok(["info", "--json"]))["size"]?.integerValue
    }

    /// Appends an entry behind the tool's back, correctly signed and chained, signed by `key`
    /// (the entries_in_order trigger accepts the next seq). Returns its index.
    @discardableResult
    static func forge(_ cli: CLI, kind: String, body: JSONValue, signedBy key: SigningKey) throws -> UInt64 {
        // The stored bytes (not `log --opened`): the forged entry chains to the leaf as signed.
        let last = try #require(try cli.ok(["log", "--json"]).split(separator: "\n").last.map { try Entry(leafData: Array($0.utf8)) })
        let entry = Entry.sign(seq: last.seq + 1, time: last.time, kind: kind, prev: last.leafHash, body: body, with: key)
        let hex = entry.leafData.map { String(format: "%02x", $0) }.joined()
        try cli.sql("INSERT INTO entries (seq, kind, leaf) VALUES (\(entry.seq), '\(kind)', x'\(hex)');")
        return entry.seq
    }

    /// `verify --json` must fail at `index` with `check`, its message containing `text`.
    static func expectVerifyFails(_ cli: CLI, index: UInt64, check: String = "authority", mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try cli.run(["verify", "--json"])
        #expect(result.status == 1, "verify passed: \(result.stdout)", sourceLocation: sourceLocation)
        let json = try JSONValue(parsing: result.stdout)
        #expect(json["index"] == .integer(Int64(index)), "\(result.stdout)", sourceLocation: sourceLocation)
        #expect(json["check"]?.stringValue == check, "\(result.stdout)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
    }

    static func expectRefused(_ cli: CLI, _ arguments: [String], as user: String? = nil, environment: [String: String] = [:], mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try size(cli)
        let result = try cli.run(arguments, as: user, environment: environment)
        #expect(result.status != 0, "ripa \(arguments.joined(separator: " ")) should fail", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(try size(cli) == before, "something was written", sourceLocation: sourceLocation)
    }

    // MARK: 1. Enrolment is an invitation

    @Test("an invitation carries only the code's hash, signs nothing until accepted, is accepted once with the person's own key")
    func invitationIsAcceptedOnceWithTheUsersOwnKey() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let code = try cli.invite("ivan", roles: "investigator")
        let invitation = try #require(try LifecycleCLI.entries(cli).last)
        #expect(invitation.kind == "user.invited")
        #expect(invitation.body["public_key"] == nil, "no key until the person accepts")
        let normalised = code.replacingOccurrences(of: "-", with: "")
        #expect(normalised.count == 32)
        #expect(!String(decoding: invitation.leafData, as: UTF8.self).contains(normalised), "the code itself is never written")
        #expect(invitation.body["code_hash"]?.stringValue?.count == 64)

        // Until accepted, ivan can sign nothing.
        try Self.expectRefused(cli, ["view", "https://www.facebook.com/sam", "--case", "C", "--purpose", "p"], as: "ivan",
                               environment: ["RIPA_PASSPHRASE": CLI.passphrase(for: "ivan")], mentioning: "has not accepted their invitation")
        // A wrong code writes nothing.
        let wrong = "0000-0000-0000-0000-0000-0000-0000-0000"
        try Self.expectRefused(cli, ["user", "accept", "ivan", "--code", wrong], environment: ["RIPA_NEW_PASSPHRASE": CLI.passphrase(for: "ivan")], mentioning: "not the invitation code")
        try Self.expectRefused(cli, ["user", "accept", "ivan", "--code", "not-a-code"], environment: ["RIPA_NEW_PASSPHRASE": CLI.passphrase(for: "ivan")], mentioning: "not an invitation code")

        try cli.accept("ivan", code: code.lowercased())
        let acceptance = try #require(try LifecycleCLI.entries(cli).last)
        #expect(acceptance.kind == "user.accepted")
        #expect(acceptance.body["invitation"] == .integer(Int64(invitation.seq)))
        #expect(acceptance.body["public_key"]?.stringValue == acceptance.signer.base64, "signed by the key it names")
        let show = try JSONValue(parsing: try cli.ok(["user", "show", "ivan", "--json"]))
        #expect(show["public_key"]?.stringValue == acceptance.signer.base64)
        #expect(show["invited_by"] == "admin")

        // Single use: the same code again is refused, and the administrator, who saw it, cannot take the account over.
        try Self.expectRefused(cli, ["user", "accept", "ivan", "--code", code], environment: ["RIPA_NEW_PASSPHRASE": "chosen by the administrator herself"], mentioning: "already accepted")
        try cli.ok(["view", "https://www.facebook.com/sam", "--case", "C", "--purpose", "p"], as: "ivan")
        #expect(try cli.ok(["verify", "--replay"]).contains("OK"))
    }

    @Test("an invitation expires after the pack's invitation_days (7)")
    func invitationExpires() throws {
        var cli = try CLI.withRegister(clock: "2026-03-02T09:00:00Z")
        defer { cli.cleanUp() }
        let code = try cli.invite("ivan", roles: "investigator")
        cli.clock = "2026-03-09T09:00:01Z"
        try Self.expectRefused(cli, ["user", "accept", "ivan", "--code", code], environment: ["RIPA_NEW_PASSPHRASE": CLI.passphrase(for: "ivan")], mentioning: "expired")
        // An expired invitation can be issued again; the new code works, the old one does not.
        let again = try cli.invite("ivan", roles: "investigator")
        try Self.expectRefused(cli, ["user", "accept", "ivan", "--code", code], environment: ["RIPA_NEW_PASSPHRASE": CLI.passphrase(for: "ivan")], mentioning: "not the invitation code")
        try cli.accept("ivan", code: again)
        #expect(try cli.ok(["verify", "--replay"]).contains("OK"))
    }

    @Test("an entry signed for an unaccepted invitation, or an acceptance forged without the code, fails verify")
    func forgedAcceptanceFailsVerify() throws {
        let cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        _ = try cli.invite("ivan", roles: "investigator")
        let invitation = try #require(try LifecycleCLI.entries(cli).last)
        let attacker = SigningKey()
        // Signing as ivan before any acceptance: the key is no one's.
        let view: JSONValue = ["profile": "facebook.com/sam", "address": "https://www.facebook.com/sam", "case_ref": "C", "purpose": "p", "basis": "initial", "reason": "x"]
        let early = try Self.forge(cli, kind: "view.recorded", body: view, signedBy: attacker)
        try Self.expectVerifyFails(cli, index: early, mentioning: "not enrolled")
        try cli.sql(TamperTests.dropTriggers + "DELETE FROM entries WHERE seq = \(early);")
        let guessed: JSONValue = [
            "user_id": "ivan", "invitation": .integer(Int64(invitation.seq)), "public_key": .string(attacker.publicKey.base64),
            "code_proof": .string(String(repeating: "0", count: 64)),
        ]
        let seq = try Self.forge(cli, kind: "user.accepted", body: guessed, signedBy: attacker)
        try Self.expectVerifyFails(cli, index: seq, mentioning: "not the invitation code")
    }

    // MARK: 3. A real register starts with two administrators

    @Test("a real register needs two founding administrators, and nothing but their acceptances is written until both have accepted")
    func realRegisterStartsWithTwoAdministrators() throws {
        var cli = try CLI()
        defer { cli.cleanUp() }
        let one = try cli.run(["init", "--origin", "ripa.real-council.gov.uk/register", "--admin", "admin"])
        #expect(one.status == 1 && one.stderr.contains("two administrators"), "\(one.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.db))

        let created = try JSONValue(parsing: try cli.ok(["init", "--origin", "ripa.real-council.gov.uk/register", "--admin", "admin", "--admin", "bob", "--json"]))
        let codes = try #require(created["invitations"]?.arrayValue).map { ($0["user_id"]?.stringValue ?? "", $0["code"]?.stringValue ?? "") }
        #expect(codes.map(\.0) == ["admin", "bob"])
        let log = try LifecycleCLI.entries(cli)
        #expect(log.map(\.kind) == ["register.created", "policy.adopted", "user.invited", "user.invited"])
        #expect(Set(log.map(\.signer)).count == 1, "genesis, the initial pack and the founders' invitations are all signed by the register key")
        #expect(log[0].body["administrators"] == ["admin", "bob"])

        try cli.accept("admin", code: codes[0].1)
        // admin alone cannot start: no enrolment, no policy, nothing, until bob has accepted too.
        try Self.expectRefused(cli, ["user", "add", "ivan", "--name", "Ivan", "--roles", "investigator", "--rank", "Officer"], as: "admin", mentioning: "waiting for bob")
        #expect(try cli.ok(["verify"]).contains("OK"))
        // …and an entry forged with admin's key before bob accepted fails verify.
        let sealed = try Self.query(cli, "SELECT sealed FROM sealed_keys WHERE user_id = 'admin'")
        let adminKey = try Self.stolenKey(cli, sealed, passphrase: CLI.passphrase(for: "admin"))
        let copy = try CLI()
        defer { copy.cleanUp() }
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: cli.db + suffix) {
            try FileManager.default.copyItem(atPath: cli.db + suffix, toPath: copy.db + suffix)
        }
        try FileManager.default.copyItem(atPath: cli.keyFile, toPath: copy.keyFile)
        let early: JSONValue = ["user_id": "bob", "roles": ["auditor"]]
        let seq = try Self.forge(copy, kind: "user.roles-changed", body: early, signedBy: adminKey)
        try Self.expectVerifyFails(copy, index: seq, mentioning: "before every founding administrator accepted")

        try cli.accept("bob", code: codes[1].1)
        try cli.enrol("ivan", roles: "investigator")
        #expect(try cli.ok(["verify", "--replay"]).contains("OK"))
    }

    // MARK: 3. Two-person control over privileged roles

    @Test("the attack: one administrator enrols her own investigator and monitoring officer and cannot run a case alone")
    func oneAdministratorCannotRunACaseAlone() throws {
        var cli = try TestRegisterTests.realRegister()
        defer { cli.cleanUp() }
        // admin invites two accounts for herself and accepts both (she holds the codes).
        try cli.accept("ivan2", code: try cli.invite("ivan2", roles: "investigator"))
        let out = try cli.ok(["user", "add", "mo2", "--name", "Mo Two", "--roles", "monitoring-officer", "--rank", "Director", "--json"], as: "admin")
        let invitation = try JSONValue(parsing: out)
        #expect(invitation["awaiting_approval"] == ["monitoring-officer"])
        try cli.accept("mo2", code: try #require(invitation["code"]?.stringValue))
        #expect(try JSONValue(parsing: try cli.ok(["user", "show", "mo2", "--json"]))["roles"] == [])

        let urn = try LifecycleCLI.apply(cli, LifecycleCLI.application(), as: "ivan2")
        // The monitoring officer's role is not in force: the grant is refused, and says why.
        try Self.expectRefused(cli, ["grant", urn, "--reasons", "x"], as: "mo2", mentioning: "awaits approval")
        // She cannot approve her own request.
        try Self.expectRefused(cli, ["user", "approve", "mo2"], as: "admin", mentioning: "asked for these roles")
        // Forged behind the tool's back, her approval fails verify; so does a grant by mo2 before approval.
        let sealed = try Self.query(cli, "SELECT sealed FROM sealed_keys WHERE user_id = 'admin'")
        let adminKey = try Self.stolenKey(cli, sealed, passphrase: CLI.passphrase(for: "admin"))
        let request = try #require(try JSONValue(parsing: try cli.ok(["user", "show", "mo2", "--json"]))["awaiting_approval"]?["request_seq"])
        let approval = try Self.forge(cli, kind: "user.approved", body: ["user_id": "mo2", "request": request, "roles": ["monitoring-officer"]], signedBy: adminKey)
        try Self.expectVerifyFails(cli, index: approval, mentioning: "asked for these roles")
        try cli.sql(TamperTests.dropTriggers + "DELETE FROM entries WHERE seq = \(approval);")
        let moKey = try Self.stolenKey(cli, try Self.query(cli, "SELECT sealed FROM sealed_keys WHERE user_id = 'mo2'"), passphrase: CLI.passphrase(for: "mo2"))
        let grantBody: JSONValue = ["urn": .string(urn), "reasons": "x", "review_interval_days": 28, "first_review": "2099-01-01", "directly_involved": false]
        let grant = try Self.forge(cli, kind: "authorisation.granted", body: grantBody, signedBy: moKey)
        try Self.expectVerifyFails(cli, index: grant, mentioning: "awaiting approval")
        try cli.sql("DELETE FROM entries WHERE seq = \(grant);")  // the triggers are already dropped

        // A second administrator approves; only then does the role take effect.
        try Self.expectRefused(cli, ["user", "approve", "ivan2"], as: "bob", mentioning: "no roles awaiting approval")
        try cli.ok(["user", "approve", "mo2"], as: "bob")
        #expect(try JSONValue(parsing: try cli.ok(["user", "show", "mo2", "--json"]))["roles"] == ["monitoring-officer"])
        try LifecycleCLI.grant(cli, urn, as: "mo2")
        #expect(try cli.ok(["verify", "--replay"]).contains("OK"))
    }

    @Test("a privileged role given by `user roles` waits for another administrator too; removing one does not")
    func rolesChangeNeedsApproval() throws {
        var cli = try TestRegisterTests.realRegister()
        defer { cli.cleanUp() }
        try cli.enrol("ivan", roles: "investigator")
        let out = try cli.ok(["user", "roles", "ivan", "--roles", "investigator,administrator"], as: "admin")
        #expect(out.contains("awaits another administrator's approval"))
        try Self.expectRefused(cli, ["user", "add", "eve", "--name", "Eve", "--roles", "auditor", "--rank", "R"], as: "ivan", mentioning: "awaits approval")
        try Self.expectRefused(cli, ["user", "approve", "ivan"], as: "ivan", mentioning: "needs administrator")
        try cli.ok(["user", "approve", "ivan"], as: "bob")
        #expect(try JSONValue(parsing: try cli.ok(["user", "show", "ivan", "--json"]))["roles"] == ["investigator", "administrator"])
        try cli.ok(["user", "roles", "ivan", "--roles", "investigator"], as: "bob")
        #expect(try JSONValue(parsing: try cli.ok(["user", "show", "ivan", "--json"]))["roles"] == ["investigator"])
        #expect(try cli.ok(["verify", "--replay"]).contains("OK"))
    }

    @Test("a tampered accounts projection (a role awaiting approval marked approved) is caught by verify --replay and rebuilt")
    func tamperedAccountIsCaughtByReplay() throws {
        var cli = try TestRegisterTests.realRegister()
        defer { cli.cleanUp() }
        try cli.accept("mo", code: try cli.invite("mo", roles: "monitoring-officer"))
        try cli.sql("""
            UPDATE accounts SET document = CAST(replace(CAST(document AS TEXT), '"roles":[]', '"roles":["monitoring-officer"]') AS BLOB) WHERE user_id = 'mo';
            """)
        let replay = try cli.run(["verify", "--replay"])
        #expect(replay.status == 1 && replay.stderr.contains("account mo"), "\(replay.stderr)")
        try cli.ok(["rebuild"], as: "admin")
        #expect(try cli.ok(["verify", "--replay"]).contains("OK"))
        #expect(try JSONValue(parsing: try cli.ok(["user", "show", "mo", "--json"]))["roles"] == [])
    }

    // MARK: 5. One rule, live and in replay

    @Test("the attack: what `ripa user` refuses, written behind the tool's back with a valid signature, fails verify --replay in the same words")
    func refusedLiveIsNamedByReplay() throws {
        var cli = try TestRegisterTests.realRegister()
        defer { cli.cleanUp() }
        try cli.enrol("ivan", roles: "investigator")
        let key = { (id: String) in
            try Self.stolenKey(cli, try Self.query(cli, "SELECT sealed FROM sealed_keys WHERE user_id = '\(id)'"), passphrase: CLI.passphrase(for: id))
        }
        let (adminKey, ivanKey) = (try key("admin"), try key("ivan"))
        var triggersDropped = false
        func attempt(_ arguments: [String], as user: String, forging kind: String, _ body: JSONValue, signedBy signer: SigningKey, mentioning text: String,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
            try Self.expectRefused(cli, arguments, as: user, mentioning: text, sourceLocation: sourceLocation)
            let seq = try Self.forge(cli, kind: kind, body: body, signedBy: signer)
            let result = try cli.run(["verify", "--replay", "--json"])
            #expect(result.status == 1, "verify --replay passed: \(result.stdout)", sourceLocation: sourceLocation)
            #expect(try JSONValue(parsing: result.stdout)["index"] == .integer(Int64(seq)), "\(result.stdout)", sourceLocation: sourceLocation)
            #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
            try cli.sql((triggersDropped ? "" : TamperTests.dropTriggers) + "DELETE FROM entries WHERE seq = \(seq);")
            triggersDropped = true
        }

        try attempt(["user", "revoke", "admin", "--reason", "x"], as: "admin", forging: "user.revoked", ["user_id": "admin", "reason": "x"],
                    signedBy: adminKey, mentioning: "an administrator cannot revoke themselves; ask another administrator")
        try attempt(["user", "roles", "bob", "--roles", "auditor"], as: "ivan", forging: "user.roles-changed", ["user_id": "bob", "roles": ["auditor"]],
                    signedBy: ivanKey, mentioning: "ivan (investigator) may not write user.roles-changed: it needs administrator")
        // With bob gone, admin is the last administrator.
        try cli.ok(["user", "revoke", "bob", "--reason", "left the council"], as: "admin")
        try attempt(["user", "revoke", "admin", "--reason", "x"], as: "admin", forging: "user.revoked", ["user_id": "admin", "reason": "x"],
                    signedBy: adminKey, mentioning: "'admin' is the last administrator")
        try attempt(["user", "roles", "admin", "--roles", "investigator"], as: "admin", forging: "user.roles-changed", ["user_id": "admin", "roles": ["investigator"]],
                    signedBy: adminKey, mentioning: "'admin' is the last administrator")
        #expect(try cli.ok(["verify", "--replay"]).contains("OK"))
    }

    // MARK: 2. user passwd replaces the key

    @Test("the attack: after passwd, the old sealed key written back signs nothing, live or in verify")
    func oldSealedKeyIsWorthlessAfterPasswd() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        try cli.enrol("ivan", roles: "investigator")
        // The attacker saves ivan's sealed row (she chose nothing: but say she learnt the passphrase).
        try cli.sql("CREATE TABLE saved AS SELECT user_id, sealed FROM sealed_keys WHERE user_id = 'ivan';")
        let oldSealed = try Self.query(cli, "SELECT sealed FROM saved")
        let before = try Self.query(cli, "SELECT hex(public_key) FROM users WHERE user_id = 'ivan'")
        try cli.ok(["user", "passwd"], as: "ivan", environment: ["RIPA_NEW_PASSPHRASE": "violet canyon morning bell"])
        let replacement = try #require(try LifecycleCLI.entries(cli).last)
        #expect(replacement.kind == "user.key-replaced")
        #expect(replacement.body["previous_public_key"]?.stringValue == replacement.signer.base64, "signed by the old key")
        #expect(try Self.query(cli, "SELECT hex(public_key) FROM users WHERE user_id = 'ivan'") != before)

        // She writes the old row back and acts as ivan with the old passphrase: refused, nothing written.
        try cli.sql("UPDATE sealed_keys SET sealed = (SELECT sealed FROM saved) WHERE user_id = 'ivan';")
        try Self.expectRefused(cli, ["view", "https://www.facebook.com/sam", "--case", "C", "--purpose", "p"], as: "ivan",
                               environment: ["RIPA_PASSPHRASE": CLI.passphrase(for: "ivan")], mentioning: "was replaced")
        // Signing with the old key behind the tool's back fails verify.
        let oldKey = try Self.stolenKey(cli, oldSealed, passphrase: CLI.passphrase(for: "ivan"))
        let view: JSONValue = ["profile": "facebook.com/sam", "address": "https://www.facebook.com/sam", "case_ref": "C", "purpose": "p", "basis": "initial", "reason": "x"]
        let seq = try Self.forge(cli, kind: "view.recorded", body: view, signedBy: oldKey)
        try Self.expectVerifyFails(cli, index: seq, mentioning: "had been replaced")
    }

    // MARK: 4. The unsealed key must be the user's key in force

    @Test("the attack: two users' sealed keys swapped in the table do not let one sign as the other")
    func swappedSealedKeysAreRefused() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        try cli.enrol("ivan", roles: "investigator")
        try cli.enrol("mo", roles: "monitoring-officer")
        try cli.sql("""
            CREATE TEMP TABLE t AS SELECT user_id, sealed FROM sealed_keys;
            UPDATE sealed_keys SET sealed = (SELECT sealed FROM t WHERE user_id = 'mo') WHERE user_id = 'ivan';
            UPDATE sealed_keys SET sealed = (SELECT sealed FROM t WHERE user_id = 'ivan') WHERE user_id = 'mo';
            """)
        // mo, knowing his own passphrase, acts --as ivan (an investigator's entry, signed by mo's key).
        try Self.expectRefused(cli, ["view", "https://www.facebook.com/sam", "--case", "C", "--purpose", "p"], as: "ivan",
                               environment: ["RIPA_PASSPHRASE": CLI.passphrase(for: "mo")], mentioning: "is the key of 'mo'")
        try Self.expectRefused(cli, ["user", "passwd"], as: "mo",
                               environment: ["RIPA_PASSPHRASE": CLI.passphrase(for: "ivan"), "RIPA_NEW_PASSPHRASE": "hollow river copper lamp"], mentioning: "is the key of 'ivan'")
    }
}
