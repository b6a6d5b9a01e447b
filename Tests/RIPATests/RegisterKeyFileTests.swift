import Foundation
import Ledger
import RegisterFiles
@testable import RIPA
import Testing

/// The register key file is read once per process and then only re-read when `stat` says it
/// changed: a replaced, missing or spoiled file must still be noticed.
@Suite struct RegisterKeyFileTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ripa-keyfile-\(UUID().uuidString)")
    var file: RegisterKeyFile { RegisterKeyFile(databasePath: directory.appendingPathComponent("register.db").path) }

    func key() throws -> NoteSignerKey { try NoteSignerKey(name: "ripa.test/register", signingKey: SigningKey()) }

    /// Puts `text` at the key file's path the way a rotation does: written beside it, renamed over it.
    func replace(with text: String) throws {
        let staged = file.path + ".staged"
        try Data(text.utf8).write(to: URL(fileURLWithPath: staged))
        #expect(rename(staged, file.path) == 0)
    }

    @Test func aReplacedFileIsReadAgain() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try key()
        try file.create(first)
        #expect(try file.load().verifierKey == first.verifierKey)
        #expect(try file.load().verifierKey == first.verifierKey)

        let second = try key()
        try replace(with: second.description + "\n")
        #expect(try file.load().verifierKey == second.verifierKey)
        #expect(try file.load(matching: second.verifierKey.description).verifierKey == second.verifierKey)
        #expect(throws: RIPAError.self) { try file.load(matching: first.verifierKey.description) }

        try replace(with: "PRIVATE+KEY+not+a+key\n")
        let malformed = #expect(throws: RIPAError.self) { try file.load() }
        #expect(malformed?.message.contains("malformed") == true)

        try FileManager.default.removeItem(atPath: file.path)
        let missing = #expect(throws: RIPAError.self) { try file.load() }
        #expect(missing?.message.contains("missing") == true)
    }
}
