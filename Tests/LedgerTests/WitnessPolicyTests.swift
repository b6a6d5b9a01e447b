import Foundation
import Ledger
import Testing

/// C2SP tlog-policy: parsing, refusals, and quorum evaluation.
@Suite("Witness policy")
struct WitnessPolicyTests {
    static let log = try! NoteSignerKey(name: "council.example/register", signingKey: SigningKey(seed: [UInt8](repeating: 1, count: 32)))
    static let keys = (2...7).map { try! NoteSignerKey(name: "w\($0).example", signingKey: SigningKey(seed: [UInt8](repeating: UInt8($0), count: 32))) }
    static func w(_ i: Int) -> String { CosignatureVerifierKey(signer: keys[i]).description }

    @Test("the spec's two-level example: 2 of X and 1 of Y")
    func twoLevels() throws {
        let text = """
            # council register
            log \(Self.log.verifierKey) https://council.example/register

            witness X1 \(Self.w(0))
            witness X2 \(Self.w(1)) https://x2.example
            \twitness X3 \(Self.w(2))\t
            group X-witnesses 2 X1 X2 X3
            witness Y1 \(Self.w(3))
            witness Y2 \(Self.w(4))
            witness Y3 \(Self.w(5))
            group Y-witnesses any Y1 Y2 Y3
            group X-and-Y all X-witnesses Y-witnesses
            quorum X-and-Y

            """
        let policy = try WitnessPolicy(parsing: text)
        #expect(policy.logs.count == 1 && policy.logs[0].url == "https://council.example/register")
        #expect(policy.witnesses.count == 6)
        #expect(policy.witnesses[1].url == "https://x2.example")
        #expect(policy.logKeys(origin: "council.example/register") == [Self.log.verifierKey])
        #expect(policy.isSatisfied(by: ["X1", "X3", "Y2"]))
        #expect(!policy.isSatisfied(by: ["X1", "Y2"]))
        #expect(!policy.isSatisfied(by: ["X1", "X2", "X3"]))
        #expect(policy.quorumDescription == "all of (2 of (X1, X2, X3), 1 of (Y1, Y2, Y3))")
    }

    @Test("quorum none and a single witness")
    func simple() throws {
        #expect(try WitnessPolicy(parsing: "quorum none\n").isSatisfied(by: []))
        let one = try WitnessPolicy(parsing: "witness a \(Self.w(0))\nquorum a\n")
        #expect(!one.isSatisfied(by: []))
        #expect(one.isSatisfied(by: ["a"]))
    }

    @Test("cosigners counts only lines that verify under a policy key")
    func cosigners() throws {
        let policy = try WitnessPolicy(parsing: "witness a \(Self.w(0))\nwitness b \(Self.w(1))\ngroup ab all a b\nquorum ab\n")
        let body = "council.example/register\n3\n\(RFC6962.emptyRoot.base64)\n"
        let good = try Cosignature.sign(checkpointText: body, by: Self.keys[0], at: 100)
        let otherBody = try Cosignature.sign(checkpointText: body.replacingOccurrences(of: "\n3\n", with: "\n4\n"), by: Self.keys[1], at: 100)
        let stranger = try Cosignature.sign(checkpointText: body, by: Self.keys[5], at: 100)
        #expect(policy.cosigners(of: body, among: [good, otherBody, stranger]) == ["a"])
        #expect(!policy.isSatisfied(by: policy.cosigners(of: body, among: [good, otherBody, stranger])))
    }

    @Test("malformed policies are refused, naming the line", arguments: [
        ("", "empty"),
        ("quorum none", "newline"),
        ("witness a KEY0\n", "no quorum"),
        ("quorum a\n", "no earlier line"),
        ("witness a KEY0\nwitness a KEY1\nquorum a\n", "already defined"),
        ("witness a KEY0\nwitness b KEY0\nquorum a\n", "same public key"),
        ("witness a KEY0\ngroup g 2 a\nquorum g\n", "between 1 and"),
        ("witness a KEY0\ngroup g 0 a\nquorum g\n", "between 1 and"),
        ("witness a KEY0\ngroup g 01 a\nquorum g\n", "not all, any"),
        ("witness a KEY0\ngroup g any a a\nquorum g\n", "twice"),
        ("witness a KEY0\ngroup g any a\ngroup h any a\nquorum h\n", "member of another group"),
        ("witness a KEY0\ngroup g any none\nquorum g\n", "none"),
        ("witness none KEY0\nquorum none\n", "predefined"),
        ("witness a KEY0\nquorum a\nquorum a\n", "exactly one quorum"),
        ("witness a KEY0\nquorum a b\n", "quorum <name>"),
        ("witness a LOGKEY\nquorum a\n", "type 0x04"),
        ("log KEY0\nquorum none\n", "algorithm"),
        ("witnes a KEY0\nquorum a\n", "unknown keyword"),
        ("quorum none\u{0B}\n", "control character"),
        ("witness a KEY0\ngroup g any\nquorum g\n", "at least one member"),
    ])
    func malformed(_ text: String, _ expected: String) throws {
        let filled = text.replacingOccurrences(of: "LOGKEY", with: Self.log.verifierKey.description)
            .replacingOccurrences(of: "KEY0", with: Self.w(0)).replacingOccurrences(of: "KEY1", with: Self.w(1))
        let error = ledgerError { _ = try WitnessPolicy(parsing: filled) }
        #expect(error?.code == .malformedPolicy)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error?.message))")
    }
}
