import Foundation
import Ledger
import RegisterStorage
import Testing

@testable import RIPA

/// Issue 9 §3, errors as data: every error has a stable code, the values that explain it and
/// a message with no front end's wording; signed refusals record a reason and its values.
@Suite struct ErrorsAsDataTests {
    // MARK: No front end's wording below the front ends

    /// The folders whose messages every front end shows: the domain, the storage port and its
    /// backends, the composition and the log.
    static let layers = ["RIPA", "RegisterStorage", "SQLiteStorage", "MemoryStorage", "RegisterFiles", "Ledger"]

    /// What only a front end may say: a CLI command (`ripa user list`), a flag (`--reason`),
    /// or "run `…`".
    static var frontEndWording: Regex<AnyRegexOutput> {
        try! Regex(#"`ripa|\bripa (init|user|key|policy|apply|grant|refuse|judicial|review|renew|cancel|status|due|record|view|views|alias|aliases|document|rebuild|log|checkpoint|info|proof|verify)\b|(^|[\s(`'])--[a-z]|\brun `"#)
    }

    /// The string literals on one line of Swift (comments and SQL comments inside the schema's
    /// string are not messages).
    static func literals(in line: Substring) -> [Substring] {
        let trimmed = line.drop(while: \.isWhitespace)
        if trimmed.hasPrefix("//") || trimmed.hasPrefix("--") { return [] }
        var found: [Substring] = []
        var start: Substring.Index?
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if start == nil, character == "/", line[index...].hasPrefix("//") { break }
            if character == "\\" { index = line.index(after: index); if index < line.endIndex { index = line.index(after: index) }; continue }
            if character == "\"" {
                if let open = start { found.append(line[line.index(after: open)..<index]); start = nil } else { start = index }
            }
            index = line.index(after: index)
        }
        return found
    }

    @Test("no message in the domain, the store, the backends or the log names a command or a flag", arguments: layers)
    func sourcesNameNoCommandOrFlag(layer: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("Sources").appendingPathComponent(layer)
        let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(!files.isEmpty, "no sources under \(folder.path)")
        var offences: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                for literal in Self.literals(in: line) where literal.contains(Self.frontEndWording) {
                    offences.append("\(file.lastPathComponent):\(number + 1): \(literal)")
                }
            }
        }
        #expect(offences.isEmpty, "front-end wording in \(layer):\n\(offences.joined(separator: "\n"))")
    }

    @Test func theScanFindsWhatItLooksFor() {
        let caught = [
            #"throw RIPAError(.badInput, "give the reasons (--reasons)")"#,
            #"throw RIPAError(.unknownUser, "no user; `ripa user list` shows who is")"#,
            #"StoreError(.projectionTampered, "changed; run `ripa verify --replay`")"#,
            #"message += "awaits approval (ripa user approve \(id))""#,
        ]
        for line in caught {
            #expect(Self.literals(in: Substring(line)).contains { $0.contains(Self.frontEndWording) }, "\(line)")
        }
        let allowed = [
            #"throw StoreError(.foreignDatabase, "\(path) is not a ripa register")"#,
            #"let proxied = encoded.replacingOccurrences(of: "--", with: "\u{0}")"#,
            #"// run `ripa verify --replay` (a comment)"#,
            #"throw RIPAError(.badInput, "origin cannot name a register (use a form like ripa.example-council.gov.uk/register)")"#,
        ]
        for line in allowed {
            #expect(!Self.literals(in: Substring(line)).contains { $0.contains(Self.frontEndWording) }, "\(line)")
        }
    }

    // MARK: The error model

    @Test func anErrorIsCodableWithItsCodeReasonValuesAndMessage() throws {
        let error = RIPAError(.unknownUser, "no user 'eve' is enrolled", reason: .userUnknown, values: ["user_id": "eve"])
        let json = try JSONValue(encoding: error)
        #expect(json == ["code": "unknownUser", "reason": "user.unknown", "values": ["user_id": "eve"], "message": "no user 'eve' is enrolled"])
        let data = try JSONEncoder().encode(error)
        #expect(try JSONDecoder().decode(RIPAError.self, from: data) == error)
        let store = StoreError(.projectionTampered, "the stored projection of cases was changed", reason: .projectionTampered, values: ["row": "cases"])
        #expect(try JSONDecoder().decode(StoreError.self, from: JSONEncoder().encode(store)) == store)
        // The initialiser stays as easy as before where no reason helps.
        #expect(RIPAError(.badInput, "x").reason == nil)
        #expect(RIPAError(.badInput, "x").values.isEmpty)
    }

    @Test func domainErrorsCarryTheirFacts() throws {
        let missing = #expect(throws: RIPAError.self) { try ViewingGate.checkFields(caseRef: " ", purpose: "p", urn: nil) }
        #expect(missing?.reason == .inputMissing && missing?.values == ["field": "case_ref"])
        let bad = #expect(throws: RIPAError.self) { try ViewingGate.checkFields(caseRef: "FR-1\n2", purpose: "p", urn: nil) }
        #expect(bad?.reason == .inputForbiddenCharacter)
        #expect(bad?.values == ["field": "case_ref", "character": "U+000A"])
        #expect(bad?.message.contains("'case reference' contains a line break") == true, "\(bad?.message ?? "")")
    }

    // MARK: view.refused bodies

    static let refusal = ViewRefusal(reason: .gateInitialAllowanceUsed, values: ["profile": "facebook:jobloggs", "allowance": "1"])

    @Test func aRefusedBodyIsVersionTwoWithTheReasonAndValues() throws {
        let body = ViewBody(
            profile: "facebook:jobloggs", address: "fb.com/jo.bloggs", caseRef: "FR-1", purpose: "p", urn: nil, basis: nil, refusal: Self.refusal)
        #expect(body.json == [
            "body_version": 2, "profile": "facebook:jobloggs", "address": "fb.com/jo.bloggs", "case_ref": "FR-1", "purpose": "p",
            "urn": nil, "basis": nil, "refusal": ["reason": "gate.initialAllowanceUsed", "values": ["profile": "facebook:jobloggs", "allowance": "1"]],
        ])
        #expect(try ViewBody(json: body.json) == body)
        #expect(try JSONValue(encoding: body) == body.json, "the Codable form is the same")
        #expect(body.refusalMessage?.contains("already had its 1 initial examination") == true)
    }

    @Test func versionOneBodiesAreStillRead() throws {
        let recorded: JSONValue = [
            "profile": "facebook:jobloggs", "address": "fb.com/jo.bloggs", "case_ref": "FR-1", "purpose": "p", "urn": nil,
            "basis": "initial-examination", "reason": nil,
        ]
        let read = try ViewBody(json: recorded)
        #expect(read.bodyVersion == 1 && read.basis == .initialExamination && read.refusal == nil)
        #expect(read.json == recorded, "an allowed view is still written at version 1, byte for byte")
        let refused: JSONValue = ["profile": "facebook:jobloggs", "address": "fb.com/jo.bloggs", "case_ref": "FR-1", "purpose": "p", "urn": nil,
                   "basis": nil, "reason": "it needs an authorisation: apply for one (`ripa apply`)"]
        let old = try ViewBody(json: refused)
        #expect(old.bodyVersion == 1 && old.refusal == nil)
        #expect(old.refusalMessage == "it needs an authorisation: apply for one (`ripa apply`)")
        #expect(old.json == refused)
    }

    @Test("a view body of an unknown version or mixed members is refused", arguments: [
        ["body_version": 3] as [String: JSONValue],
        ["body_version": 1],
        ["refusal": ["reason": "gate.noAllowance", "values": [:]]],
        ["body_version": 2, "reason": "text"],
        ["body_version": 2],
        ["body_version": 2, "refusal": ["reason": "gate.noAllowance", "values": ["n": 1]]],
        ["body_version": 2, "refusal": ["reason": "gate.noAllowance", "values": [:], "message": "apply"]],
    ])
    func malformedBodies(members: [String: JSONValue]) throws {
        var object: [String: JSONValue] = [
            "profile": "facebook:jobloggs", "address": "fb.com/jo.bloggs", "case_ref": "FR-1", "purpose": "p", "urn": nil, "basis": nil,
        ]
        if members["body_version"] == nil { object["reason"] = .null }
        for (key, value) in members { object[key] = value }
        #expect(throws: RIPAError.self) { try ViewBody(json: .object(object)) }
    }

    @Test func aRefusedViewIsRecordedAsAReasonWithValuesAndReplays() async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z")
        defer { scene.cleanUp() }
        let address = "https://www.facebook.com/sam.subject"
        _ = try await scene.register.view(address: address, caseRef: "HB/2026/17", purpose: "First", urn: nil, by: scene.ivan)
        let again = try await scene.register.view(address: address, caseRef: "HB/2026/17", purpose: "Again", urn: nil, by: scene.ivan)
        #expect(!again.decision.allowed)
        #expect(again.decision.refusal?.code == .refused)
        #expect(again.decision.refusal?.reason == .gateInitialAllowanceUsed)
        let entry = try await scene.register.store.read { try $0.opened(try $0.entry(at: again.entry.seq)).entry }
        #expect(entry.kind == "view.refused")
        #expect(entry.body["body_version"] == 2)
        #expect(entry.body["reason"] == nil)
        #expect(entry.body["refusal"] == ["reason": "gate.initialAllowanceUsed", "values": ["profile": .string(again.profile), "allowance": "1"]])
        #expect(entry.body.canonicalString.firstMatch(of: Self.frontEndWording) == nil, "\(entry.body)")
        let report = try await RegisterVerifier(store: scene.register.store).verify(replay: true)
        #expect(report.replayedDecisions != nil)
    }

    @Test func aVersionOneRefusalStillReplays() async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z")
        defer { scene.cleanUp() }
        let address = "https://www.facebook.com/sam.subject"
        let first = try await scene.register.view(address: address, caseRef: "HB/2026/17", purpose: "First", urn: nil, by: scene.ivan)
        // A refusal as an older register wrote it: the text, with the CLI's wording in it.
        let old = ViewBody(
            profile: first.profile, address: address, caseRef: "HB/2026/17", purpose: "Again", urn: nil, basis: nil,
            reason: "\(first.profile) has already had its 1 initial examination: apply for one (`ripa apply`)")
        #expect(old.bodyVersion == 1)
        let entry = try await scene.register.write { try $0.append(.viewRefused, json: old.json, by: scene.ivan) }
        #expect(entry.body["body_version"] == nil)
        let report = try await RegisterVerifier(store: scene.register.store).verify(replay: true)
        #expect(report.size == entry.seq + 1)
    }

    @Test("a version-2 refusal whose reason or values the rules do not give fails the replay", arguments: [
        ViewRefusal(reason: .gateNoAllowance, values: ["profile": "facebook:samsubject"]),
        ViewRefusal(reason: .gateInitialAllowanceUsed, values: ["profile": "facebook:samsubject", "allowance": "2"]),
        ViewRefusal(reason: .gateInitialAllowanceUsed, values: ["profile": "facebook:samsubject", "allowance": "1", "live_authorisations": "DS-2026-0001"]),
    ])
    func forgedRefusal(refusal: ViewRefusal) async throws {
        let scene = try await ReplayScene(at: "2026-01-10T09:00:00.000Z")
        defer { scene.cleanUp() }
        let address = "https://www.facebook.com/sam.subject"
        let first = try await scene.register.view(address: address, caseRef: "HB/2026/17", purpose: "First", urn: nil, by: scene.ivan)
        #expect(first.profile == "facebook:samsubject")
        let forged = ViewBody(profile: first.profile, address: address, caseRef: "HB/2026/17", purpose: "Again", urn: nil, basis: nil, refusal: refusal)
        // The live path refuses to record it: the gate, re-run inside the append, disagrees.
        let live = await #expect(throws: RIPAError.self) {
            try await scene.register.write { try $0.append(.viewRefused, json: forged.json, by: scene.ivan) }
        }
        #expect(live?.reason == .gateRefusalDiffers, "\(live?.message ?? "")")
        // Written behind the register's back, with the investigator's key, only the replay catches it.
        let index = try await scene.forge(.viewRefused, forged, signedBy: scene.ivan)
        let failure = await #expect(throws: VerificationFailure.self) {
            try await RegisterVerifier(store: scene.register.store).verify(replay: true)
        }
        #expect(failure?.check == .replay)
        #expect(failure?.index == index)
        #expect(failure?.message.contains("recorded as refused for \(refusal.reason)") == true, "\(failure?.message ?? "")")
    }
}
