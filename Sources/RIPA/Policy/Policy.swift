/// The pack in force: a policy pack's rules together with the offence catalogue they are read with.
///
/// This is what `ripa policy adopt` records in the register as canonical JSON —
/// `{"pack": {…}, "catalogue": {…}}`, each half a valid file of its own schema
/// (Schemas/policy.schema.json) — so that every decision can be re-run against the exact rules
/// in force when it was taken.
public struct Policy: Sendable, Hashable, Codable {
    /// The rules of the policy pack.
    public var rules: PolicyRules
    /// The merged offence catalogue.
    public var offences: OffenceCatalogue

    /// Creates a policy. Use `PolicyLoader.load(files:)` to get one checked from YAML.
    public init(rules: PolicyRules, offences: OffenceCatalogue) {
        self.rules = rules
        self.offences = offences
    }

    /// The catalogue's offence with this identifier, or `nil`.
    public func offence(id: String) -> Offence? { offences.offence(id: id) }

    private enum CodingKeys: String, CodingKey {
        case rules = "pack"
        case offences = "catalogue"
    }
}
