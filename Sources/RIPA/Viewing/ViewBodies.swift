import Ledger

/// Why a view was allowed.
public enum ViewBasis: String, Sendable, Hashable, Codable {
    /// The initial examination the Code allows without an authorisation (paras 3.10–3.17).
    case initialExamination = "initial-examination"
    /// Under a live authorisation covering the profile and the viewer.
    case authorisation
}

/// Why the gate refused a view, as `view.refused` records it from body version 2 on: the
/// gate's reason (`gate.initialAllowanceUsed`) and the values that explain it, never a
/// sentence written for one front end. ``error`` gives it back as the gate's `RIPAError`.
public struct ViewRefusal: Sendable, Hashable, Codable {
    /// The gate's reason (`RIPAError.Reason`, `gate.*`).
    public var reason: RIPAError.Reason
    /// The facts: the URN, the profile, the allowance, the live authorisations.
    public var values: [String: String]

    /// Makes a refusal.
    public init(reason: RIPAError.Reason, values: [String: String]) {
        self.reason = reason
        self.values = values
    }

    /// The refusal of a gate decision, if it has a reason.
    public init?(_ error: RIPAError?) {
        guard let error, let reason = error.reason else { return nil }
        self.init(reason: reason, values: error.values)
    }

    /// The refusal as the gate's error, its message made from the reason and values.
    public var error: RIPAError { ViewingGate.refusal(reason, values) }

    var json: JSONValue {
        .object(["reason": .string(reason.rawValue), "values": .object(values.mapValues(JSONValue.string))])
    }
}

/// Body of `view.recorded` and `view.refused`: who looked (the signer), at which profile,
/// for which case, why, and on what basis — or why not.
///
/// Two body versions ([entry-kinds](../../../docs/entry-kinds.md#viewrecorded-and-viewrefused-viewbody)):
/// version 1 (no `body_version` member) has `reason`, the refusal as text, `null` for an
/// allowed view; version 2, written for every `view.refused` since refusals became data, has
/// `"body_version": 2` and `refusal` (``ViewRefusal``) instead of `reason`. `view.recorded`
/// is still written at version 1. Both are read.
public struct ViewBody: Sendable, Hashable, Codable {
    /// The body version: 1, or 2 for a refusal recorded as a reason and values.
    public var bodyVersion: Int
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
    /// For a refused view in a version-1 body: why, as text.
    public var reason: String?
    /// For a refused view in a version-2 body: the gate's reason and values.
    public var refusal: ViewRefusal?
    /// The profile's keyed tag (`ProfileTag`), which the gate counts looks by: added when the
    /// body is sealed (docs/personal-data.md); absent in a look recorded before sealing.
    public var profileTag: String?

    /// Makes a body: version 2 when it records a `refusal`, version 1 otherwise.
    public init(
        profile: String, address: String, caseRef: String, purpose: String, urn: String?, basis: ViewBasis?,
        reason: String? = nil, refusal: ViewRefusal? = nil
    ) {
        self.bodyVersion = refusal == nil ? 1 : 2
        self.profile = profile
        self.address = address
        self.caseRef = caseRef
        self.purpose = purpose
        self.urn = urn
        self.basis = basis
        self.reason = refusal == nil ? reason : nil
        self.refusal = refusal
    }

    enum CodingKeys: String, CodingKey {
        case bodyVersion = "body_version", profile, address, caseRef = "case_ref", purpose, urn, basis, reason, refusal
    }

    /// Reads the Codable form, which has the members `json` writes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decodeIfPresent(Int.self, forKey: .bodyVersion) ?? 1
        guard version == 1 || version == 2 else {
            throw DecodingError.dataCorruptedError(forKey: .bodyVersion, in: container, debugDescription: "unknown view body version \(version)")
        }
        self.init(
            profile: try container.decode(String.self, forKey: .profile), address: try container.decode(String.self, forKey: .address),
            caseRef: try container.decode(String.self, forKey: .caseRef), purpose: try container.decode(String.self, forKey: .purpose),
            urn: try container.decodeIfPresent(String.self, forKey: .urn), basis: try container.decodeIfPresent(ViewBasis.self, forKey: .basis),
            reason: version == 1 ? try container.decodeIfPresent(String.self, forKey: .reason) : nil,
            refusal: version == 2 ? try container.decode(ViewRefusal.self, forKey: .refusal) : nil)
    }

    /// Writes the members `json` writes, `null`s included.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(profile, forKey: .profile)
        try container.encode(address, forKey: .address)
        try container.encode(caseRef, forKey: .caseRef)
        try container.encode(purpose, forKey: .purpose)
        if let urn { try container.encode(urn, forKey: .urn) } else { try container.encodeNil(forKey: .urn) }
        if let basis { try container.encode(basis, forKey: .basis) } else { try container.encodeNil(forKey: .basis) }
        if let refusal {
            try container.encode(2, forKey: .bodyVersion)
            try container.encode(refusal, forKey: .refusal)
        } else if let reason {
            try container.encode(reason, forKey: .reason)
        } else {
            try container.encodeNil(forKey: .reason)
        }
    }

    /// Why the view was refused, whichever body version recorded it: the text of a version-1
    /// body, the message the reason and values give in a version-2 one.
    public var refusalMessage: String? { refusal?.error.message ?? reason }
}

extension ViewBody {
    /// The body as JSON, built directly: views are the register's busiest entries and
    /// Foundation's coders cost more than the rest of the decision.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "profile": .string(profile), "address": .string(address), "case_ref": .string(caseRef),
            "purpose": .string(purpose), "urn": urn.map(JSONValue.string) ?? .null,
            "basis": basis.map { .string($0.rawValue) } ?? .null,
        ]
        if let refusal {
            members["body_version"] = .integer(2)
            members["refusal"] = refusal.json
        } else {
            members["reason"] = reason.map(JSONValue.string) ?? .null
        }
        return .object(members)
    }

    /// Reads a body of either version written by `json`.
    ///
    /// - Throws: `RIPAError.badInput` naming a missing, mistyped or unknown member, or an
    ///   unknown body version.
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
        let version: Int
        switch object["body_version"] {
        case nil: version = 1
        case .integer(2)?: version = 2
        case let other?: throw RIPAError(.badInput, "a view body has the unknown body version \(other.canonicalString)")
        }
        let known: Set<String> = version == 1
            ? ["profile", "address", "case_ref", "purpose", "urn", "basis", "reason", "profile_tag"]
            : ["body_version", "profile", "address", "case_ref", "purpose", "urn", "basis", "refusal", "profile_tag"]
        if let extra = object.keys.first(where: { !known.contains($0) }) {
            throw RIPAError(.badInput, "a view body (version \(version)) has an unknown member '\(extra)'")
        }
        var basis: ViewBasis?
        if let name = try optionalText("basis") {
            guard let parsed = ViewBasis(rawValue: name) else { throw RIPAError(.badInput, "unknown view basis '\(name)'") }
            basis = parsed
        }
        var refusal: ViewRefusal?
        if version == 2 {
            guard let member = object["refusal"]?.objectValue, let reason = member["reason"]?.stringValue, !reason.isEmpty,
                  let values = member["values"]?.objectValue, member.count == 2
            else {
                throw RIPAError(.badInput, "a version-2 view body needs 'refusal': {\"reason\": text, \"values\": object}")
            }
            var strings: [String: String] = [:]
            for (key, value) in values {
                guard let string = value.stringValue else { throw RIPAError(.badInput, "the view body's refusal value '\(key)' must be text") }
                strings[key] = string
            }
            guard basis == nil else { throw RIPAError(.badInput, "a view body that records a refusal has no basis") }
            refusal = ViewRefusal(reason: RIPAError.Reason(reason), values: strings)
        }
        self.init(
            profile: try text("profile"), address: try text("address"), caseRef: try text("case_ref"),
            purpose: try text("purpose"), urn: try optionalText("urn"), basis: basis,
            reason: version == 1 ? try optionalText("reason") : nil, refusal: refusal)
        profileTag = try optionalText("profile_tag")
    }
}
