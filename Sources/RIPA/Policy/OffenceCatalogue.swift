/// The offences applications may cite, merged from one or more `ripa-register/offence-catalogue/v1`
/// files in the order given. Identifiers are unique across the merged catalogue.
public struct OffenceCatalogue: Sendable, Hashable, Codable {
    /// The value of the `schema` field that marks an offence catalogue file.
    public static let schemaID = "ripa-register/offence-catalogue/v1"

    /// The offences, in file order.
    public var offences: [Offence]

    /// Creates a catalogue. The loader guarantees unique identifiers; a catalogue built by hand
    /// with duplicates answers `offence(id:)` with the first.
    public init(offences: [Offence]) {
        self.offences = offences
    }

    /// The offence with this identifier, or `nil` when the catalogue has none.
    public func offence(id: String) -> Offence? {
        offences.first { $0.id == id }
    }

    private enum CodingKeys: String, CodingKey { case schema, offences }

    /// Decodes `{"schema": "ripa-register/offence-catalogue/v1", "offences": [...]}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let schema = try container.decode(String.self, forKey: .schema)
        guard schema == Self.schemaID else {
            throw DecodingError.dataCorruptedError(
                forKey: .schema, in: container, debugDescription: "expected \(Self.schemaID), found \(schema)")
        }
        offences = try container.decode([Offence].self, forKey: .offences)
    }

    /// Encodes with the `schema` field, so the JSON is itself a valid catalogue file.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schemaID, forKey: .schema)
        try container.encode(offences, forKey: .offences)
    }
}
