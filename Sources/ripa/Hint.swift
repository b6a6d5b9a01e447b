import ArgumentParser
import Foundation
import Ledger
import RIPA

/// An error as the CLI reports it: the domain's data — stable code, reason, values and a
/// message naming no front end — plus the CLI's own hint, naming the command or flag to use.
///
/// The one place the CLI turns an error into words of its own (`Hint`), so the text line on
/// stderr and the `--json` object say the same thing. `Encodable` as
/// `{"code", "reason", "values", "message", "hint"}`, `reason` and `hint` `null` when absent.
struct ErrorReport: Encodable {
    /// The error's stable code (`badInput`, `projectionTampered`, `usage` for a command line
    /// ArgumentParser refused).
    var code: String
    /// The specific rule or check (`gate.initialAllowanceUsed`), if the error names one.
    var reason: String?
    /// The facts that explain it.
    var values: [String: String]
    /// The domain's message.
    var message: String
    /// What to type next, in this CLI's terms.
    var hint: String?

    /// The report of one of the register's errors; `nil` for an error of another kind.
    init?(_ error: any Error) {
        if let data = ErrorData(error) {
            self.init(code: data.code, reason: data.reason, values: data.values, message: data.message)
            return
        }
        switch error {
        case let error as LedgerError:
            self.init(code: error.code.rawValue, reason: nil, values: [:], message: error.message)
        case let error as PolicyError:
            var values: [String: String] = [:]
            if let file = error.file { values["file"] = file }
            if let line = error.line { values["line"] = String(line) }
            // `description` puts the file and line in front, as a compiler does.
            self.init(code: error.code.rawValue, reason: nil, values: values, message: error.description)
        case let error as ProfileAddressError:
            self.init(code: error.code.rawValue, reason: nil, values: [:], message: error.message)
        default:
            return nil
        }
    }

    init(code: String, reason: String?, values: [String: String], message: String, hint: String? = nil) {
        self.code = code
        self.reason = reason
        self.values = values
        self.message = message
        self.hint = hint ?? Hint.line(code: code, reason: reason, values: values)
    }

    /// The line a person reads: the message, then the hint.
    var line: String { hint.map { "\(message); \($0)" } ?? message }

    enum CodingKeys: String, CodingKey { case code, reason, values, message, hint }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(reason, forKey: .reason)
        try container.encode(values, forKey: .values)
        try container.encode(message, forKey: .message)
        try container.encode(hint, forKey: .hint)
    }

    /// The report as one line of canonical JSON, `{"error": {…}}`.
    var json: String {
        (try? JSONValue.object(["error": JSONValue(encoding: self)]).canonicalString) ?? #"{"error":{"code":"\#(code)"}}"#
    }
}

/// The CLI's hints: from an error's code, reason and values, the command or flag that gets
/// a person past it. The domain's messages name no command (a web user would be told to run
/// one); each front end says what to do in its own terms, and this is the CLI's.
enum Hint {
    /// The hint for an error, or `nil` where the message says all there is.
    static func line(code: String, reason: String?, values: [String: String]) -> String? {
        let user = values["user_id"] ?? "ID"
        let urn = values["urn"] ?? "URN"
        switch reason {
        case RIPAError.Reason.inputMissing.rawValue?:
            guard let field = values["field"], let flag = flag(for: field) else { return nil }
            if field == "offences" { return "cite them with \(flag) ID; `ripa policy show` lists the catalogue" }
            return "give it with \(flag)"
        case RIPAError.Reason.inputTooLong.rawValue?, RIPAError.Reason.inputForbiddenCharacter.rawValue?:
            return values["field"].flatMap(flag(for:)).map { "check the value given with \($0)" }
        case RIPAError.Reason.inputOutOfRange.rawValue?:
            guard let field = values["field"], let flag = flag(for: field) else { return nil }
            if field == "from", values["to"] != nil { return "give the earlier date as --from" }
            return "check the value given with \(flag)"
        case RIPAError.Reason.verifyStateMalformed.rawValue?, RIPAError.Reason.verifyStateForeign.rawValue?:
            return "make a new state with `ripa verify --replay --save-state FILE`"
        case "data.noProtectionKey"?, "data.sealed"?:
            return "restore register.dpk beside register.key from the key backup (an auditor's copy needs it to read personal data)"
        case RIPAError.Reason.clockNeedsTestRegister.rawValue?:
            return "unset RIPA_CLOCK (only a test register, made with `ripa init --test-register`, takes one)"
        case RIPAError.Reason.registerNoFounders.rawValue?:
            return "name them with --admin ID --admin-name NAME"
        case RIPAError.Reason.registerOneFounder.rawValue?:
            return "name two with --admin alice --admin bob (only `ripa init --test-register` may start with one)"
        case RIPAError.Reason.registerNoVerifierKey.rawValue?:
            return "check the register with `ripa verify`"
        case RIPAError.Reason.keyFileExists.rawValue?:
            return "move it away or choose another --db"
        case RIPAError.Reason.userUnknown.rawValue?, RIPAError.Reason.userNotActiveTeamMember.rawValue?:
            return "`ripa user list` shows who is"
        case RIPAError.Reason.userNotAccepted.rawValue?:
            return "they accept it with `ripa user accept \(user) --code CODE`"
        case RIPAError.Reason.userNoInvitation.rawValue?:
            return "an administrator enrols people with `ripa user add`"
        case RIPAError.Reason.userInvitationExpired.rawValue?:
            return "an administrator invites them again with `ripa user add \(user)`"
        case RIPAError.Reason.userIDTaken.rawValue?:
            return values["state"] == "invited" ? "withdraw the invitation with `ripa user revoke \(user)`" : nil
        case RIPAError.Reason.userBadCode.rawValue?:
            return "copy it as `ripa user add` printed it"
        case RIPAError.Reason.userRoleNeeded.rawValue?:
            return values["awaiting_approval"] != nil
                ? "another administrator approves it with `ripa user approve \(user) --as ADMIN`"
                : "`ripa user show \(user)` shows the roles in force"
        case RIPAError.Reason.policyNone.rawValue?:
            return "an administrator adopts one with `ripa policy adopt`"
        case RIPAError.Reason.policyHashMismatch.rawValue?:
            return "run `ripa verify --replay`"
        case RIPAError.Reason.policyNoShippedPack.rawValue?:
            return "set $RIPA_POLICIES or pass --policy FILE…"
        case RIPAError.Reason.caseUnknown.rawValue?:
            return "`ripa status` lists them"
        case RIPAError.Reason.renewalNeedsReview.rawValue?:
            return "review it first with `ripa review \(urn)`"
        case RIPAError.Reason.documentUnknown.rawValue?:
            return "`ripa status URN --json` shows the order each JP decision cites"
        case RIPAError.Reason.documentAltered.rawValue?:
            return "run `ripa verify`"
        case RIPAError.Reason.gateUnknownCase.rawValue?:
            return "`ripa status` lists the cases"
        case RIPAError.Reason.gateAuthorisationNotLive.rawValue?:
            return "apply for one (`ripa apply`) or cite one that is active (--authorisation URN)"
        case RIPAError.Reason.gateProfileNotCovered.rawValue?:
            return "`ripa status \(urn)` shows the identities it names"
        case RIPAError.Reason.gateNoAllowance.rawValue?, RIPAError.Reason.gateInitialAllowanceUsed.rawValue?:
            if let live = values["live_authorisations"] {
                return "cite the live authorisation: --authorisation \(live.split(separator: ",").joined(separator: " or "))"
            }
            return "apply for a directed surveillance authorisation naming this profile (`ripa apply`)"
        case ErrorData.StoreReason.projectionTampered?, ErrorData.StoreReason.urnAlreadyIssued?:
            return "run `ripa verify --replay`, then `ripa rebuild --as ADMIN`"
        case ErrorData.StoreReason.noDatabase?:
            return "create one with `ripa init` or pass --db PATH"
        case ErrorData.StoreReason.notARegister?:
            return "pass --db with the path of the register file"
        default:
            break
        }
        switch code {
        case PolicyError.Code.unknownOffence.rawValue:
            return "then `ripa policy adopt` the pack and catalogue"
        default:
            return nil
        }
    }

    /// The hint after a failed verification.
    static func line(for failure: VerificationFailure) -> String? {
        switch failure.check {
        case .replay: "`ripa rebuild --as ADMIN` rebuilds the projections from the log and lists every entry decided from edited ones"
        default: nil
        }
    }

    /// The flag that gives a field (named as in the entry body), if the CLI has one.
    static func flag(for field: String) -> String? {
        switch field {
        case "case_ref", "case reference": "--case"
        case "urn", "authorisation": "--authorisation"
        case "offences": "--offence"
        case "team": "--team"
        case "requested_duration_months": "--duration-months"
        default:
            // Body members are snake_case and flags kebab-case; an indexed path
            // (`subjects[0].name`) has no flag of its own.
            field.allSatisfy({ $0.isLetter || $0 == "_" }) ? "--" + field.replacingOccurrences(of: "_", with: "-") : nil
        }
    }
}
