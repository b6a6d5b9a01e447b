import Foundation
import Hummingbird
import Ledger
import RIPA

/// The investigator's pages: my applications, a new application (question page, check your
/// answers with the serious crime threshold explained, submission), the case page, and
/// recording a JP's decision with the order attached.
struct Applications {
    let state: ServerState
    /// Subjects the form offers (numbered fields: no script adds more).
    static let subjectSlots = 3

    func addRoutes(to router: Router<WebContext>) {
        router.get("/applications") { _, context in try await list(context: context) }
        router.get("/applications/new") { _, context in
            _ = try context.requiring(.investigator)
            return try await question(context: context, form: FormFields())
        }
        router.post("/applications/edit") { _, context in
            _ = try context.requiring(.investigator)
            return try await question(context: context, form: context.form)
        }
        router.post("/applications/check") { _, context in try await check(context: context) }
        router.post("/applications") { _, context in try await submit(context: context) }
        router.get("/cases/:urn") { request, context in try await casePage(request: request, context: context) }
        router.get("/cases/:urn/judicial") { _, context in try await judicialForm(context: context, urn: try urn(context)) }
        router.post("/cases/:urn/judicial") { _, context in try await judicial(context: context, urn: try urn(context)) }
    }

    private func urn(_ context: WebContext) throws -> String {
        guard let urn = context.parameters.get("urn"), !urn.isEmpty else { throw WebError.notFound }
        return urn
    }

    // MARK: My applications

    private func list(context: WebContext) async throws -> Response {
        let session = try context.requiring(.investigator)
        let casework = state.services.casework
        let now = try await casework.statuses()
        var rows: [[String: Any]] = []
        for summary in now.cases {
            let authorisation = try await casework.authorisation(summary.urn)
            guard authorisation.isOnTeam(session.userID) else { continue }
            rows.append([
                "urn": summary.urn, "href": CaseViews.casePath(summary.urn), "operation": summary.operation,
                "tag": CaseViews.tag(summary.state), "role": authorisation.applicant == session.userID ? "Applicant" : "Team",
                "next_review": authorisation.nextReview.map(Display.date) ?? "", "expires": summary.expiresAt.map(Display.time) ?? "",
            ])
        }
        return await state.pages.render(
            "application-list", title: "My applications", data: ["rows": rows, "has_rows": !rows.isEmpty], context: context, state: state)
    }

    // MARK: A new application

    /// The answers as the Home Office form's fields, as far as they can be read; what cannot
    /// be read (a type not chosen, a duration that is not a number) is an error on its field.
    static func applicationForm(_ form: FormFields) -> (ApplicationForm?, [FieldError]) {
        var errors: [FieldError] = []
        let type = form["type"].flatMap(AuthorisationType.init(rawValue:))
        if type == nil { errors.append(FieldError(field: "type", message: "Select the type of authorisation")) }
        var months: Int?
        if let text = form.text("requested_duration_months") {
            months = Int(text)
            if months == nil { errors.append(FieldError(field: "requested_duration_months", message: "The requested duration must be a whole number of months, like 3")) }
        }
        var subjects: [ApplicationForm.SubjectForm] = []
        for n in 1...subjectSlots {
            let name = form.text("subject\(n)_name"), address = form.text("subject\(n)_address")
            let born = form.text("subject\(n)_dob"), online = form.text("subject\(n)_identities")
            guard name != nil || address != nil || born != nil || online != nil else { continue }
            let identities = (online ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            subjects.append(.init(name: name ?? "", address: address, dateOfBirth: born, onlineIdentities: identities.isEmpty ? nil : identities))
        }
        let team = (form["team"] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        let confidential: Bool? = form["confidential"] == "yes" ? true : form["confidential"] == "no" ? false : nil
        guard let type, errors.isEmpty else { return (nil, errors) }
        return (
            ApplicationForm(
                type: type, operation: form.text("operation") ?? "", purpose: form.text("purpose") ?? "", details: form.text("details"),
                informationSought: form.text("information_sought"), subjects: subjects, offences: form.all("offences"),
                necessity: form.text("necessity") ?? "", proportionality: form.text("proportionality") ?? "",
                collateralIntrusion: form.text("collateral_intrusion") ?? "", confidentialInformationLikely: confidential,
                team: team.isEmpty ? nil : team, requestedDurationMonths: months),
            []
        )
    }

    /// The field a service error names, as this form's field ids: `subjects[0].name` is `subject1_name`.
    static func formField(_ field: String) -> String? {
        if field.hasPrefix("subjects["), let close = field.firstIndex(of: "]"),
           let index = Int(field[field.index(field.startIndex, offsetBy: 9)..<close]) {
            let part = field[field.index(after: close)...].trimmingCharacters(in: CharacterSet(charactersIn: "."))
            let name = ["name": "name", "address": "address", "date_of_birth": "dob", "online_identities": "identities"][part] ?? "name"
            return "subject\(index + 1)_\(name)"
        }
        return field == "subjects" ? "subject1_name" : field
    }

    static let questionFields = ["operation", "purpose", "details", "information_sought", "offences", "necessity", "proportionality",
                                 "collateral_intrusion", "team", "requested_duration_months"]

    /// The errors of a service's refusal of the form, linked to its fields.
    static func errors(of error: any Error, form: FormFields) throws -> [FieldError] {
        var errors = try CaseViews.fieldErrors(error, defaultField: "operation", known: questionFields, field: formField)
        // A message that names a subject or an address (a date of birth, an online identity
        // naming no account) is linked to that subject's field.
        if errors[0].field == "operation" {
            for n in 1...subjectSlots {
                if let online = form.text("subject\(n)_identities"), online.split(whereSeparator: \.isNewline).contains(where: { errors[0].message.contains($0.trimmingCharacters(in: .whitespaces)) }) {
                    errors[0].field = "subject\(n)_identities"
                } else if let born = form.text("subject\(n)_dob"), errors[0].message.contains(born) {
                    errors[0].field = "subject\(n)_dob"
                } else { continue }
                break
            }
            if errors[0].field == "operation", errors[0].message.contains("subject") { errors[0].field = "subject1_name" }
        }
        return errors
    }

    /// The question page, with the answers given so far.
    private func question(context: WebContext, form: FormFields, errors: [FieldError] = []) async throws -> Response {
        let policy = try await state.services.policy.inForce().policy
        var values = CaseViews.errorValues(errors)
        for name in Self.questionFields where name != "offences" { values[name] = form[name] ?? "" }
        values["types"] = AuthorisationType.allCases.enumerated().map { index, type in
            ["value": type.rawValue, "title": type.title.prefix(1).uppercased() + type.title.dropFirst(), "id": index == 0 ? "type" : "type-\(type.rawValue)",
             "checked": form["type"] == type.rawValue] as [String: Any]
        }
        let chosen = Set(form.all("offences"))
        values["offence_list"] = policy.offences.offences.enumerated().map { index, offence in
            ["id": index == 0 ? "offences" : "offences-\(offence.id)", "value": offence.id, "title": offence.title, "citation": offence.citation,
             "maximum": offence.maximum.description, "exempt": offence.exempt, "checked": chosen.contains(offence.id)] as [String: Any]
        }
        values["subjects"] = (1...Self.subjectSlots).map { n in
            var subject: [String: Any] = ["n": n]
            for part in ["name", "address", "dob", "identities"] {
                subject[part] = form["subject\(n)_\(part)"] ?? ""
                subject[part + "_error"] = errors.first { $0.field == "subject\(n)_\(part)" }?.message ?? ""
            }
            return subject
        }
        values["confidential_yes"] = form["confidential"] == "yes"
        values["confidential_no"] = form["confidential"] == "no"
        return await state.pages.render(
            "application-new", title: (errors.isEmpty ? "" : "Error: ") + "Apply for an authorisation", data: values, context: context,
            state: state, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// Check your answers: every answer with a way to change it, and the serious crime
    /// threshold's result before anything is submitted.
    private func check(context: WebContext) async throws -> Response {
        _ = try context.requiring(.investigator)
        let form = context.form
        let (parsed, errors) = Self.applicationForm(form)
        guard let parsed else { return try await question(context: context, form: form, errors: errors) }
        let policy = try await state.services.policy.inForce().policy
        let application: RIPA.Application
        let threshold: ThresholdResult
        do {
            application = try parsed.application()
            threshold = try SeriousCrimeThreshold.evaluate(type: application.type, offenceIDs: application.offences, policy: policy)
        } catch {
            return try await question(context: context, form: form, errors: Self.errors(of: error, form: form))
        }
        func row(_ label: String, _ value: String, _ field: String) -> [String: String] {
            ["label": label, "value": value.isEmpty ? "Not given" : value, "field": field]
        }
        var rows = [
            row("Type", application.type.title, "type"), row("Operation", application.operation, "operation"),
            row("Purpose", application.purpose, "purpose"), row("Details of the surveillance", application.details, "details"),
            row("Information sought", application.informationSought, "information_sought"),
        ]
        for (index, subject) in application.subjects.enumerated() {
            var lines = [subject.name]
            if let address = subject.address { lines.append(address) }
            if let born = subject.dateOfBirth, let date = CivilDate(parsing: born) { lines.append("Born \(Display.date(date))") }
            lines += subject.onlineIdentities.map { "Online: \($0.address) (\($0.profile))" }
            rows.append(row("Subject \(index + 1)", lines.joined(separator: "\n"), "subject\(index + 1)_name"))
        }
        let offences = application.offences.compactMap { id in policy.offence(id: id).map { "\($0.title) (\($0.citation))" } }
        rows += [
            row("Offences", offences.joined(separator: "\n"), "offences"), row("Necessity", application.necessity, "necessity"),
            row("Proportionality", application.proportionality, "proportionality"),
            row("Collateral intrusion", application.collateralIntrusion, "collateral_intrusion"),
            row("Confidential information likely", application.confidentialInformationLikely ? "Yes" : "No", "confidential"),
            row("Team", application.team.joined(separator: ", "), "team"),
            row("Requested duration", application.requestedDurationMonths.map { "\($0) months" } ?? "The statutory period", "requested_duration_months"),
        ]
        return await state.pages.render(
            "application-check", title: "Check your answers before applying",
            data: ["rows": rows, "hidden": CaseViews.hidden(form), "threshold": Self.thresholdValues(threshold)], context: context, state: state)
    }

    /// The threshold's result as a page shows it.
    static func thresholdValues(_ threshold: ThresholdResult) -> [String: Any] {
        [
            "applies": threshold.applies, "passes": threshold.passes, "summary": threshold.summary,
            "minimum": threshold.minimumCustodyMonths,
            "findings": threshold.findings.map { finding in
                [
                    "title": finding.title, "citation": "\(finding.statute) \(finding.section)", "maximum": finding.maximum.description,
                    "reason": finding.reason,
                    "tag": finding.exempt ? ["text": "Exempt", "class": "tag--green"] : finding.passes ? ["text": "Meets", "class": "tag--green"] : ["text": "Fails", "class": "tag--red"],
                ] as [String: Any]
            },
        ]
    }

    private func submit(context: WebContext) async throws -> Response {
        let session = try context.requiring(.investigator)
        let form = context.form
        let (parsed, errors) = Self.applicationForm(form)
        guard let parsed else { return try await question(context: context, form: form, errors: errors) }
        let result: ApplicationResult
        do {
            result = try await state.write { try await state.services.casework.apply(parsed, by: session.actor) }
        } catch let error as WebError {
            throw error
        } catch {
            return try await question(context: context, form: form, errors: Self.errors(of: error, form: form))
        }
        if let urn = result.urn { return Pages.redirect(CaseViews.casePath(urn, done: "applied")) }
        return await state.pages.render(
            "application-refused", title: "Application refused at the serious crime threshold",
            data: ["seq": Int(result.seq), "threshold": Self.thresholdValues(result.threshold), "operation": parsed.operation],
            context: context, state: state, status: .unprocessableContent)
    }

    // MARK: The case page

    private func casePage(request: Request, context: WebContext) async throws -> Response {
        let session = try context.requiring(.investigator, .monitoringOfficer, .auditor)
        let urn = try urn(context)
        let done = request.uri.queryParameters["done"].map(String.init)
        return try await state.pages.renderCached("case", key: urn + "|" + (done ?? ""), title: "Case \(urn)", context: context, state: state) {
        let status = try await state.services.casework.status(of: urn)
        let policy = try await state.services.policy.inForce().policy
        let a = status.authorisation
        var rows: [[String: String]] = [
            ["label": "URN", "value": a.urn], ["label": "Type", "value": a.type.title],
            ["label": "Operation", "value": a.application.operation], ["label": "Applicant", "value": a.applicant],
            ["label": "Applied", "value": Display.time(a.appliedAt)], ["label": "Purpose", "value": a.application.purpose],
            ["label": "Details", "value": a.application.details], ["label": "Information sought", "value": a.application.informationSought],
        ]
        for (index, subject) in a.application.subjects.enumerated() {
            var lines = [subject.name]
            if let address = subject.address { lines.append(address) }
            if let born = subject.dateOfBirth { lines.append("Born \(CivilDate(parsing: born).map(Display.date) ?? born)") }
            lines += subject.onlineIdentities.map { "Online: \($0.address)" }
            rows.append(["label": "Subject \(index + 1)", "value": lines.joined(separator: "\n")])
        }
        rows += [
            ["label": "Offences", "value": a.application.offences.map { id in policy.offence(id: id).map { "\($0.title) (\($0.citation))" } ?? id }.joined(separator: "\n")],
            ["label": "Necessity", "value": a.application.necessity], ["label": "Proportionality", "value": a.application.proportionality],
            ["label": "Collateral intrusion", "value": a.application.collateralIntrusion],
            ["label": "Confidential information likely", "value": a.application.confidentialInformationLikely ? "Yes" : "No"],
            ["label": "Team", "value": a.application.team.isEmpty ? "None named" : a.application.team.joined(separator: ", ")],
            ["label": "Serious crime threshold", "value": a.threshold.summary],
        ]
        if let decision = a.decision {
            rows.append(["label": decision.granted ? "Granted by" : "Refused by", "value": "\(decision.officer.name), \(decision.officer.rank), \(Display.time(decision.at))"])
            if decision.directlyInvolved == true { rows.append(["label": "Authorising officer directly involved", "value": "Yes"]) }
        }
        rows = rows.filter { !($0["value"] ?? "").isEmpty }

        var timeline: [(EntryTime, String, String)] = [(a.appliedAt, "Applied for", "by \(a.applicant)")]
        if let d = a.decision {
            timeline.append((d.at, d.granted ? "Granted" : "Refused", "by \(d.officer.name): \(d.reasons)" + (d.firstReview.map { "; first review \(Display.date($0))" } ?? "")))
        }
        for period in a.periods {
            if period.renewal { timeline.append((period.grantedAt, "Renewed", "by \(period.officer.name)" + (period.changes.map { ": \($0)" } ?? ""))) }
            if let j = period.judicial {
                var detail = "\(j.decision.rawValue.capitalized) by \(j.magistrate), \(j.court), decided \(Display.time(j.decidedAt)); recorded by \(j.recorder?.name ?? j.recordedBy)"
                if let first = period.firstDay, let last = period.lastDay { detail += "; in effect \(Display.date(first)) to the end of \(Display.date(last))" }
                if j.order != nil { detail += "; the order is kept in the register" }
                timeline.append((j.recordedAt, "Justice of the peace", detail))
            }
        }
        for review in a.reviews {
            timeline.append((review.at, "Reviewed", "by \(review.officer.name): \(review.findings); \(review.stillNecessary ? "still necessary" : "no longer necessary"); next review \(Display.date(review.nextReview))"))
        }
        if let c = a.cancellation {
            timeline.append((c.at, "Cancelled", "by \(c.officer.name): \(c.reason); ceased \(Display.time(c.ceasedAt))"))
        }
        timeline.sort { $0.0 < $1.0 }

        // The actions the user's roles allow in the case's state; the services check every rule again.
        var actions: [[String: String]] = []
        let path = CaseViews.casePath(urn)
        let onTeam = a.isOnTeam(session.userID)
        if session.holds(.monitoringOfficer) {
            switch status.state {
            case .applied: actions += [["href": path + "/grant", "text": "Grant"], ["href": path + "/refuse", "text": "Refuse"]]
            case .active: actions += [["href": path + "/review", "text": "Review"], ["href": path + "/renew", "text": "Renew"], ["href": path + "/cancel", "text": "Cancel"]]
            case .expired, .grantedAwaitingApproval: actions.append(["href": path + "/cancel", "text": "Cancel"])
            default: break
            }
        }
        if (session.holds(.monitoringOfficer) || (session.holds(.investigator) && onTeam)),
           status.state == .grantedAwaitingApproval || a.pendingRenewal != nil {
            actions.append(["href": path + "/judicial", "text": "Record the JP's decision"])
        }
        if session.holds(.investigator), onTeam, status.state == .active {
            actions.append(["href": "/looks/new?urn=" + (urn.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? urn), "text": "Look at a profile under this authorisation"])
        }
        return [
                "urn": urn, "tag": CaseViews.tag(status.state), "rows": rows,
                "next_review": a.nextReview.map(Display.date) ?? "", "expires": a.expiresAt(at: status.at).map(Display.time) ?? "",
                "timeline": timeline.map { ["time": Display.time($0.0), "title": $0.1, "detail": $0.2] },
                "looks": status.views.map { ["time": Display.time($0.time), "viewer": $0.viewer, "profile": $0.profile, "case_ref": $0.caseRef] },
                "has_looks": !status.views.isEmpty, "actions": actions, "has_actions": !actions.isEmpty,
                "notice": CaseViews.notice(done) ?? "", "applied": done == "applied",
            ]
        }
    }

    // MARK: A JP's decision

    /// One page: the case in brief, the decision, the order and the passphrase (a file cannot
    /// be carried across a separate check-answers step, so the answers are checked here).
    private func judicialForm(context: WebContext, urn: String, errors: [FieldError] = []) async throws -> Response {
        _ = try context.requiring(.investigator, .monitoringOfficer)
        let a = try await state.services.casework.authorisation(urn)
        let form = context.form
        var values = CaseViews.errorValues(errors)
        values["urn"] = urn
        values["case_href"] = CaseViews.casePath(urn)
        values["operation"] = a.application.operation
        values["renewal"] = a.pendingRenewal != nil
        values["granted"] = a.decision.map { "\($0.officer.name), \(Display.time($0.at))" } ?? ""
        values["outcomes"] = JudicialOutcome.allCases.enumerated().map { index, outcome in
            ["value": outcome.rawValue, "title": outcome.rawValue.capitalized, "id": index == 0 ? "decision" : "decision-\(outcome.rawValue)",
             "checked": form["decision"] == outcome.rawValue] as [String: Any]
        }
        for name in ["court", "magistrate", "decided_day", "decided_month", "decided_year", "decided_hour", "decided_minute"] {
            values[name] = form[name] ?? ""
        }
        values["maximum_mb"] = CaseworkService.maximumOrderBytes / 1024 / 1024
        return await state.pages.render(
            "decision-judicial", title: (errors.isEmpty ? "" : "Error: ") + "Record the justice of the peace's decision", data: values,
            context: context, state: state, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    private func judicial(context: WebContext, urn: String) async throws -> Response {
        let session = try context.requiring(.investigator, .monitoringOfficer)
        let form = context.form
        var errors: [FieldError] = []
        let outcome = form["decision"].flatMap(JudicialOutcome.init(rawValue:))
        if outcome == nil { errors.append(FieldError(field: "decision", message: "Select the justice of the peace's decision")) }
        var decidedAt: EntryTime?
        do {
            decidedAt = try CaseViews.time(form, "decided", label: "The time of the decision")
            if decidedAt == nil { errors.append(FieldError(field: "decided_day", message: "Enter the date and time the justice of the peace decided")) }
        } catch { errors += error.errors }
        let order = form.files["order"]
        if let order, order.bytes.count > CaseworkService.maximumOrderBytes {
            errors.append(FieldError(field: "order", message: "The order is \(order.bytes.count) bytes; the register keeps documents of at most \(CaseworkService.maximumOrderBytes / 1024 / 1024) MB"))
        }
        guard errors.isEmpty, let outcome, let decidedAt else { return try await judicialForm(context: context, urn: urn, errors: errors) }
        let actor: Actor
        do {
            actor = try await state.stepUp(session, passphrase: form["passphrase"], peer: context.peer)
        } catch let error as RIPAError {
            return try await judicialForm(context: context, urn: urn, errors: [FieldError(error, defaultField: "passphrase")])
        }
        do {
            _ = try await state.write {
                try await state.services.casework.recordJudicial(
                    urn: urn, decision: outcome, court: form.text("court") ?? "", magistrate: form.text("magistrate") ?? "",
                    decidedAt: decidedAt, order: order?.bytes, by: actor)
            }
        } catch let error as WebError {
            throw error
        } catch {
            let found = try CaseViews.fieldErrors(error, defaultField: "decision", known: ["court", "magistrate"])
            var linked = found
            if linked[0].field == "decision", linked[0].message.lowercased().contains("order") { linked[0].field = "order" }
            if linked[0].field == "decision", linked[0].message.lowercased().contains("decided") { linked[0].field = "decided_day" }
            return try await judicialForm(context: context, urn: urn, errors: linked)
        }
        return Pages.redirect(CaseViews.casePath(urn, done: "judicial"))
    }
}
