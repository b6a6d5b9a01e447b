import Ledger

/// Why a view was allowed.
public enum ViewBasis: String, Sendable, Hashable, Codable {
    /// The initial examination the Code allows without an authorisation (paras 3.10–3.17).
    case initialExamination = "initial-examination"
    /// Under a live authorisation covering the profile and the viewer.
    case authorisation
}

/// Body of `view.recorded` and `view.refused`: who looked (the signer), at which profile,
/// for which case, why, and on what basis — or why not.
public struct ViewBody: Sendable, Hashable, Codable {
    /// The normalised profile key.
    public var profile: String
    /// The address as the investigator gave it.
    public var address: String
    /// The case reference.
    public var caseRef: String
    /// Why the investigator looked.
    public var purpose: String
    /// The authorisation cited, if any.
    public var urn: String?
    /// For an allowed view: the basis.
    public var basis: ViewBasis?
    /// For a refused view: why.
    public var reason: String?

    enum CodingKeys: String, CodingKey { case profile, address, caseRef = "case_ref", purpose, urn, basis, reason }

    /// Makes a body.
    public init(profile: String, address: String, caseRef: String, purpose: String, urn: String?, basis: ViewBasis?, reason: String?) {
        self.profile = profile
        self.address = address
        self.caseRef = caseRef
        self.purpose = purpose
        self.urn = urn
        self.basis = basis
        self.reason = reason
    }
}

extension ViewBody {
    /// The body as JSON, built directly: views are the register's busiest entries and
    /// Foundation's coders cost more than the rest of the decision.
    public var json: JSONValue {
        .object([
            "profile": .string(profile), "address": .string(address), "case_ref": .string(caseRef),
            "purpose": .string(purpose), "urn": urn.map(JSONValue.string) ?? .null,
            "basis": basis.map { .string($0.rawValue) } ?? .null, "reason": reason.map(JSONValue.string) ?? .null,
        ])
    }

    /// Reads a body written by `json` (or by the Codable form, which is the same).
    ///
    /// - Throws: `RIPAError.badInput` naming a missing or mistyped member.
    public init(json: JSONValue) throws(RIPAError) {
        guard let object = json.objectValue else { throw RIPAError(.badInput, "a view body must be an object") }
        func text(_ key: String) throws(RIPAError) -> String {
            guard let value = object[key]?.stringValue else { throw RIPAError(.badInput, "a view body needs the text member '\(key)'") }
            return value
        }
        func optionalText(_ key: String) throws(RIPAError) -> String? {
            switch object[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            default: throw RIPAError(.badInput, "the view body member '\(key)' must be text or null")
            }
        }
        let known: Set<String> = ["profile", "address", "case_ref", "purpose", "urn", "basis", "reason"]
        if let extra = object.keys.first(where: { !known.contains($0) }) {
            throw RIPAError(.badInput, "a view body has an unknown member '\(extra)'")
        }
        var basis: ViewBasis?
        if let name = try optionalText("basis") {
            guard let parsed = ViewBasis(rawValue: name) else { throw RIPAError(.badInput, "unknown view basis '\(name)'") }
            basis = parsed
        }
        self.init(
            profile: try text("profile"), address: try text("address"), caseRef: try text("case_ref"),
            purpose: try text("purpose"), urn: try optionalText("urn"), basis: basis, reason: try optionalText("reason"))
    }
}
