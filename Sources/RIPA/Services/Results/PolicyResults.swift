import Ledger

/// The pack in force (`PolicyService.inForce`): `{seq, hash, policy}`, the pack as adopted.
public struct PolicyInForce: Sendable, Hashable, Codable {
    /// The `policy.adopted` entry.
    public var seq: UInt64
    /// The pack's SHA-256 (lower-case hex of its canonical JSON).
    public var hash: String
    /// The pack and offence catalogue.
    public var policy: Policy

    init(_ adopted: AdoptedPolicy) {
        seq = adopted.seq
        hash = adopted.hash
        policy = adopted.policy
    }

    /// How each offence of the catalogue fares at the serious crime threshold, one offence at
    /// a time: the same evaluation an application for directed surveillance gets.
    public func offenceThresholds() throws -> [OffenceThreshold] {
        try policy.offences.offences.map { offence in
            let finding = try SeriousCrimeThreshold.evaluate(type: .directedSurveillance, offenceIDs: [offence.id], policy: policy).findings.first
            return OffenceThreshold(
                offenceID: offence.id, citation: offence.citation, maximum: offence.maximum.description,
                finding: finding.map { $0.exempt ? .exempt : $0.passes ? .passes : .fails })
        }
    }
}

/// One offence of the catalogue at the serious crime threshold (`policy show`).
public struct OffenceThreshold: Sendable, Hashable, Codable {
    /// How the offence fares.
    public enum Finding: String, Sendable, Hashable, Codable {
        /// Exempt from the custody test (art. 7A(3)(b)).
        case exempt
        /// Its maximum meets the threshold.
        case passes
        /// Its maximum is below the threshold.
        case fails
    }

    /// The offence's identifier.
    public var offenceID: String
    /// Statute and section.
    public var citation: String
    /// The maximum sentence, in words.
    public var maximum: String
    /// The finding; nil when the evaluation gave none.
    public var finding: Finding?

    enum CodingKeys: String, CodingKey { case offenceID = "offence_id", citation, maximum, finding }
}

/// A pack adopted (`PolicyService.adopt`).
public struct PolicyAdopted: Sendable, Hashable, Codable {
    /// The `policy.adopted` entry.
    public var seq: UInt64
    /// The pack's hash.
    public var hash: String
    /// The pack's title.
    public var title: String
    /// Its version.
    public var version: Int
    /// Offences in its catalogue.
    public var offences: Int
}
