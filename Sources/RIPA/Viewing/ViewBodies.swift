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
