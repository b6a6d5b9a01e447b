import Foundation
import Ledger

/// Body of `data-keys.disclosed`: an administrator hands the data keys of `cases` to the
/// inspector holding `recipient`, sealed to it in an export bundle, for `purpose`. Recorded
/// before the bundle is written, so no personal data leaves the register unrecorded; the
/// bundle itself holds this entry.
///
/// `{"authenticated_at": …, "cases": ["DS-2026-0001", …], "purpose": "IPCO inspection, March 2027", "recipient": "ripa-inspector-v1+…"}`
public struct DataKeysDisclosure: Sendable, Hashable, Codable {
    /// The inspector's public key (`InspectorKey`'s text).
    public var recipient: String
    /// The data key names handed over (URNs, `case:<ref>`, `tags:…`).
    public var cases: [String]
    /// Why, for the Data Protection Officer: the inspection or the request it answers.
    public var purpose: String
    /// When the administrator last gave their passphrase (`SignerAuthentication`).
    public var authenticatedAt: EntryTime?

    enum CodingKeys: String, CodingKey { case recipient, cases, purpose, authenticatedAt = "authenticated_at" }

    /// The most cases one disclosure names.
    static let maximumCases = 100_000

    /// A disclosure, checked.
    public init(recipient: InspectorKey, cases: [String], purpose: String) throws(RIPAError) {
        self.recipient = recipient.description
        self.cases = cases
        self.purpose = purpose.trimmingCharacters(in: .whitespacesAndNewlines)
        try check()
    }

    /// The rules, live and in replay: a well-formed recipient, at least one case, each name
    /// and the purpose plain text.
    func check() throws(RIPAError) {
        _ = try InspectorKey(parsing: recipient)
        guard !cases.isEmpty, cases.count <= Self.maximumCases, Set(cases).count == cases.count else {
            throw RIPAError(.badInput, "a disclosure names at least one case, each once (at most \(Self.maximumCases))", reason: "bundle.disclosureMalformed")
        }
        for name in cases { try TextField.check(name, "case") }
        guard !purpose.isBlank else {
            throw RIPAError(.badInput, "say why the data keys are handed over (its purpose, e.g. \"IPCO inspection, March 2027\"): the Data Protection Officer reads it", reason: "bundle.purposeMissing")
        }
        try TextField.check(purpose, "purpose", .multiLine)
    }
}
