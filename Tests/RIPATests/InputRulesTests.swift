import Foundation
import Ledger
import Testing
@testable import RIPA

/// The domain's input rules: `TextField`, `InputLimits` and `PassphraseRule`, which every
/// front end and `verify --replay` go through.
@Suite struct InputRulesTests {
    @Test("a one-line field refuses C0, DEL, C1, line separators and bidi controls", arguments: [
        0x00, 0x07, 0x09, 0x0A, 0x0D, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9F, 0x2028, 0x2029, 0x202A, 0x202E, 0x2066, 0x2069,
    ] as [UInt32])
    func singleLineRefuses(value: UInt32) throws {
        let text = "Jo" + String(Unicode.Scalar(value)!) + "Bloggs"
        #expect(throws: RIPAError.self) { try TextField.check(text, "name") }
        #expect(!TextField.escaped(text).unicodeScalars.contains { TextField.isForbidden($0) })
    }

    @Test("free text takes newlines and tabs, not other controls")
    func multiLine() throws {
        try TextField.check("line one\nline two\tindented", "necessity", .multiLine)
        #expect(throws: RIPAError.self) { try TextField.check("a\rb", "necessity", .multiLine) }
        #expect(throws: RIPAError.self) { try TextField.check("a\u{202E}b", "necessity", .multiLine) }
        #expect(throws: RIPAError.self) { try TextField.check(String(repeating: "x", count: InputLimits.multiLineFieldBytes + 1), "necessity", .multiLine) }
        #expect(throws: RIPAError.self) { try TextField.check(String(repeating: "x", count: InputLimits.singleLineFieldBytes + 1), "name") }
        try TextField.check("Zoë O’Brien-Łukasz 東京 😀", "name")
    }

    @Test func escaping() {
        #expect(TextField.escaped("a\nb\tc\u{1B}d\u{202E}") == "a\\nb\\tc\\u{1B}d\\u{202E}")
        #expect(TextField.escaped("keep\nthis\u{7}", keepingNewlines: true) == "keep\nthis\\u{7}")
        #expect(TextField.escaped("plain") == "plain")
    }

    static func application(_ change: (inout Application) -> Void) -> Application {
        var application = Application(
            type: .directedSurveillance, operation: "Op Kestrel", purpose: "To detect fraud",
            subjects: [Subject(name: "Sam Subject")], offences: ["fraud-act-2006-s1"], necessity: "Needed\nreally",
            proportionality: "Limited", collateralIntrusion: "Minimal", confidentialInformationLikely: false, team: ["ivan"])
        change(&application)
        return application
    }

    @Test("an application is checked field by field and count by count (live and in replay)")
    func applicationRules() throws {
        try Self.application { _ in }.validate()
        let bad: [(Application, String)] = [
            (Self.application { $0.operation = "Op\nKestrel" }, "'operation'"),
            (Self.application { $0.subjects[0].name = "Sam\u{85}" }, "subjects[0].name"),
            (Self.application { $0.subjects[0].address = "1 Road\u{2028}Town" }, "subjects[0].address"),
            (Self.application { $0.offences = ["fraud\u{7}"] }, "'offences'"),
            (Self.application { $0.team.append("x\ny") }, "'team'"),
            (Self.application { $0.subjects = Array(repeating: Subject(name: "S"), count: 101) }, "at most 100"),
            (Self.application { $0.offences = Array(repeating: "fraud-act-2006-s1", count: 51) }, "at most 50"),
            (Self.application { $0.team = (0...50).map { "u\($0)" } }, "at most 50"),
            (Self.application { $0.requestedDurationMonths = Int.max }, "1 to 12"),
        ]
        for (application, text) in bad {
            let error = #expect(throws: RIPAError.self) { try application.validate() }
            #expect(error?.message.contains(text) == true, "\(error?.message ?? "")")
        }
    }

    @Test("an enrolment's name and rank are one line")
    func enrolmentText() throws {
        try NewUser(userID: "eve", name: "Eve Evans", roles: [.auditor], rank: "Auditor").validate()
        #expect(throws: RIPAError.self) { try NewUser(userID: "eve", name: "Eve\nX", roles: [.auditor], rank: "Auditor").validate() }
        #expect(throws: RIPAError.self) { try NewUser(userID: "eve", name: "Eve", roles: [.auditor], rank: "A\u{202E}").validate() }
    }

    @Test func numbers() throws {
        try InputLimits.require(365, in: InputLimits.reviewIntervalDays, "the review interval", field: "review_interval", unit: "days")
        for value in [0, 366, Int.max, Int.min] {
            let error = #expect(throws: RIPAError.self) {
                try InputLimits.require(value, in: InputLimits.reviewIntervalDays, "the review interval", field: "review_interval", unit: "days")
            }
            #expect(error?.reason == .inputOutOfRange && error?.values["field"] == "review_interval" && error?.values["value"] == String(value))
        }
    }

    @Test("the passphrase rule (NIST SP 800-63B-4)", arguments: [
        ("short but ok?", false), ("exactly fifteen", true), ("correct horse battery staple", false),
        ("Correct-Horse-Battery-Staple!", false), ("letmein!!!!!!!!!!!!", false), ("ivan rides the bus", false),
        ("morgan sails at dawn", false), ("0123456789012345678", false), ("zyxwvutsrqponmlkji", false),
        ("ababababababababab", false), ("qwertyuiopqwertyuiop", false), ("tall quiet harbour 47", true),
        ("lantern\u{0}orbit velvet", false), (String(repeating: "ab c", count: 200), false),
        (String(repeating: "wörd ", count: 20), false), ("ωραία μέρα στο Λονδίνο", true),
    ])
    func passphrases(passphrase: String, accepted: Bool) {
        let result = Result { try PassphraseRule.check(passphrase, userID: "ivan", name: "Morgan Ivan") }
        #expect(((try? result.get()) != nil) == accepted, "\(passphrase): \(result)")
    }
}
