import Foundation
import Hummingbird
import Ledger
import RIPA

/// Looking at a profile through the register: the form, the gate's decision (the profile's
/// link only when allowed), and the user's own looks.
struct Looks {
    let state: ServerState

    func addRoutes(to router: Router<WebContext>) {
        router.get("/looks/new") { request, context in
            _ = try context.requiring(.investigator)
            var form = FormFields()
            if let urn = request.uri.queryParameters["urn"] { form.set("urn", String(urn)) }
            return try await lookForm(context: context, form: form)
        }
        router.post("/looks") { _, context in try await look(context: context) }
        router.get("/looks") { _, context in try await list(context: context) }
    }

    /// The user's live authorisations, for the select.
    private func liveAuthorisations(of userID: String) async throws -> [Authorisation] {
        let casework = state.services.casework
        var live: [Authorisation] = []
        for summary in try await casework.statuses().cases where summary.state == .active {
            let a = try await casework.authorisation(summary.urn)
            if a.isOnTeam(userID) { live.append(a) }
        }
        return live
    }

    private func lookForm(context: WebContext, form: FormFields, errors: [FieldError] = []) async throws -> Response {
        let session = try context.requiring(.investigator)
        var values = CaseViews.errorValues(errors)
        for name in ["address", "case_ref", "purpose"] { values[name] = form[name] ?? "" }
        let chosen = form["urn"] ?? ""
        values["options"] = [["value": "", "text": "None: this is a first look (an initial examination)", "selected": chosen.isEmpty] as [String: Any]]
            + (try await liveAuthorisations(of: session.userID)).map { a in
                ["value": a.urn, "text": "\(a.urn): \(a.application.operation)", "selected": chosen == a.urn] as [String: Any]
            }
        return await state.pages.render(
            "look-new", title: (errors.isEmpty ? "" : "Error: ") + "Look at a profile", data: values, context: context, state: state,
            status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// The address to open, as the user typed it: with `https://` when typed without a scheme,
    /// and nothing but http or https.
    static func profileURL(_ address: String) -> String? {
        let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines)
        let url = trimmed.contains("://") ? trimmed : "https://" + trimmed
        guard let scheme = URL(string: url)?.scheme?.lowercased(), scheme == "https" || scheme == "http" else { return nil }
        return url
    }

    private func look(context: WebContext) async throws -> Response {
        let session = try context.requiring(.investigator)
        let form = context.form
        let address = form.text("address") ?? ""
        let urn = form.text("urn")
        let result: LookResult
        do {
            result = try await state.write {
                try await state.services.gate.look(
                    at: address, caseRef: form.text("case_ref") ?? "", purpose: form.text("purpose") ?? "", authorisation: urn, by: session.actor)
            }
        } catch let error as WebError {
            throw error
        } catch {
            var errors = try CaseViews.fieldErrors(error, defaultField: "address", known: ["case_ref", "purpose"])
            let message = errors[0].message.lowercased()
            if errors[0].field == "address" {
                if message.contains("case") && !message.contains("address") { errors[0].field = "case_ref" }
                else if message.contains("purpose") { errors[0].field = "purpose" }
            }
            return try await lookForm(context: context, form: form, errors: errors)
        }
        var values: [String: Any] = [
            "allowed": result.allowed, "profile": result.profile, "seq": Int(result.seq), "urn": result.urn ?? "",
            "initial": result.basis == .initialExamination, "case_ref": form.text("case_ref") ?? "",
        ]
        if result.allowed, let url = Self.profileURL(address) { values["profile_url"] = url }
        if let refusal = result.refusal {
            values["reason"] = refusal.message.prefix(1).uppercased() + refusal.message.dropFirst()
            let live = refusal.values["live_authorisations"].map { $0.split(separator: ",").map(String.init) } ?? []
            values["live"] = live.map { ["urn": $0, "href": CaseViews.casePath($0)] }
            values["has_live"] = !live.isEmpty
            values["cite_again"] = !live.isEmpty
            values["apply"] = live.isEmpty
            values["hidden"] = [["name": "address", "value": address], ["name": "case_ref", "value": form["case_ref"] ?? ""],
                                ["name": "purpose", "value": form["purpose"] ?? ""]]
            values["not_team"] = refusal.reason == .gateViewerNotOnTeam
        }
        return await state.pages.render(
            "look-result", title: result.allowed ? "Look allowed" : "Look refused", data: values, context: context, state: state)
    }

    private func list(context: WebContext) async throws -> Response {
        let session = try context.requiring(.investigator)
        let looks = try await state.services.gate.looks().looks.filter { $0.viewer == session.userID }.reversed()
        let rows: [[String: Any]] = looks.map { look in
            // No `urn` member for a look without one: Mustache renders a section for an empty string.
            var row: [String: Any] = ["time": Display.time(look.time), "profile": look.profile, "case_ref": look.caseRef, "tag": CaseViews.tag(look.outcome)]
            if let urn = look.urn { row["urn"] = urn; row["href"] = CaseViews.casePath(urn) }
            return row
        }
        return await state.pages.render(
            "look-list", title: "My looks", data: ["rows": rows, "has_rows": !rows.isEmpty], context: context, state: state)
    }
}
