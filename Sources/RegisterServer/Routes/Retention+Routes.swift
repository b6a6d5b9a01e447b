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
        var values: [String: Any] = [
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
}
