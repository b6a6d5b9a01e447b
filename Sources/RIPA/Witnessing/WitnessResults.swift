/// What `WitnessService.adopt` recorded: `{"seq", "sha256", "quorum", "witnesses"}`.
public struct WitnessPolicyAdopted: Sendable, Hashable, Codable {
    /// The `witness.policy-adopted` entry.
    public var seq: UInt64
    /// SHA-256 of the policy text.
    public var sha256: String
    /// The quorum in words ("2 of (ipco, leeds)").
    public var quorum: String
    /// The witnesses' policy names.
    public var witnesses: [String]
}

/// The witness policy in force: `{"seq", "sha256", "quorum", "witnesses", "policy"}`.
public struct WitnessPolicyInForce: Sendable, Hashable, Codable {
    /// The entry that adopted it.
    public var seq: UInt64
    /// SHA-256 of the text.
    public var sha256: String
    /// The quorum in words.
    public var quorum: String
    /// The witnesses' policy names.
    public var witnesses: [String]
    /// The policy text.
    public var policy: String
}

/// One witness's part in a sync: `{"witness", "url", "outcome", "size", "message"}`.
public struct WitnessSyncOutcome: Sendable, Hashable, Codable {
    /// How a witness answered.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// It cosigned the checkpoint, and the cosignature verified and was kept.
        case cosigned
        /// It had already cosigned this size (nothing new was asked).
        case alreadyCosigned = "already-cosigned"
        /// It answered but refused (400, 403, 404, 422, or a 409 naming a size beyond the register).
        case refused
        /// It gave no usable answer (down, slow, or an answer that does not verify).
        case unreachable
        /// The policy gives it no URL: it cannot be asked.
        case noURL = "no-url"
    }

    /// The witness's policy name.
    public var witness: String
    /// Its submission prefix, if the policy gives one.
    public var url: String?
    /// What happened.
    public var outcome: Outcome
    /// The checkpoint size the outcome concerns.
    public var size: UInt64
    /// In plain English, with the witness's own words where it gave any.
    public var message: String
}

/// What `WitnessService.sync` did: `{"size", "quorum", "quorum_met", "cosigners", "witnesses"}`.
public struct WitnessSyncResult: Sendable, Hashable, Codable {
    /// The checkpoint size sent.
    public var size: UInt64
    /// The quorum in words.
    public var quorum: String
    /// Whether the cosignatures now kept for that size meet the quorum.
    public var quorumMet: Bool
    /// The witnesses (policy names) whose cosignatures of that size are kept.
    public var cosigners: [String]
    /// Each witness's outcome, in policy order.
    public var witnesses: [WitnessSyncOutcome]

    enum CodingKeys: String, CodingKey {
        case size, quorum, quorumMet = "quorum_met", cosigners, witnesses
    }
}

/// A checkpoint with the cosignatures kept for it: `{"size", "note", "cosigners", "quorum", "quorum_met"}`.
public struct CosignedCheckpoint: Sendable, Hashable, Codable {
    /// Its size.
    public var size: UInt64
    /// The signed note: the register's signature line, then every kept cosignature line.
    public var note: String
    /// The policy names of the witnesses whose lines verify (under the policy in force).
    public var cosigners: [String]
    /// The quorum in words, or nil without a policy.
    public var quorum: String?
    /// Whether the quorum is met, or nil without a policy.
    public var quorumMet: Bool?

    enum CodingKeys: String, CodingKey {
        case size, note, cosigners, quorum, quorumMet = "quorum_met"
    }
}
