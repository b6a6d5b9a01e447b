import Foundation
import Ledger
import Testing

/// The register's foundation through the real `ripa` binary: init, users, reading,
/// proofs, key rotation.
@Suite struct RegisterCLITests {
    func info(_ cli: CLI) throws -> JSONValue {
        try JSONValue(parsing: try cli.ok(["info", "--json"]))
    }

    @Test func initCreatesRegisterKeyFileAndGenesis() throws {
        let cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let attributes = try FileManager.default.attributesOfItem(atPath: cli.keyFile)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let log = try cli.ok(["log", "--json"]).split(separator: "\n")
        #expect(log.count == 4)
        let genesis = try Entry(leafData: Array(log[0].utf8))
        #expect(genesis.kind == "register.created")
        #expect(genesis.seq == 0 && genesis.prev == .zero)
        #expect(genesis.body["administrators"] == ["admin"])
        // init adopts the shipped policy pack and invites the founding administrator, both
        // signed by the register key in the genesis transaction: no user holds a key yet.
        let adoption = try Entry(leafData: Array(log[1].utf8))
        #expect(adoption.kind == "policy.adopted")
        #expect(adoption.prev == genesis.leafHash && adoption.signer == genesis.signer)
        let invitation = try Entry(leafData: Array(log[2].utf8))
        #expect(invitation.kind == "user.invited")
        #expect(invitation.body["user_id"] == "admin")
        #expect(invitation.prev == adoption.leafHash && invitation.signer == genesis.signer)
        // The administrator accepts with a key of their own, which signs the acceptance.
        let acceptance = try Entry(leafData: Array(log[3].utf8))
        #expect(acceptance.kind == "user.accepted")
        #expect(acceptance.prev == invitation.leafHash && acceptance.signer != genesis.signer)
        // Each --json line is exactly the leaf data: canonical and hashing to the tree's leaves.
        let info = try info(cli)
        #expect(info["size"] == 4)
        let tree = MerkleTree(leafHashes: log.map { RFC6962.leafHash(Array($0.utf8)) })
        #expect(info["root"]?.stringValue == tree.root(size: 4).base64)
    }

    @Test func checkpointIsSignedByThePublishedVerifierKey() throws {
        let cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let keyText = try #require(try info(cli)["verifier_key"]?.stringValue)
        let key = try NoteVerifierKey(parsing: keyText)
        #expect(key.name == "ripa.test-council.gov.uk/register")
        let note = try SignedNote(parsing: try cli.ok(["checkpoint"]))
        #expect(try note.verify(with: [key]).count == 1)
        let checkpoint = try Checkpoint(parsing: note.text)
        #expect(checkpoint.origin == key.name && checkpoint.size == 4)
    }

    @Test func usersAreEnrolledListedChangedAndRevoked() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        try cli.enrol("ivan", roles: "investigator", rank: "Investigation Officer")
        try cli.enrol("mo", roles: "monitoring-officer", rank: "Director of Law", extra: ["--head-of-paid-service"])
        let list = try JSONValue(parsing: try cli.ok(["user", "list", "--json"]))
        #expect(list.arrayValue?.compactMap { $0["user_id"]?.stringValue } == ["admin", "ivan", "mo"])
        let mo = try JSONValue(parsing: try cli.ok(["user", "show", "mo", "--json"]))
        #expect(mo["head_of_paid_service"] == true)
        #expect(mo["roles"] == ["monitoring-officer"])

        try cli.ok(["user", "roles", "ivan", "--roles", "investigator,auditor"], as: "admin")
        #expect(try JSONValue(parsing: try cli.ok(["user", "show", "ivan", "--json"]))["roles"] == ["investigator", "auditor"])

        // An administrator cannot change their own roles.
        let own = try cli.run(["user", "roles", "admin", "--roles", "administrator,auditor"], as: "admin")
        #expect(own.status != 0 && own.stderr.contains("own roles"))

        try cli.ok(["user", "revoke", "ivan", "--reason", "left the council"], as: "admin")
        let revoked = try cli.run(["user", "passwd"], as: "ivan", environment: ["RIPA_NEW_PASSPHRASE": "marble falcon drifts east"])
        #expect(revoked.status != 0 && revoked.stderr.contains("revoked"))
        #expect(try cli.ok(["verify"]).contains("OK"))
    }

    @Test func passwdReSealsTheKey() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        try cli.enrol("ivan", roles: "investigator")
        try cli.ok(["user", "passwd"], as: "ivan", environment: ["RIPA_NEW_PASSPHRASE": "cobalt harbour winter song"])
        let old = try cli.run(["user", "passwd"], as: "ivan", environment: ["RIPA_NEW_PASSPHRASE": "quiet meadow ember trail"])
        #expect(old.status != 0 && old.stderr.contains("wrong passphrase"))
        let fresh = try cli.run(["user", "passwd"], as: "ivan", environment: ["RIPA_PASSPHRASE": "cobalt harbour winter song", "RIPA_NEW_PASSPHRASE": "quiet meadow ember trail"])
        #expect(fresh.status == 0, "\(fresh.stderr)")
    }

    @Test func passphraseFileIsRead() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let file = cli.directory.appendingPathComponent("pass.txt")
        try (CLI.passphrase(for: "admin") + "\n").write(to: file, atomically: true, encoding: .utf8)
        cli.passphrases["admin"] = nil
        try cli.ok(["user", "add", "ivan", "--name", "Ivan", "--roles", "investigator", "--rank", "Officer", "--passphrase-file", file.path], as: "admin", environment: ["RIPA_NEW_PASSPHRASE": CLI.passphrase(for: "ivan")])
    }

    @Test func proofsVerifyAgainstTheCheckpointRoot() throws {
        var cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        for i in 0..<2 { try cli.enrol("user\(i)", roles: "auditor") }
        let leaves = try cli.ok(["log", "--json"]).split(separator: "\n").map { RFC6962.leafHash(Array($0.utf8)) }
        #expect(leaves.count == 8)
        let checkpoint = try Checkpoint(parsing: try SignedNote(parsing: try cli.ok(["checkpoint"])).text)
        for index in 0..<8 {
            let json = try JSONValue(parsing: try cli.ok(["proof", "inclusion", "--index", "\(index)"]))
            #expect(json["size"] == 8 && json["index"] == .integer(Int64(index)))
            #expect(json["leaf_hash"]?.stringValue == leaves[index].base64)
            #expect(json["root"]?.stringValue == checkpoint.root.base64)
            let path = try #require(json["proof"]?.arrayValue).compactMap { $0.stringValue.flatMap(Hash.init(base64:)) }
            #expect(InclusionProof(index: UInt64(index), size: 8, path: path).verify(leafHash: leaves[index], root: checkpoint.root))
        }
        let json = try JSONValue(parsing: try cli.ok(["proof", "consistency", "--old", "3", "--new", "8"]))
        let path = try #require(json["proof"]?.arrayValue).compactMap { $0.stringValue.flatMap(Hash.init(base64:)) }
        let oldRoot = MerkleTree(leafHashes: Array(leaves.prefix(3))).root(size: 3)
        #expect(json["old_root"]?.stringValue == oldRoot.base64)
        #expect(ConsistencyProof(oldSize: 3, newSize: 8, path: path).verify(oldRoot: oldRoot, newRoot: checkpoint.root))
    }

    @Test func keyRotationIsFollowedByVerify() throws {
        let cli = try CLI.withRegister()
        defer { cli.cleanUp() }
        let oldKey = try NoteVerifierKey(parsing: try #require(try info(cli)["verifier_key"]?.stringValue))
        let kept = cli.directory.appendingPathComponent("kept.txt")
        try cli.ok(["checkpoint"]).write(to: kept, atomically: true, encoding: .utf8)
        let output = try cli.ok(["key", "rotate", "--reason", "annual rotation"], as: "admin")
        let newKey = try NoteVerifierKey(parsing: try #require(output.split(separator: "\n").last.map(String.init)))
        #expect(newKey != oldKey)
        #expect(try info(cli)["verifier_key"]?.stringValue == newKey.description)
        // The rotation's checkpoint carries both signatures.
        let rotationNote = try SignedNote(parsing: try cli.ok(["checkpoint"]))
        #expect(try rotationNote.verify(with: [oldKey, newKey]).count == 2)
        var cli2 = cli
        try cli2.enrol("ivan", roles: "investigator")
        // Later checkpoints carry only the new key's signature.
        let later = try SignedNote(parsing: try cli.ok(["checkpoint"]))
        #expect(throws: LedgerError.self) { try later.verify(with: [oldKey]) }
        #expect(try later.verify(with: [newKey]).count == 1)
        let verify = try cli.ok(["verify", "--checkpoint", kept.path, "--key", oldKey.description])
        #expect(verify.contains("2 register keys"))
    }
}
