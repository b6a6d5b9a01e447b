import Foundation
import Hummingbird
import Ledger
import RIPA

/// The monitoring officer's pages: the queue of applications awaiting a decision, what is
/// due, and the decisions on a case — grant, refuse, review, renew, cancel — each a question
/// page, then check your answers with the passphrase again (step-up), then signed.
struct Decisions {
    let state: ServerState

    /// How a question is asked.
    enum FieldKind { case textarea, number, date, dateTime, yesNo, checkbox }

    /// One question of a decision's form.
    struct Field {
        var name: String
        var label: String
        var kind: FieldKind = .textarea
        var hint: String = ""
    }

    /// A decision: its words, its questions and the notice after it.
    struct Kind {
        var action: String
        var title: String
        var button: String
        var done: String
        var fields: [Field]
    }

    static let kinds: [String: Kind] = [
        "grant": Kind(action: "grant", title: "Grant the application", button: "Sign and grant", done: "granted", fields: [
            Field(name: "reasons", label: "Your reasons", hint: "Why the surveillance is necessary and proportionate."),
            Field(name: "review_interval", label: "Days between reviews (optional)", kind: .number),
            Field(name: "first_review", label: "First review date (optional)", kind: .date, hint: "Leave blank for the day of the grant plus the interval."),
            Field(name: "directly_involved", label: "I am otherwise directly involved in the investigation (central record field 10)", kind: .checkbox,
                  hint: "The register refuses a grant by the applicant or a member of the team. If you are otherwise involved, say so: the central record shows it."),
        ]),
        "refuse": Kind(action: "refuse", title: "Refuse the application", button: "Sign and refuse", done: "refused", fields: [
            Field(name: "reasons", label: "Your reasons"),
        ]),
        "review": Kind(action: "review", title: "Review the authorisation", button: "Sign the review", done: "reviewed", fields: [
            Field(name: "findings", label: "What the surveillance has obtained so far"),
            Field(name: "still_necessary", label: "Is it still necessary and proportionate?", kind: .yesNo,
                  hint: "If not, cancel it as soon as possible (RIPA s.45)."),
            Field(name: "next_review", label: "Next review date (optional)", kind: .date),
        ]),
        "renew": Kind(action: "renew", title: "Renew the authorisation", button: "Sign the renewal", done: "renewed", fields: [
            Field(name: "changes", label: "What has changed since the grant or the last renewal"),
            Field(name: "value_so_far", label: "The value of the surveillance so far"),
            Field(name: "reasons", label: "Your reasons for renewing", hint: "A renewal takes effect only when a justice of the peace approves it."),
        ]),
        "cancel": Kind(action: "cancel", title: "Cancel the authorisation", button: "Sign the cancellation", done: "cancelled", fields: [
            Field(name: "reason", label: "Why it is no longer necessary"),
            Field(name: "value_obtained", label: "What the surveillance obtained"),
            Field(name: "ceased_at", label: "When the instruction to cease was given (optional)", kind: .dateTime, hint: "UK time. Leave blank for now."),
        ]),
    ]

    func addRoutes(to router: Router<WebContext>) {
        router.get("/decisions") { _, context in try await queue(context: context) }
        router.get("/due") { _, context in try await due(context: context) }
        for (action, kind) in Self.kinds {
            router.get("/cases/:urn/\(action)") { _, context in
                _ = try context.requiring(.monitoringOfficer)
                return try await question(kind, urn: try urn(context), context: context, form: FormFields())
            }
            router.post("/cases/:urn/\(action)/edit") { _, context in
                _ = try context.requiring(.monitoringOfficer)
                return try await question(kind, urn: try urn(context), context: context, form: context.form)
            }
            router.post("/cases/:urn/\(action)/check") { _, context in
                _ = try context.requiring(.monitoringOfficer)
                return try await check(kind, urn: try urn(context), context: context)
            }
            router.post("/cases/:urn/\(action)") { _, context in try await sign(kind, urn: try urn(context), context: context) }
        }
    }

    private func urn(_ context: WebContext) throws -> String {
        guard let urn = context.parameters.get("urn"), !urn.isEmpty else { throw WebError.notFound }
        return urn
    }

    // MARK: Lists

    private func queue(context: WebContext) async throws -> Response {
        _ = try context.requiring(.monitoringOfficer)
        let casework = state.services.casework
        var rows: [[String: Any]] = []
        for summary in try await casework.statuses().cases where summary.state == .applied {
            let a = try await casework.authorisation(summary.urn)
            rows.append([
                "urn": a.urn, "href": CaseViews.casePath(a.urn), "operation": a.application.operation, "type": a.type.title,
                "applicant": a.applicant, "applied": Display.time(a.appliedAt), "tag": CaseViews.tag(summary.state),
            ])
        }
        return await state.pages.render(
            "decision-queue", title: "Applications awaiting a decision", data: ["rows": rows, "has_rows": !rows.isEmpty], context: context,
            state: state)
    }

    private func due(context: WebContext) async throws -> Response {
        _ = try context.requiring(.monitoringOfficer)
        let report = try await state.services.casework.due(within: 14)
        let rows: [[String: Any]] = report.items.map { item in
            ["urn": item.urn, "href": CaseViews.casePath(item.urn), "tag": CaseViews.tag(item.kind), "date": Display.date(item.date),
             "message": item.message.prefix(1).uppercased() + item.message.dropFirst()]
        }
        return await state.pages.render(
            "due", title: "Reviews and expiries", data: ["rows": rows, "has_rows": !rows.isEmpty, "within": report.within], context: context,
            state: state)
    }

    // MARK: A decision

    /// The case in brief, for the officer deciding it, and the hints that quote the pack.
    private func caseValues(_ kind: Kind, urn: String) async throws -> ([String: Any], [String: String]) {
        let a = try await state.services.casework.authorisation(urn)
        let status = try await state.services.casework.status(of: urn)
        let rules = try await state.services.policy.inForce().policy.rules
        var hints: [String: String] = [:]
        hints["review_interval"] = "Leave blank for the policy's default: \(rules.reviews.defaultIntervalDays) days."
        let interval = a.decision?.reviewIntervalDays ?? rules.reviews.defaultIntervalDays
        hints["next_review"] = "Leave blank for today plus the case's review interval of \(interval) days."
        let values: [String: Any] = [
            "urn": urn, "case_href": CaseViews.casePath(urn), "operation": a.application.operation, "applicant": a.applicant,
            "type": a.type.title, "tag": CaseViews.tag(status.state), "threshold": a.threshold.summary,
            "team": a.application.team.isEmpty ? "None named" : a.application.team.joined(separator: ", "),
            "confidential": a.application.confidentialInformationLikely,
        ]
        return (values, hints)
    }

    private func question(_ kind: Kind, urn: String, context: WebContext, form: FormFields, errors: [FieldError] = []) async throws -> Response {
        var (values, hints) = try await caseValues(kind, urn: urn)
        values.merge(CaseViews.errorValues(errors)) { $1 }
        values["title"] = kind.title
        values["action"] = CaseViews.casePath(urn) + "/\(kind.action)/check"
        values["fields"] = kind.fields.map { field -> [String: Any] in
            var f: [String: Any] = [
                "name": field.name, "label": field.label, "hint": field.hint.isEmpty ? hints[field.name] ?? "" : field.hint,
                "value": form[field.name] ?? "",
                "error": errors.first { $0.field.hasPrefix(field.name) }?.message ?? "",
                "error_id": errors.first { $0.field.hasPrefix(field.name) }?.field ?? field.name,
            ]
            switch field.kind {
            case .textarea: f["is_textarea"] = true
            case .number: f["is_number"] = true
            case .checkbox: f["is_checkbox"] = true; f["checked"] = form.ticked(field.name)
            case .yesNo: f["is_yesno"] = true; f["yes"] = form[field.name] == "yes"; f["no"] = form[field.name] == "no"
            case .date, .dateTime:
                f["is_date"] = true
                f["is_datetime"] = field.kind == .dateTime
                for part in ["day", "month", "year", "hour", "minute"] { f[part] = form["\(field.name)_\(part)"] ?? "" }
            }
            return f
        }
        return await state.pages.render(
            "decision-form", title: (errors.isEmpty ? "" : "Error: ") + kind.title, data: values, context: context, state: state,
            status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// The service call the answers make, or the errors of answers that cannot be read.
    typealias Command = @Sendable (CaseworkService, String, Actor) async throws -> Void

    static func command(_ kind: Kind, _ form: FormFields) throws(FieldErrorList) -> Command {
        let text = { (name: String) in form.text(name) ?? "" }
        switch kind.action {
        case "grant":
            var interval: Int?
            if let given = form.text("review_interval") {
                guard let days = Int(given) else {
                    throw FieldErrorList([FieldError(field: "review_interval", message: "The days between reviews must be a whole number, like 28")])
                }
                interval = days
            }
            let first = try CaseViews.date(form, "first_review", label: "The first review date")
            let (reasons, involved) = (text("reasons"), form.ticked("directly_involved"))
            return { [interval] casework, urn, actor in
                _ = try await casework.grant(urn: urn, reasons: reasons, reviewInterval: interval, firstReview: first, directlyInvolved: involved, by: actor)
            }
        case "refuse":
            let reasons = text("reasons")
            return { casework, urn, actor in _ = try await casework.refuse(urn: urn, reasons: reasons, by: actor) }
        case "review":
            guard let still = form["still_necessary"], still == "yes" || still == "no" else {
                throw FieldErrorList([FieldError(field: "still_necessary", message: "Select whether it is still necessary and proportionate")])
            }
            let next = try CaseViews.date(form, "next_review", label: "The next review date")
            let findings = text("findings")
            return { casework, urn, actor in
                _ = try await casework.review(urn: urn, findings: findings, stillNecessary: still == "yes", nextReview: next, by: actor)
            }
        case "renew":
            let (changes, value, reasons) = (text("changes"), text("value_so_far"), text("reasons"))
            return { casework, urn, actor in _ = try await casework.renew(urn: urn, changes: changes, valueSoFar: value, reasons: reasons, by: actor) }
        default:
            let ceased = try CaseViews.time(form, "ceased_at", label: "The time of the instruction to cease")
            let (reason, value) = (text("reason"), text("value_obtained"))
            return { casework, urn, actor in
                _ = try await casework.cancel(urn: urn, reason: reason, valueObtained: value, ceasedAt: ceased, by: actor)
            }
        }
    }

    /// The answers as the check page lists them.
    private static func rows(_ kind: Kind, _ form: FormFields) -> [[String: String]] {
        kind.fields.map { field in
            var value: String
            switch field.kind {
            case .textarea, .number: value = form.text(field.name) ?? ""
            case .checkbox: value = form.ticked(field.name) ? "Yes" : "No"
            case .yesNo: value = form[field.name] == "yes" ? "Yes" : "No"
            case .date, .dateTime:
                value = (try? CaseViews.date(form, field.name, label: field.label)).flatMap { $0 }.map(Display.date) ?? ""
                if field.kind == .dateTime, let t = (try? CaseViews.time(form, field.name, label: field.label)).flatMap({ $0 }) { value = Display.time(t) }
            }
            return ["label": field.label.replacingOccurrences(of: " (optional)", with: ""), "value": value.isEmpty ? "Not given: the default applies" : value,
                    "field": field.kind == .date || field.kind == .dateTime ? field.name + "_day" : field.name]
        }
    }

    private func check(_ kind: Kind, urn: String, context: WebContext, errors: [FieldError] = []) async throws -> Response {
        let form = context.form
        do { _ = try Self.command(kind, form) } catch {
            return try await question(kind, urn: urn, context: context, form: form, errors: error.errors)
        }
        var (values, _) = try await caseValues(kind, urn: urn)
        values.merge(CaseViews.errorValues(errors)) { $1 }
        values["passphrase_error"] = errors.first { $0.field == "passphrase" }?.message ?? ""
        values["title"] = kind.title
        values["button"] = kind.button
        values["action"] = CaseViews.casePath(urn) + "/\(kind.action)"
        values["edit"] = CaseViews.casePath(urn) + "/\(kind.action)/edit"
        values["rows"] = Self.rows(kind, form)
        values["hidden"] = CaseViews.hidden(form)
        values["is_grant"] = kind.action == "grant"
        values["directly_involved"] = form.ticked("directly_involved")
        return await state.pages.render(
            "decision-check", title: (errors.isEmpty ? "" : "Error: ") + "Check your answers: " + kind.title.lowercased(), data: values,
            context: context, state: state, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    private func sign(_ kind: Kind, urn: String, context: WebContext) async throws -> Response {
        let session = try context.requiring(.monitoringOfficer)
        let form = context.form
        let command: Command
        do { command = try Self.command(kind, form) } catch {
            return try await question(kind, urn: urn, context: context, form: form, errors: error.errors)
        }
        let actor: Actor
        do {
            actor = try await state.stepUp(session, passphrase: form["passphrase"], peer: context.peer)
        } catch let error as RIPAError {
            return try await check(kind, urn: urn, context: context, errors: [FieldError(error, defaultField: "passphrase")])
        }
        do {
            try await state.write { try await command(state.services.casework, urn, actor) }
        } catch let error as WebError {
            throw error
        } catch {
            let known = kind.fields.map(\.name)
            let field: (String) -> String? = { name in
                let named = known.first { $0 == name || name.hasPrefix($0) } ?? name
                let kindOf = kind.fields.first { $0.name == named }?.kind
                return kindOf == .date || kindOf == .dateTime ? named + "_day" : named
            }
            let errors = try CaseViews.fieldErrors(error, defaultField: kind.fields[0].name, known: known, field: field)
            return try await question(kind, urn: urn, context: context, form: form, errors: errors)
        }
        return Pages.redirect(CaseViews.casePath(urn, done: kind.done))
    }
}
