import Ledger

/// Body of `policy.adopted`: the pack in force from this entry on, as canonical JSON, with
/// its SHA-256 so every later decision can name the exact rules it followed.
public struct PolicyAdoption: Sendable, Hashable, Codable {
    /// The pack and catalogue.
    public var policy: Policy
    /// Lower-case hex SHA-256 of the canonical JSON of `policy`.
    public var hash: String
    /// The file names it was read from, for people.
    public var files: [String]
    /// When the administrator who adopted it last gave their passphrase (`SignerAuthentication`):
    /// stamped by the register as it appends; absent in the first pack (signed by the register
    /// key at `init`) and in adoptions written before the member existed. Not part of `hash`,
    /// which names the rules only.
    public var authenticatedAt: EntryTime?

    enum CodingKeys: String, CodingKey { case policy, hash, files, authenticatedAt = "authenticated_at" }

    /// Makes the body for a pack, computing its hash.
    public init(policy: Policy, files: [String]) throws {
        self.policy = policy
        self.hash = try Self.hash(of: policy)
        self.files = files
    }

    /// The hash of a pack's canonical JSON.
    public static func hash(of policy: Policy) throws -> String {
        Hash.sha256(try JSONValue(encoding: policy).canonicalBytes).hex
    }
}

/// The pack in force and where it was adopted.
public struct AdoptedPolicy: Sendable, Hashable {
    /// The pack.
    public var policy: Policy
    /// Its hash.
    public var hash: String
    /// The `policy.adopted` entry.
    public var seq: UInt64
}
