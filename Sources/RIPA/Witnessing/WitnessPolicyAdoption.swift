import Ledger

/// The body of `witness.policy-adopted` (docs/entry-kinds.md): the register's witnesses and
/// quorum as a C2SP tlog-policy text, and its SHA-256, signed by an administrator.
///
/// `{"policy": "<the policy file's text>", "sha256": "<lower-case hex of its UTF-8 bytes>"}`
public struct WitnessPolicyAdoption: Sendable, Hashable, Codable {
    /// The policy text, exactly as adopted (a verifier re-parses it).
    public let policy: String
    /// Lower-case hex SHA-256 of `policy`'s bytes: what an inspector compares with the file
    /// they were given.
    public let sha256: String

    /// The most bytes a policy text may have.
    public static let maximumBytes = 64 * 1024

    /// A body for `text`, checked: it must parse as a tlog-policy and list `logKey` (this
    /// register's checkpoint key in force) as a log, so a proof file's verifier can use the
    /// same policy for the log's key and the witnesses'.
    /// - Throws: `RIPAError.badInput` (`witness.policyMalformed`) saying what is wrong.
    public init(text: String, logKey: NoteVerifierKey) throws(RIPAError) {
        guard text.utf8.count <= Self.maximumBytes else {
            throw RIPAError(.badInput, "the witness policy is \(text.utf8.count) bytes; at most \(Self.maximumBytes) are allowed", reason: .witnessPolicyMalformed,
                            values: ["detail": "too long"])
        }
        let parsed = try Self.parse(text)
        guard parsed.logs.contains(where: { $0.key == logKey }) else {
            throw RIPAError(.badInput, "the witness policy does not list this register's key: add the line `log \(logKey)`", reason: .witnessPolicyMalformed,
                            values: ["detail": "log key missing", "log_key": logKey.description])
        }
        guard parsed.requiresNoCosignature || parsed.witnesses.contains(where: { $0.url != nil }) else {
            throw RIPAError(.badInput, "no witness in the policy has a URL, so the register could never ask for a cosignature: give each witness its submission prefix (`witness <name> <vkey> https://…`)",
                            reason: .witnessPolicyMalformed, values: ["detail": "no witness URL"])
        }
        policy = text
        sha256 = Hash.sha256(Array(text.utf8)).hex
    }

    /// Parses a policy text, as `RIPAError`.
    public static func parse(_ text: String) throws(RIPAError) -> WitnessPolicy {
        do {
            return try WitnessPolicy(parsing: text)
        } catch {
            throw RIPAError(.badInput, error.message, reason: .witnessPolicyMalformed, values: ["detail": error.message])
        }
    }
}
