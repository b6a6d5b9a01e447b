/// The reasons of retention, legal holds and destruction (docs/retention.md).
extension RIPAError.Reason {
    /// The case names no case, look or profile-tag period of this register (`case`).
    public static let retentionUnknownCase: Self = "retention.unknownCase"
    /// The case's personal data was already destroyed (`case`, `seq`).
    public static let retentionAlreadyDestroyed: Self = "retention.alreadyDestroyed"
    /// A legal hold stands on the case (`case`, `hold`: the hold's entry).
    public static let retentionHeld: Self = "retention.held"
    /// The hold named is not a standing hold on that case (`case`, `hold`).
    public static let retentionNoSuchHold: Self = "retention.noSuchHold"
    /// The case has not reached the end of its retention (`case`, `due_on`, or no `due_on`
    /// while the authorisation has not ended).
    public static let retentionNotDue: Self = "retention.notDue"
    /// What a request or a destruction lists is not what the rules give (`case`, `field`).
    public static let retentionMismatch: Self = "retention.mismatch"
    /// Nothing is due (no values).
    public static let retentionNothingDue: Self = "retention.nothingDue"
    /// The request named is not an open destruction request (`request`).
    public static let retentionNoSuchRequest: Self = "retention.noSuchRequest"
    /// The approver is the requester (`user_id`).
    public static let retentionSameApprover: Self = "retention.sameApprover"
    /// A hold or release without its reason (no values).
    public static let retentionNoReason: Self = "retention.noReason"
}
