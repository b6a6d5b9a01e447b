/// The reasons of witness cosigning and proof files (docs/witnesses.md).
extension RIPAError.Reason {
    /// A witness config file line is not `log <vkey>` (`line`).
    public static let witnessConfigMalformed: Self = "witness.configMalformed"
    /// A witness state file cannot be opened (`path`).
    public static let witnessStateUnusable: Self = "witness.stateUnusable"
    /// A witness name cannot name a key (`name`).
    public static let witnessNameInvalid: Self = "witness.nameInvalid"
    /// A witness policy does not parse, or does not name this register's log key (`detail`).
    public static let witnessPolicyMalformed: Self = "witness.policyMalformed"
    /// No witness policy has been adopted (no values).
    public static let witnessNoPolicy: Self = "witness.noPolicy"
    /// A proof file does not parse or does not prove what it claims (`check`).
    public static let proofFileInvalid: Self = "proof.fileInvalid"
}
