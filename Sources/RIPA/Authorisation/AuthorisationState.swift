/// Where a case stands at a moment (`ripa status`).
public enum AuthorisationState: String, Sendable, Codable, CaseIterable {
    /// Applied for; awaiting the authorising officer.
    case applied
    /// Refused by the authorising officer, or by the justice of the peace.
    case refused
    /// Granted by the authorising officer; not in effect until a JP approves (RIPA s.32A).
    case grantedAwaitingApproval = "granted-awaiting-approval"
    /// Approved and within its period.
    case active
    /// Its period ended.
    case expired
    /// Cancelled (s.45).
    case cancelled
}
