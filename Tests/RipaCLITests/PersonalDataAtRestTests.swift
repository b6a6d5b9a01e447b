import Foundation
import Ledger
import Testing

/// Personal data sealed at rest (issue 11 §2): whoever holds the database file alone — its
/// WAL and SHM too — reads no subject's name, address, date of birth or profile, while every
/// entry verifies, the gate still counts one profile as one, and the register itself reads them.
@Suite struct PersonalDataAtRestTests {
    static let name = "Zebedee Quartermain-Oduya"
    static let homeAddress = "17 Pelican Wharf, Grimsby"
    static let address = "https://www.instagram.com/zebedee.quartermain"

    /// A register where ivan applied naming the subject, mo granted, a JP approved, and ivan
    /// looked at the profile twice (the second under the authorisation).
    static func populated() throws -> GateRegister {
        let gate = try GateRegister.make(application: false)
        let form = URL(fileURLWithPath: gate.cli.db).deletingLastPathComponent().appendingPathComponent("application.yaml")
        try """
            type: directed-surveillance
            operation: Operation Heron
            purpose: detecting a benefit fraud by \(name)
            subjects:
              - name: \(name)
                address: \(homeAddress)
                date_of_birth: "1981-04-02"
                online_identities: ["\(address)"]
            offences: [fraud-act-2006-s1]
            necessity: no other way to establish the undeclared business
            proportionality: least intrusive means
            collateral_intrusion: none expected
            """.write(to: form, atomically: true, encoding: .utf8)
        let json = try JSONValue(parsing: try gate.cli.ok(["apply", "--file", form.path, "--json"], as: "ivan"))
        try FileManager.default.removeItem(at: form)
        let urn = try #require(json["urn"]?.stringValue)
        try gate.authorise(urn)
        #expect(try gate.view(address).ok)
        #expect(try gate.view(address, urn: urn).ok)
        return gate
    }

    /// Every byte of the database and the files beside it that SQLite writes.
    static func storeBytes(_ cli: CLI) throws -> Data {
        var bytes = Data()
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: cli.db + suffix) {
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: cli.db + suffix)))
        }
        return bytes
    }

    static func contains(_ haystack: Data, _ needle: String) -> Bool {
        haystack.range(of: Data(needle.utf8)) != nil
    }

    @Test("the database, WAL and SHM hold no subject's name, address or profile; the register reads them")
    func nothingPersonalInTheFiles() throws {
        let gate = try Self.populated()
        defer { gate.cleanUp() }
        let bytes = try Self.storeBytes(gate.cli)
        for secret in [Self.name, Self.homeAddress, "zebedee.quartermain", "zebedeequartermain", "1981-04-02"] {
            #expect(!Self.contains(bytes, secret), "\(secret) is in the store's files")
        }
        // The register, holding the data-protection key, reads them back.
        let status = try gate.cli.ok(["status", "DS-2026-0001", "--json"])
        #expect(status.contains(Self.name))
        try gate.replayVerifies()
    }

    @Test("the gate counts the sealed profile as one: a third look without an authorisation is refused")
    func theGateStillCounts() throws {
        let gate = try Self.populated()
        defer { gate.cleanUp() }
        let repeatLook = try gate.view(Self.address)
        #expect(!repeatLook.ok && repeatLook.stderr.contains("initial examination"), "\(repeatLook.stderr)")
        // Another spelling of the same profile is the same tag.
        let respelt = try gate.view("https://instagram.com/Zebedee.Quartermain/")
        #expect(!respelt.ok, "\(respelt.stdout)")
        // As stored (the signed bytes): sealed, one tag for the one profile.
        let stored = try gate.cli.ok(["log", "--json"]).split(separator: "\n").map { try Entry(leafData: Array($0.utf8)) }
            .filter { $0.kind.hasPrefix("view.") }
        #expect(stored.count == 4)
        let tags = Set(stored.compactMap { $0.body["profile_tag"]?.stringValue })
        #expect(tags.count == 1, "one profile, one tag: \(tags)")
        #expect(stored.allSatisfy { $0.body["profile"] == nil && $0.body["sealed"]?["box"] != nil })
        // As the register reads them (`log --opened`): the profile, opened.
        #expect(try gate.viewEntries().allSatisfy { $0.body["profile"] == "instagram:zebedee.quartermain" })
    }

    @Test("without the data-protection key the entries verify, and the personal fields read as sealed")
    func withoutTheKeyItVerifiesAndStaysSealed() throws {
        let gate = try Self.populated()
        defer { gate.cleanUp() }
        let dpk = String(gate.cli.keyFile.dropLast(4)) + ".dpk"
        #expect(FileManager.default.fileExists(atPath: dpk))
        let moved = dpk + ".elsewhere"
        try FileManager.default.moveItem(atPath: dpk, toPath: moved)
        let verify = try gate.cli.run(["verify"])
        #expect(verify.ok, "\(verify.stderr)")
        let log = try gate.cli.ok(["log", "--json"])
        #expect(!log.contains(Self.name))
        // A writable open refuses to make a new key over the old data keys.
        let look = try gate.view(Self.address)
        #expect(!look.ok && look.stderr.contains("data-protection key"), "\(look.stderr)")
        try FileManager.default.moveItem(atPath: moved, toPath: dpk)
        #expect(try gate.cli.ok(["status", "DS-2026-0001", "--json"]).contains(Self.name))
    }

    @Test("another register's data-protection key opens nothing: a clear error, not a crash or garbage")
    func aForeignKeyIsRefused() throws {
        let gate = try Self.populated()
        defer { gate.cleanUp() }
        let other = try GateRegister.make(application: false)
        defer { other.cleanUp() }
        let dpk = String(gate.cli.keyFile.dropLast(4)) + ".dpk"
        let foreign = String(other.cli.keyFile.dropLast(4)) + ".dpk"
        try FileManager.default.removeItem(atPath: dpk)
        try FileManager.default.copyItem(atPath: foreign, toPath: dpk)
        let status = try gate.cli.run(["status", "DS-2026-0001", "--json"])
        #expect(!status.ok && status.stderr.contains("does not open under the data-protection key"), "\(status.stderr)")
    }

    @Test("a sealed box moved to another entry's place does not open: its kind and case are bound in")
    func aBoxIsBoundToItsKindAndCase() throws {
        let gate = try Self.populated()
        defer { gate.cleanUp() }
        let entries = try gate.cli.ok(["log", "--json"]).split(separator: "\n").map { try Entry(leafData: Array($0.utf8)) }
        let grant = try #require(entries.first { $0.kind == "authorisation.granted" })
        let cancelBox = try #require(grant.body["sealed"]?["box"]?.stringValue)
        // The same box under another kind's associated data fails to open (checked in process:
        // an edited entry would fail its signature before it was ever opened).
        let box = try #require(SecretBox(base64: cancelBox))
        #expect(box.open(key: Array(repeating: 0, count: 32), additionalData: Array("x".utf8)) == nil)
    }
}
