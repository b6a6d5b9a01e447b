import Foundation
import Ledger
import Testing

@testable import RIPA

/// The pack's `sessions` section (issue 10 §3): read, defaulted, bounded.
@Suite struct SessionRulesTests {
    typealias F = PolicyFixtures

    static let section = """
        sessions:
          idle_minutes: 10
          lifetime_hours: 4
          step_up_minutes: 5
          source: a stricter council

        """

    static func load(_ pack: String) throws(PolicyError) -> Policy {
        try PolicyLoader.load(files: [("pack.yaml", pack), ("offences.yaml", F.catalogue)])
    }

    @Test func theShippedPackSetsTodaysLimits() throws {
        let rules = try RepositoryFiles.shippedPolicy().rules
        #expect(rules.sessions == PolicyRules.Sessions(idleMinutes: 15, lifetimeHours: 8, stepUpMinutes: 15, source: rules.sessions?.source ?? ""))
        #expect(rules.sessions?.source.contains("NIST SP 800-63B") == true)
    }

    @Test func aPackWithTheSectionIsReadAndRecorded() throws {
        let policy = try Self.load(F.pack + Self.section)
        #expect(policy.rules.sessionRules == PolicyRules.Sessions(idleMinutes: 10, lifetimeHours: 4, stepUpMinutes: 5, source: "a stricter council"))
        let json = try JSONValue(encoding: policy.rules)
        #expect(json["sessions"]?["step_up_minutes"] == .integer(5))
        #expect(try json.decode(PolicyRules.self) == policy.rules, "the recorded pack reads back the same")
    }

    @Test func aPackWithoutTheSectionGetsTheDefaultsAndHashesAsBefore() throws {
        let policy = try Self.load(F.pack)
        #expect(policy.rules.sessions == nil)
        #expect(policy.rules.sessionRules == .standard)
        #expect(PolicyRules.Sessions.standard.idleMinutes == 15 && PolicyRules.Sessions.standard.lifetimeHours == 8)
        #expect(PolicyRules.Sessions.standard.stepUpMinutes == 15)
        // Nothing is written for the absent section: a pack recorded before it existed keeps its hash.
        #expect(try JSONValue(encoding: policy.rules)["sessions"] == nil)
    }

    struct Bound: Sendable, CustomTestStringConvertible {
        var old: String, new: String, path: String, phrase: String
        var testDescription: String { "\(path): \(new)" }
    }

    @Test("a pack beyond a bound is refused, naming the rule, its source and the line", arguments: [
        Bound(old: "idle_minutes: 10", new: "idle_minutes: 31", path: "sessions.idle_minutes", phrase: "longer than the 30 minutes"),
        Bound(old: "lifetime_hours: 4", new: "lifetime_hours: 13", path: "sessions.lifetime_hours", phrase: "longer than the 12 hours"),
        Bound(old: "step_up_minutes: 5", new: "step_up_minutes: 31", path: "sessions.step_up_minutes", phrase: "longer than the 30 minutes"),
        Bound(old: "idle_minutes: 10", new: "idle_minutes: 0", path: "sessions.idle_minutes", phrase: "give at least 1"),
        Bound(old: "step_up_minutes: 5", new: "step_up_minutes: 0", path: "sessions.step_up_minutes", phrase: "give at least 1"),
    ])
    func beyondABound(bound: Bound) throws {
        let text = F.pack + F.replacing(bound.old, with: bound.new, in: Self.section)
        let error = #expect(throws: PolicyError.self) { try Self.load(text) }
        #expect(error?.code == .belowStatute)
        #expect(error?.file == "pack.yaml")
        #expect(error?.line == F.line(of: bound.new, in: text))
        #expect(error?.message.contains("`\(bound.path)`") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(bound.phrase) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("NIST SP 800-63B") == true)
    }

    @Test func theSectionIsCheckedLikeEveryOther() throws {
        let unknown = #expect(throws: PolicyError.self) {
            try Self.load(F.pack + F.replacing("step_up_minutes: 5", with: "step_up_minutes: 5\n  remember_me: true", in: Self.section))
        }
        #expect(unknown?.code == .unknownField)
        let missing = #expect(throws: PolicyError.self) {
            try Self.load(F.pack + F.replacing("  source: a stricter council\n", with: "", in: Self.section))
        }
        #expect(missing?.code == .missingField)
        let text = #expect(throws: PolicyError.self) {
            try Self.load(F.pack + F.replacing("idle_minutes: 10", with: "idle_minutes: ten", in: Self.section))
        }
        #expect(text?.code == .wrongType)
    }

    @Test func theSchemaDescribesTheSectionWithTheSameBounds() throws {
        let data = try #require(FileManager.default.contents(atPath: RepositoryFiles.schemaPath))
        let schema = try JSONValue(parsing: Array(data))
        let sessions = try #require(schema["$defs"]?["policyPack"]?["properties"]?["sessions"])
        #expect(sessions["properties"]?["idle_minutes"]?["maximum"] == .integer(Int64(PolicyRules.Sessions.maximumIdleMinutes)))
        #expect(sessions["properties"]?["lifetime_hours"]?["maximum"] == .integer(Int64(PolicyRules.Sessions.maximumLifetimeHours)))
        #expect(sessions["properties"]?["step_up_minutes"]?["maximum"] == .integer(Int64(PolicyRules.Sessions.maximumStepUpMinutes)))
        #expect(sessions["required"] == .array(["idle_minutes", "lifetime_hours", "step_up_minutes", "source"].map(JSONValue.string)))
    }
}
