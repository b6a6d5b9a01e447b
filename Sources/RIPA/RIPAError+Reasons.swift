/// The reasons the domain gives, each with the values it carries. Front ends key their hints
/// on these names; they are stable, and the gate's are recorded in signed `view.refused`
/// bodies (`refusal.reason`, [entry-kinds](../../docs/entry-kinds.md)).
extension RIPAError.Reason {
    // MARK: Input

    /// A required field is missing or blank (`field`: its body member name, `reasons`, `case_ref`).
    public static let inputMissing: Self = "input.missing"
    /// A text field is longer than its kind allows (`field`, `bytes`, `limit`).
    public static let inputTooLong: Self = "input.tooLong"
    /// A text field holds a character its kind forbids (`field`, `character`).
    public static let inputForbiddenCharacter: Self = "input.forbiddenCharacter"
    /// A number or date is outside its bound (`field`, `value`, and `lowest`/`highest` or the
    /// other end of a range as `from`/`to`).
    public static let inputOutOfRange: Self = "input.outOfRange"

    // MARK: The register

    /// A fixed clock on a register that is not a test register (no values).
    public static let clockNeedsTestRegister: Self = "clock.needsTestRegister"
    /// No founding administrators named (no values).
    public static let registerNoFounders: Self = "register.noFounders"
    /// A real register named fewer than two founding administrators (`founders`).
    public static let registerOneFounder: Self = "register.oneFounder"
    /// The register records no verifier key in force (no values).
    public static let registerNoVerifierKey: Self = "register.noVerifierKey"
    /// The register key file already exists where `init` would write it (`path`).
    public static let keyFileExists: Self = "keyFile.exists"

    // MARK: Users and accounts

    /// No user with that id is enrolled (`user_id`).
    public static let userUnknown: Self = "user.unknown"
    /// The user has an invitation but has not accepted it (`user_id`).
    public static let userNotAccepted: Self = "user.notAccepted"
    /// No open invitation for the user (`user_id`).
    public static let userNoInvitation: Self = "user.noInvitation"
    /// The invitation expired (`user_id`, `expires_at`).
    public static let userInvitationExpired: Self = "user.invitationExpired"
    /// The id is taken: by an open invitation (`state`: `invited`) or an account (`enrolled`) (`user_id`, `state`).
    public static let userIDTaken: Self = "user.idTaken"
    /// The text is not an invitation code (`problem`: `character` or `length`).
    public static let userBadCode: Self = "user.badCode"
    /// A team member is not an active user (`user_id`).
    public static let userNotActiveTeamMember: Self = "user.notActiveTeamMember"
    /// The signer lacks a role the kind needs (`user_id`, `kind`, `roles_needed`; `awaiting_approval` when a needed role awaits it).
    public static let userRoleNeeded: Self = "user.roleNeeded"
    /// The unsealed key is not the user's key in force (`user_id`).
    public static let userKeyNotInForce: Self = "user.keyNotInForce"
    /// A decision carries no record of when its signer last gave their passphrase (`kind`).
    public static let authenticationMissing: Self = "authentication.missing"
    /// A decision's `authenticated_at` is not an entry time (`kind`).
    public static let authenticationMalformed: Self = "authentication.malformed"
    /// A decision's `authenticated_at` is after the entry's own time (`kind`, `authenticated_at`, `time`).
    public static let authenticationAfterEntry: Self = "authentication.afterEntry"
    /// A decision was signed longer after its signer gave their passphrase than the pack's
    /// step-up window allows (`kind`, `authenticated_at`, `time`, `step_up_minutes`).
    public static let authenticationStale: Self = "authentication.stale"

    // MARK: Policy

    /// No policy pack is in force (no values).
    public static let policyNone: Self = "policy.none"
    /// The pack in force does not match its recorded hash (`seq`).
    public static let policyHashMismatch: Self = "policy.hashMismatch"
    /// The shipped `Policies/` folder was not found (no values).
    public static let policyNoShippedPack: Self = "policy.noShippedPack"

    // MARK: Cases and documents

    /// No case with that URN (`urn`).
    public static let caseUnknown: Self = "case.unknown"
    /// A CHIS renewal with no review since the grant or last renewal (`urn`, `since`).
    public static let renewalNeedsReview: Self = "renewal.needsReview"
    /// No document with that hash is kept (`hash`).
    public static let documentUnknown: Self = "document.unknown"
    /// A kept document no longer matches its hash (`hash`).
    public static let documentAltered: Self = "document.altered"
    /// A kept document was destroyed with its case's personal data (`hash`, `urn`, `seq`).
    public static let documentDestroyed: Self = "document.destroyed"

    // MARK: The viewing gate (recorded in `view.refused`)

    /// The URN cited is not a case (`urn`).
    public static let gateUnknownCase: Self = "gate.unknownCase"
    /// The authorisation cited is not live (`urn`, `state`; `expired_at` when expired).
    public static let gateAuthorisationNotLive: Self = "gate.authorisationNotLive"
    /// The authorisation cited does not name the profile (`urn`, `profile`).
    public static let gateProfileNotCovered: Self = "gate.profileNotCovered"
    /// The viewer is not on the team of the authorisation cited (`urn`, `viewer`).
    public static let gateViewerNotOnTeam: Self = "gate.viewerNotOnTeam"
    /// The pack allows no view without an authorisation (`profile`; `live_authorisations`,
    /// comma-separated URNs in URN order, when live authorisations cover the profile and the viewer).
    public static let gateNoAllowance: Self = "gate.noAllowance"
    /// The profile has had its initial examinations (`profile`, `allowance`; `window_days`
    /// when the pack counts within a window; `live_authorisations` as for ``gateNoAllowance``).
    public static let gateInitialAllowanceUsed: Self = "gate.initialAllowanceUsed"
    /// A replayed view's recorded refusal differs from the one the rules give (`recorded`, `replayed`).
    public static let gateRefusalDiffers: Self = "gate.refusalDiffers"
}
