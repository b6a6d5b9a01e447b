import Foundation
import Hummingbird
import Ledger
import Logging
import RIPA

/// The administrators' retention pages (docs/retention.md): what is past its retention and
/// the holds that stop it, the requests awaiting a second administrator, and asking for and
/// approving a destruction, each on a "check your answers" page signed with the passphrase
/// given again (step-up). Every rule is the service's, checked inside the append.
struct RetentionPages {
    let state: ServerState

    func addRoutes(to router: Router<WebContext>) {
        router.get("/retention") { _, context in try await due(context: context) }
        router.post("/retention/request/check") { _, context in try await requestCheck(context: context) }
        router.post("/retention/request") { _, context in try await request(context: context) }
        router.post("/retention/approve/check") { _, context in try await approveCheck(context: context) }
        router.post("/retention/approve") { _, context in try await approve(context: context) }
        router.get("/retention/hold") { _, context in try await holdForm(context: context) }
        router.post("/retention/hold/check") { _, context in try await holdCheck(context: context) }
        router.post("/retention/hold") { _, context in try await hold(context: context) }
        router.get("/retention/holds/{seq}/release") { _, context in try await releaseForm(context: context) }
        router.post("/retention/holds/{seq}/release/check") { _, context in try await releaseCheck(context: context) }
        router.post("/retention/holds/{seq}/release") { _, context in try await release(context: context) }
    }

    static func ruleTitle(_ rule: RetentionRule) -> String {
        switch rule {
        case .centralRecord: "Central record"
        case .refusedApplication: "Refused application"
        case .looksWithoutAuthorisation: "Looks without an authorisation"
        case .profileTags: "Profile tags of a year"
        }
    }

    private func due(context: WebContext, errors: [FieldError] = [], done: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let session = try context.requiring(.administrator)
        let report = try await state.services.retention.due()
        let holds = try await standingHolds()
        var values: [String: Any] = [
            "holds": holds.map { hold in
                ["case": hold.caseName, "seq": String(hold.seq), "placed_by": hold.placedBy, "at": Display.time(hold.at), "reason": hold.reason]
            },
            "has_holds": !holds.isEmpty,
            "cases": report.cases.map { item in
                [
                    "case": item.caseName, "rule": Self.ruleTitle(item.rule), "from": Display.time(item.from), "due_on": Display.date(item.dueOn),
                    "period": "\(item.months) months", "source": item.source, "held": item.held,
                    "holds": item.holds.map { "entry \($0.seq): \($0.reason) (\($0.placedBy))" }.joined(separator: "; "),
                ] as [String: Any]
            },
            "none_due": report.cases.isEmpty, "can_request": report.cases.contains { !$0.held },
            "requests": report.openRequests.map { request in
                [
                    "seq": String(request.seq), "by": request.requestedBy, "at": Display.time(request.at),
                    "cases": request.cases.map(\.caseName).joined(separator: ", "), "mine": request.requestedBy == session.userID,
                ] as [String: Any]
            },
            "has_requests": !report.openRequests.isEmpty,
            "errors": errors.map(\.values), "has_errors": !errors.isEmpty, "done": done ?? "",
        ]
        for error in errors { values[error.field + "_error"] = error.message }
        return await state.pages.render(
            "retention", title: (errors.isEmpty ? "" : "Error: ") + "Retention", data: values, context: context, state: state, status: status)
    }

    private func requestCheck(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        let free = try await state.services.retention.due().cases.filter { !$0.held }
        guard !free.isEmpty else {
            return try await due(context: context, errors: [FieldError(field: "cases", message: "No case is past its retention and free of legal holds")], status: .unprocessableContent)
        }
        return await People(state: state).check(
            context: context, title: "Check the destruction request", caption: "Retention",
            rows: free.map { ($0.caseName, "\(Self.ruleTitle($0.rule)), due on \(Display.date($0.dueOn))") },
            hidden: [], action: "/retention/request", button: "Sign and request destruction",
            warning: "A second administrator must approve the request before anything is destroyed. Cases under a legal hold are left out.",
            change: "/retention", errors: errors, status: status, template: "retention-check")
    }

    private func request(context: WebContext) async throws -> Response {
        let session = try context.requiring(.administrator)
        let service = state.services.retention
        switch try await People(state: state).decide(context, session, { actor in try await service.request(by: actor) }) {
        case .failure(let refusal): return try await requestCheck(context: context, errors: refusal.errors, status: refusal.status)
        case .success(let requested):
            state.logger.notice("destruction requested", metadata: ["by": .string(session.userID), "seq": .stringConvertible(requested.request.seq)])
            return try await due(
                context: context,
                done: "Destruction requested at entry \(requested.request.seq) for \(requested.request.cases.map(\.caseName).joined(separator: ", ")). Another administrator must approve it.")
        }
    }

    private func approveCheck(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        guard let text = context.form.text("request"), let seq = UInt64(text),
              let request = try await state.services.retention.due().openRequests.first(where: { $0.seq == seq })
        else {
            return try await due(context: context, errors: [FieldError(field: "requests", message: "That request is not awaiting approval")], status: .unprocessableContent)
        }
        return await People(state: state).check(
            context: context, title: "Check the destruction", caption: "Retention",
            rows: [("Request", "entry \(request.seq), by \(request.requestedBy), \(Display.time(request.at))")]
                + request.cases.map { ($0.caseName, "\(Self.ruleTitle($0.rule)), due on \(Display.date($0.dueOn))") },
            hidden: [("request", String(seq))], action: "/retention/approve", button: "Sign and destroy the personal data",
            warning: "The personal data of these cases is destroyed for good: their data keys are erased. The central record keeps what the Code of Practice requires and says the data was destroyed.",
            change: "/retention", errors: errors, status: status, template: "retention-check")
    }

    private func approve(context: WebContext) async throws -> Response {
        let session = try context.requiring(.administrator)
        guard let text = context.form.text("request"), let seq = UInt64(text) else { throw WebError.badRequest("No request was named") }
        let service = state.services.retention
        switch try await People(state: state).decide(context, session, { actor in try await service.approve(request: seq, by: actor) }) {
        case .failure(let refusal): return try await approveCheck(context: context, errors: refusal.errors, status: refusal.status)
        case .success(let approved):
            state.logger.notice("personal data destroyed", metadata: ["by": .string(session.userID), "seq": .stringConvertible(approved.seq)])
            return try await due(
                context: context,
                done: "Personal data destroyed at entry \(approved.seq): \(approved.cases.map(\.caseName).joined(separator: ", ")).")
        }
    }

    // MARK: Legal holds

    /// Every standing hold, by case then entry.
    private func standingHolds() async throws -> [RetentionHoldInfo] {
        try await state.services.retention.list().cases.flatMap(\.holds).filter { $0.releasedSeq == nil }
    }

    private func holdForm(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        var values: [String: Any] = [
            "case": context.form["case"] ?? "", "reason": context.form["reason"] ?? "",
            "errors": errors.map(\.values), "has_errors": !errors.isEmpty,
        ]
        for error in errors { values[error.field + "_error"] = error.message }
        return await state.pages.render(
            "retention-hold", title: (errors.isEmpty ? "" : "Error: ") + "Place a legal hold", data: values, context: context, state: state, status: status)
    }

    private func holdCheck(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        var missing: [FieldError] = []
        if context.form.text("case") == nil { missing.append(FieldError(field: "case", message: "Enter the case to hold")) }
        if context.form.text("reason") == nil { missing.append(FieldError(field: "reason", message: "Enter why the case is held")) }
        guard missing.isEmpty, let name = context.form.text("case"), let reason = context.form.text("reason") else {
            return try await holdForm(context: context, errors: missing, status: .unprocessableContent)
        }
        return await People(state: state).check(
            context: context, title: "Check the legal hold", caption: "Retention", rows: [("Case", name), ("Reason", reason)],
            hidden: [("case", name), ("reason", reason)], action: "/retention/hold", button: "Sign and place the hold",
            warning: "While the hold stands, the case's personal data is not destroyed, even once its retention has passed.",
            change: "/retention/hold", errors: errors, status: status, template: "retention-check")
    }

    private func hold(context: WebContext) async throws -> Response {
        let session = try context.requiring(.administrator)
        guard let name = context.form.text("case"), let reason = context.form.text("reason") else { throw WebError.badRequest("No case or reason was given") }
        let service = state.services.retention
        switch try await People(state: state).decide(context, session, { actor in try await service.hold(name, reason: reason, by: actor) }) {
        case .failure(let refusal): return try await holdCheck(context: context, errors: refusal.errors, status: refusal.status)
        case .success(let hold):
            state.logger.notice("legal hold placed", metadata: ["by": .string(session.userID), "seq": .stringConvertible(hold.seq)])
            return try await due(context: context, done: "Legal hold placed on \(hold.caseName) at entry \(hold.seq).")
        }
    }

    /// The standing hold the path names.
    private func pathHold(_ context: WebContext) async throws -> RetentionHoldInfo {
        guard let text = context.parameters.get("seq"), let seq = UInt64(text),
              let hold = try await standingHolds().first(where: { $0.seq == seq })
        else { throw WebError.notFound }
        return hold
    }

    private func releaseForm(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        let hold = try await pathHold(context)
        var values: [String: Any] = [
            "case": hold.caseName, "seq": String(hold.seq), "placed_by": hold.placedBy, "at": Display.time(hold.at), "hold_reason": hold.reason,
            "reason": context.form["reason"] ?? "", "errors": errors.map(\.values), "has_errors": !errors.isEmpty,
        ]
        for error in errors { values[error.field + "_error"] = error.message }
        return await state.pages.render(
            "retention-release", title: (errors.isEmpty ? "" : "Error: ") + "Release the legal hold on \(hold.caseName)", data: values,
            context: context, state: state, status: status)
    }

    private func releaseCheck(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        let hold = try await pathHold(context)
        guard let reason = context.form.text("reason") else {
            return try await releaseForm(context: context, errors: [FieldError(field: "reason", message: "Enter why the hold is released")], status: .unprocessableContent)
        }
        return await People(state: state).check(
            context: context, title: "Check the release", caption: "Retention",
            rows: [("Case", hold.caseName), ("Hold", "entry \(hold.seq), by \(hold.placedBy), \(Display.time(hold.at)): \(hold.reason)"), ("Reason for release", reason)],
            hidden: [("reason", reason)], action: "/retention/holds/\(hold.seq)/release", button: "Sign and release the hold",
            warning: "Once no hold stands, a case past its retention may be destroyed.",
            change: "/retention/holds/\(hold.seq)/release", errors: errors, status: status, template: "retention-check")
    }

    private func release(context: WebContext) async throws -> Response {
        let session = try context.requiring(.administrator)
        let hold = try await pathHold(context)
        guard let reason = context.form.text("reason") else { throw WebError.badRequest("No reason was given") }
        let service = state.services.retention
        switch try await People(state: state).decide(context, session, { actor in try await service.release(hold.caseName, hold: hold.seq, reason: reason, by: actor) }) {
        case .failure(let refusal): return try await releaseCheck(context: context, errors: refusal.errors, status: refusal.status)
        case .success(let released):
            state.logger.notice("legal hold released", metadata: ["by": .string(session.userID), "seq": .stringConvertible(released.seq)])
            return try await due(context: context, done: "Legal hold on \(hold.caseName) (entry \(hold.seq)) released at entry \(released.seq).")
        }
    }
}
