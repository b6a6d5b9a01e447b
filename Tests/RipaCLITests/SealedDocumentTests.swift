import Foundation
import Ledger
import Testing

/// A JP's order is personal data (it names the subject): the store keeps it sealed under its
/// case's data key, cited by the SHA-256 of its plaintext, and destroys it with the case
/// (issue 11; docs/personal-data.md, docs/formats.md "Documents"). Each test plays the
/// attacker with the database file, with or without the data-protection key.
@Suite struct SealedDocumentTests {
    static let subject = "Ottilie Fenwick-Brabazon"
    static let orderText = "ORDER of the Anytown Magistrates' Court approving directed surveillance of \(subject), 14 Larkspur Mews"

    /// A granted case whose JP approval was recorded with an order; returns the order's hash and bytes.
    static func withOrder() throws -> (cli: CLI, urn: String, hash: String, bytes: Data, seq: Int64) {
        let (cli, urn) = try JudicialRecordTests.register()
        let order = cli.directory.appendingPathComponent("order.txt")
        let bytes = Data((orderText + "\n" + String(repeating: "Signed J. Bench JP. ", count: 40)).utf8)
        try bytes.write(to: order)
        try cli.ok(["judicial", urn] + JudicialRecordTests.judicial + ["--order", order.path], as: "ivan")
        try FileManager.default.removeItem(at: order)
        let entry = try #require(try LifecycleCLI.entries(cli).last)
        return (cli, urn, Hash.sha256([UInt8](bytes)).hex, bytes, Int64(entry.seq))
    }

    static func storeBytes(_ cli: CLI) throws -> Data { try PersonalDataAtRestTests.storeBytes(cli) }

    static var dpkMoved: String { ".elsewhere" }

    @Test("the order is sealed in the store under its case's key, cited by the hash of its plaintext; document show opens it; verify opens and hashes it")
    func theOrderIsSealedAtRest() throws {
        let (cli, urn, hash, bytes, _) = try Self.withOrder()
        defer { cli.cleanUp() }
        let files = try Self.storeBytes(cli)
        for secret in [Self.subject, "Larkspur Mews", "Signed J. Bench JP"] {
            #expect(!PersonalDataAtRestTests.contains(files, secret), "\(secret) is in the store's files")
        }
        // As stored: the sealed form, naming its case, under the plaintext's hash.
        let stored = try AccountTests.query(cli, "SELECT hex(content) FROM documents WHERE hash = '\(hash)'")
        let prefix = Data("ripa-register/sealed-document/v1\n\(urn)\n".utf8).map { String(format: "%02X", $0) }.joined()
        #expect(stored.hasPrefix(prefix), "\(stored.prefix(120))")
        #expect(stored.count / 2 == bytes.count + prefix.count / 2 + 24 + 16)
        let back = cli.directory.appendingPathComponent("back.txt")
        try cli.ok(["document", "show", hash, "--out", back.path])
        #expect(try Data(contentsOf: back) == bytes)
        let verify = try cli.run(["verify", "--replay"])
        #expect(verify.ok && !verify.stdout.contains("not re-checked"), "\(verify.stdout) \(verify.stderr)")
    }

    @Test("without the data-protection key verify checks the box is there and well formed, and document show refuses to open it")
    func withoutTheKeyTheBoxIsChecked() throws {
        let (cli, _, hash, _, seq) = try Self.withOrder()
        defer { cli.cleanUp() }
        let dpk = String(cli.keyFile.dropLast(4)) + ".dpk"
        try FileManager.default.moveItem(atPath: dpk, toPath: dpk + Self.dpkMoved)
        #expect(try cli.run(["verify"]).ok)
        let out = cli.directory.appendingPathComponent("x.txt")
        let refused = try cli.run(["document", "show", hash, "--out", out.path])
        #expect(refused.status != 0 && refused.stderr.contains("sealed"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        // A truncated box is not a box.
        try cli.sql("DROP TRIGGER documents_no_update; UPDATE documents SET content = substr(content, 1, 40) WHERE hash = '\(hash)';")
        try AccountTests.expectVerifyFails(cli, index: UInt64(seq), check: "document", mentioning: "altered")
    }

    @Test("with the key, a box edited, swapped for another case's or removed fails verify")
    func anEditedBoxFailsVerify() throws {
        let (cli, urn, hash, _, seq) = try Self.withOrder()
        defer { cli.cleanUp() }
        // One byte of the ciphertext flipped: it no longer opens.
        try cli.sql("DROP TRIGGER documents_no_update; UPDATE documents SET content = substr(content, 1, length(content) - 1) || x'00' WHERE hash = '\(hash)';")
        try AccountTests.expectVerifyFails(cli, index: UInt64(seq), check: "document", mentioning: "altered")
        // Relabelled as another case's box: refused before any key is tried.
        let other = urn.replacingOccurrences(of: "0001", with: "0002")
        try cli.sql("UPDATE documents SET content = CAST('ripa-register/sealed-document/v1\n\(other)\n' AS BLOB) || zeroblob(64) WHERE hash = '\(hash)';")
        try AccountTests.expectVerifyFails(cli, index: UInt64(seq), check: "document", mentioning: "altered")
        try cli.sql("DELETE FROM documents;")
        try AccountTests.expectVerifyFails(cli, index: UInt64(seq), check: "document", mentioning: "not in the document store")
    }

    @Test("an order kept in the clear by an older register still reads and verifies")
    func aClearOrderStillReads() throws {
        let (cli, _, hash, bytes, _) = try Self.withOrder()
        defer { cli.cleanUp() }
        let hex = bytes.map { String(format: "%02X", $0) }.joined()
        try cli.sql("DELETE FROM documents; INSERT INTO documents (hash, content) VALUES ('\(hash)', x'\(hex)');")
        let back = cli.directory.appendingPathComponent("back.txt")
        try cli.ok(["document", "show", hash, "--out", back.path])
        #expect(try Data(contentsOf: back) == bytes)
        #expect(try cli.run(["verify", "--replay"]).ok)
    }

    @Test("destroying the case's personal data deletes its order: no byte of the files holds the box or the text; verify accepts its absence as not re-checkable")
    func theOrderIsDestroyedWithItsCase() throws {
        var (cli, urn, hash, _, _) = try Self.withOrder()
        defer { cli.cleanUp() }
        let box = try AccountTests.query(cli, "SELECT hex(substr(content, length(content) - 40, 32)) FROM documents WHERE hash = '\(hash)'")
        #expect(box.count == 64)
        cli.clock = "2026-02-01T09:00:00Z"
        try cli.ok(["cancel", urn, "--reason", "subject identified", "--value-obtained", "address confirmed"], as: "mo")
        cli.clock = "2032-06-01T09:00:00Z"
        let requested = try JSONValue(parsing: try cli.ok(["retention", "apply", "--json"], as: "admin"))
        let seq = try #require(requested["request"]?["seq"]?.integerValue)
        try cli.ok(["retention", "approve", "--request", String(seq)], as: "admin")

        #expect(try AccountTests.query(cli, "SELECT count(*) FROM documents") == "0")
        let files = try Self.storeBytes(cli)
        let boxBytes = Data(stride(from: 0, to: box.count, by: 2).map { UInt8(box.dropFirst($0).prefix(2), radix: 16)! })
        #expect(files.range(of: boxBytes) == nil, "the sealed order survives in the files")
        for secret in [Self.subject, "Larkspur Mews", "Signed J. Bench JP"] {
            #expect(!PersonalDataAtRestTests.contains(files, secret), "\(secret)")
        }
        let out = cli.directory.appendingPathComponent("x.txt")
        let refused = try cli.run(["document", "show", hash, "--out", out.path])
        #expect(refused.status != 0 && refused.stderr.contains("destroyed"), "\(refused.stderr)")
        let verify = try cli.run(["verify", "--replay"])
        #expect(verify.ok, "\(verify.stdout) \(verify.stderr)")
        #expect(verify.stdout.contains("not re-checked in full"), "\(verify.stdout)")
        // An auditor's copy without the data-protection key accepts the absence too.
        let dpk = String(cli.keyFile.dropLast(4)) + ".dpk"
        try FileManager.default.moveItem(atPath: dpk, toPath: dpk + Self.dpkMoved)
        #expect(try cli.run(["verify"]).ok)
    }
}
