import Foundation
import Hummingbird
import Ledger
import Logging
import RIPA

/// The administrator's pages for people: who is enrolled, with which roles and in what state,
/// the lockouts in force; inviting, approving a privileged role, changing roles and revoking,
/// each on a "check your answers" page signed with the passphrase given again.
struct People {
    let state: ServerState

    func addRoutes(to router: Router<WebContext>) {
        router.get("/people") { request, context in try await list(request: request, context: context) }
        router.post("/people/lockouts/lift") { _, context in try await lift(context: context) }
        router.get("/people/new") { _, context in try await inviteForm(context: context) }
        router.post("/people/new/check") { _, context in try await inviteCheck(context: context) }
        router.post("/people/new") { _, context in try await invite(context: context) }
        router.get("/people/{id}") { request, context in try await person(request: request, context: context) }
        router.get("/people/{id}/approve") { _, context in try await approveCheck(context: context) }
        router.post("/people/{id}/approve") { _, context in try await approve(context: context) }
        router.get("/people/{id}/roles") { _, context in try await rolesForm(context: context) }
        router.post("/people/{id}/roles/check") { _, context in try await rolesCheck(context: context) }
        router.post("/people/{id}/roles") { _, context in try await changeRoles(context: context) }
        router.get("/people/{id}/revoke") { _, context in try await revokeForm(context: context) }
        router.post("/people/{id}/revoke/check") { _, context in try await revokeCheck(context: context) }
        router.post("/people/{id}/revoke") { _, context in try await revoke(context: context) }
    }

    // MARK: Shared

    /// The state a person is in, as a tag.
    static func stateTag(_ user: UserSummary) -> (text: String, tag: String) {
        if user.revokedSeq != nil { return user.acceptedSeq == nil ? ("invitation withdrawn", "tag--grey") : ("revoked", "tag--red") }
        if user.acceptedSeq == nil { return user.status.hasPrefix("invitation expired") ? ("invitation expired", "tag--grey") : ("invited", "tag--yellow") }
        if user.awaitingApproval != nil { return ("awaiting approval", "tag--purple") }
        return ("active", "tag--green")
    }

    static func roleList(_ roles: [Role]) -> String {
        roles.isEmpty ? "none" : roles.map(\.title).joined(separator: ", ")
    }

    static func userValues(_ user: UserSummary) -> [String: Any] {
        let tag = stateTag(user)
        return [
            "user_id": user.userID, "name": user.name, "rank": user.rank, "roles": roleList(user.roles),
            "pending": user.awaitingApproval.map { "\(roleList($0.roles)) (asked by \($0.requestedBy); \($0.approvals.count) of \($0.required) approvals)" } ?? "",
            "has_pending": user.awaitingApproval != nil, "revoked": user.revokedSeq != nil,
            "state": tag.text, "state_tag": tag.tag, "status": user.status, "invited_by": user.invitedBy ?? "register (founder)",
            "head_of_paid_service": user.headOfPaidService,
        ]
    }

    /// The person with this id, or 404.
    private func user(_ context: WebContext) async throws -> UserSummary {
        guard let id = context.parameters.get("id") else { throw WebError.notFound }
        do { return try await state.services.users.user(id) } catch let error as RIPAError where error.code == .unknownUser { throw WebError.notFound }
    }

    /// The roles ticked on a form, in the register's order.
    private static func roles(_ form: FormFields) -> [Role] {
        Role.allCases.filter { form.all("roles").contains($0.rawValue) }
    }

    private static func roleOptions(_ chosen: [Role]) -> [[String: Any]] {
        Role.allCases.enumerated().map { index, role in
            [
                "id": index == 0 ? "roles" : "roles-" + role.rawValue, "value": role.rawValue, "text": role.title, "checked": chosen.contains(role),
                "hint": role.isPrivileged ? "Needs another administrator's approval" : "",
            ] as [String: Any]
        }
    }

    /// A "check your answers" page with the step-up.
    func check(
        context: WebContext, title: String, caption: String, rows: [(String, String)], hidden: [(String, String)], action: String,
        button: String, warning: String? = nil, change: String? = nil, errors: [FieldError] = [], status: HTTPResponse.Status = .ok,
        template: String = "people-check"
    ) async -> Response {
        var values: [String: Any] = [
            "heading": title, "caption": caption, "rows": rows.map { ["key": $0.0, "value": $0.1] },
            "hidden": hidden.map { ["name": $0.0, "value": $0.1] }, "action": action, "button": button,
            "errors": errors.map(\.values), "has_errors": !errors.isEmpty,
        ]
        if let warning { values["warning"] = warning }
        if let change { values["change_href"] = change }
        for error in errors { values[error.field + "_error"] = error.message }
        return await state.pages.render(
            template, title: (errors.isEmpty ? "" : "Error: ") + title, data: values, context: context, state: state, status: status)
    }

    /// Runs a decision with the step-up; the field errors when the passphrase or the decision
    /// is refused (nothing is written then).
    func decide<T: Sendable>(
        _ context: WebContext, _ session: WebSession, _ body: @Sendable (Actor) async throws -> T
    ) async throws -> Result<T, StepUpRefusal> {
        do {
            let actor = try await state.stepUp(session, passphrase: context.form["passphrase"], peer: context.peer)
            return .success(try await state.write { try await body(actor) })
        } catch let error as RIPAError {
            let field = error.values["field"] == "passphrase" ? "passphrase" : "answers"
            return .failure(StepUpRefusal(errors: [FieldError(error, defaultField: field)], status: error.status))
        } catch WebError.lockedOut {
            return .failure(StepUpRefusal(errors: [FieldError(field: "passphrase", message: WebError.lockedOut.message)], status: .tooManyRequests))
        }
    }

    struct StepUpRefusal: Error {
        var errors: [FieldError]
        var status: HTTPResponse.Status
    }

    // MARK: The list

    private func list(request: Request, context: WebContext) async throws -> Response {
        _ = try context.requiring(.administrator)
        let users = try await state.services.users.list()
        let lockouts = await state.throttle.lockouts()
        var values: [String: Any] = [
            "people": users.map(Self.userValues),
            "lockouts": lockouts.map {
                ["kind": $0.kind, "kind_title": $0.kind == "user" ? "User ID" : "Address", "subject": $0.subject,
                 "until": Display.time(EntryTime($0.until))]
            },
            "no_lockouts": lockouts.isEmpty,
        ]
        if let done = request.uri.queryParameters["done"].map(String.init) {
            switch done {
            case "lifted": values["done"] = "The lockout was lifted"
            default: break
            }
        }
        return await state.pages.render("people", title: "People", data: values, context: context, state: state)
    }

    private func lift(context: WebContext) async throws -> Response {
        let session = try context.requiring(.administrator)
        guard let kind = context.form.text("kind"), kind == "user" || kind == "address", let subject = context.form.text("subject") else {
            throw WebError.badRequest("The lockout to lift was not named")
        }
        await state.throttle.lift(kind: kind, subject: subject)
        state.logger.notice("lockout lifted", metadata: ["by": .string(session.userID), "kind": .string(kind)])
        return Pages.redirect("/people?done=lifted")
    }

    // MARK: Inviting

    private func inviteForm(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        let form = context.form
        var values: [String: Any] = [
            "new_user_id": form["user_id"] ?? "", "name": form["name"] ?? "", "rank": form["rank"] ?? "",
            "head_of_paid_service": form.ticked("head_of_paid_service"), "roles": Self.roleOptions(Self.roles(form)),
            "errors": errors.map(\.values), "has_errors": !errors.isEmpty,
        ]
        for error in errors { values[error.field + "_error"] = error.message }
        return await state.pages.render(
            "people-new", title: (errors.isEmpty ? "" : "Error: ") + "Invite a person", data: values, context: context, state: state,
            status: status)
    }

    /// The invitation the form describes, or the errors in it.
    private func newUser(_ form: FormFields) -> (NewUser?, [FieldError]) {
        var errors: [FieldError] = []
        let userID = form.text("user_id") ?? "", name = form.text("name") ?? "", rank = form.text("rank") ?? ""
        let roles = Self.roles(form)
        if userID.isEmpty { errors.append(FieldError(field: "user_id", message: "Enter the user ID they will sign in with")) }
        if name.isEmpty { errors.append(FieldError(field: "name", message: "Enter their full name")) }
        if rank.isEmpty { errors.append(FieldError(field: "rank", message: "Enter their rank or grade")) }
        if roles.isEmpty { errors.append(FieldError(field: "roles", message: "Select at least one role")) }
        guard errors.isEmpty else { return (nil, errors) }
        let user = NewUser(userID: userID, name: name, roles: roles, rank: rank, headOfPaidService: form.ticked("head_of_paid_service"))
        do {
            try user.validate()
        } catch {
            return (nil, [FieldError(error, defaultField: "user_id")])
        }
        return (user, [])
    }

    private func inviteCheck(context: WebContext) async throws -> Response {
        _ = try context.requiring(.administrator)
        let (user, errors) = newUser(context.form)
        guard let user else { return try await inviteForm(context: context, errors: errors, status: .unprocessableContent) }
        return await inviteCheckPage(context: context, user: user)
    }

    private func inviteCheckPage(context: WebContext, user: NewUser, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async -> Response {
        let privileged = user.roles.filter(\.isPrivileged)
        var hidden = [("user_id", user.userID), ("name", user.name), ("rank", user.rank)] + user.roles.map { ("roles", $0.rawValue) }
        if user.headOfPaidService { hidden.append(("head_of_paid_service", "yes")) }
        return await check(
            context: context, title: "Check the invitation", caption: "Invite a person",
            rows: [
                ("User ID", user.userID), ("Name", user.name), ("Rank or grade", user.rank), ("Roles", Self.roleList(user.roles)),
                ("Head of paid service", user.headOfPaidService ? "yes" : "no"),
            ],
            hidden: hidden, action: "/people/new", button: "Sign and invite",
            warning: privileged.isEmpty ? nil : "\(Self.roleList(privileged)) will wait for another administrator's approval (two-person control).",
            errors: errors, status: status)
    }

    private func invite(context: WebContext) async throws -> Response {
        let session = try context.requiring(.administrator)
        let (user, errors) = newUser(context.form)
        guard let user else { return try await inviteForm(context: context, errors: errors, status: .unprocessableContent) }
        let users = state.services.users
        switch try await decide(context, session, { actor in
            try await users.invite(
                userID: user.userID, name: user.name, roles: user.roles, rank: user.rank, headOfPaidService: user.headOfPaidService, by: actor)
        }) {
        case .failure(let refusal):
            return await inviteCheckPage(context: context, user: user, errors: refusal.errors, status: refusal.status)
        case .success(let issued):
            // The code is in this response only: the register keeps its hash, the server nothing.
            state.logger.info("invited", metadata: ["by": .string(session.userID), "user_id": .string(issued.userID)])
            return await state.pages.render(
                "people-invited", title: "Invitation made",
                data: [
                    "invited_id": issued.userID, "name": user.name, "code": issued.code, "expires": Display.time(issued.expiresAt),
                    "seq": String(issued.seq), "awaiting": Self.roleList(issued.awaitingApproval), "has_awaiting": !issued.awaitingApproval.isEmpty,
                ],
                context: context, state: state)
        }
    }

    // MARK: One person

    private func person(request: Request, context: WebContext) async throws -> Response {
        _ = try context.requiring(.administrator)
        let user = try await user(context)
        var values = Self.userValues(user)
        if let done = request.uri.queryParameters["done"].map(String.init) {
            values["done"] = switch done {
            case "approved": "The roles were approved"
            case "roles": "The roles were changed"
            case "revoked": "The person was revoked"
            default: nil
            }
        }
        return await state.pages.render("people-person", title: user.name, data: values, context: context, state: state)
    }

    private func approveCheck(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        let user = try await user(context)
        guard let pending = user.awaitingApproval else { throw WebError.notFound }
        return await check(
            context: context, title: "Check the approval", caption: user.name,
            rows: [
                ("Person", "\(user.name) (\(user.userID)), \(user.rank)"), ("Roles to approve", Self.roleList(pending.roles)),
                ("Asked for by", pending.requestedBy), ("Approvals so far", "\(pending.approvals.count) of \(pending.required)"),
            ],
            hidden: [], action: "/people/\(user.userID)/approve", button: "Sign and approve",
            warning: "Approve only if you have confirmed, yourself, that this person should hold these roles.", errors: errors, status: status)
    }

    private func approve(context: WebContext) async throws -> Response {
        let session = try context.requiring(.administrator)
        let user = try await user(context)
        let users = state.services.users
        switch try await decide(context, session, { actor in try await users.approve(user.userID, by: actor) }) {
        case .failure(let refusal): return try await approveCheck(context: context, errors: refusal.errors, status: refusal.status)
        case .success: return Pages.redirect("/people/\(user.userID)?done=approved")
        }
    }

    private func rolesForm(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        let user = try await user(context)
        guard user.revokedSeq == nil else { throw WebError.notFound }
        let chosen = context.form.all("roles").isEmpty ? user.roles : Self.roles(context.form)
        var values = Self.userValues(user)
        values["options"] = Self.roleOptions(chosen)
        values["errors"] = errors.map(\.values)
        values["has_errors"] = !errors.isEmpty
        for error in errors { values[error.field + "_error"] = error.message }
        return await state.pages.render(
            "people-roles", title: (errors.isEmpty ? "" : "Error: ") + "Change roles", data: values, context: context, state: state, status: status)
    }

    private func rolesCheck(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        let user = try await user(context)
        let roles = Self.roles(context.form)
        if roles.isEmpty {
            return try await rolesForm(context: context, errors: [FieldError(field: "roles", message: "Select at least one role")], status: .unprocessableContent)
        }
        let added = roles.filter { $0.isPrivileged && !user.roles.contains($0) }
        return await check(
            context: context, title: "Check the change of roles", caption: user.name,
            rows: [("Person", "\(user.name) (\(user.userID))"), ("Roles now", Self.roleList(user.roles)), ("New roles", Self.roleList(roles))],
            hidden: roles.map { ("roles", $0.rawValue) }, action: "/people/\(user.userID)/roles", button: "Sign and change roles",
            warning: added.isEmpty ? nil : "\(Self.roleList(added)) will wait for another administrator's approval.",
            change: "/people/\(user.userID)/roles", errors: errors, status: status)
    }

    private func changeRoles(context: WebContext) async throws -> Response {
        let session = try context.requiring(.administrator)
        let user = try await user(context)
        let roles = Self.roles(context.form)
        guard !roles.isEmpty else { throw WebError.badRequest("No roles were given") }
        let users = state.services.users
        switch try await decide(context, session, { actor in try await users.changeRoles(of: user.userID, to: roles, by: actor) }) {
        case .failure(let refusal): return try await rolesCheck(context: context, errors: refusal.errors, status: refusal.status)
        case .success:
            state.sessions.endAll(of: user.userID)
            return Pages.redirect("/people/\(user.userID)?done=roles")
        }
    }

    private func revokeForm(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        let user = try await user(context)
        guard user.revokedSeq == nil else { throw WebError.notFound }
        var values = Self.userValues(user)
        values["reason"] = context.form["reason"] ?? ""
        values["errors"] = errors.map(\.values)
        values["has_errors"] = !errors.isEmpty
        for error in errors { values[error.field + "_error"] = error.message }
        return await state.pages.render(
            "people-revoke", title: (errors.isEmpty ? "" : "Error: ") + "Revoke \(user.name)", data: values, context: context, state: state,
            status: status)
    }

    private func revokeCheck(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        let user = try await user(context)
        guard let reason = context.form.text("reason") else {
            return try await revokeForm(context: context, errors: [FieldError(field: "reason", message: "Enter why they are revoked")], status: .unprocessableContent)
        }
        return await check(
            context: context, title: "Check the revocation", caption: user.name,
            rows: [("Person", "\(user.name) (\(user.userID)), \(user.rank)"), ("Roles", Self.roleList(user.roles)), ("Reason", reason)],
            hidden: [("reason", reason)], action: "/people/\(user.userID)/revoke", button: "Sign and revoke",
            warning: user.acceptedSeq == nil ? "Their invitation will be withdrawn." : "They will no longer be able to sign in or sign anything.",
            change: "/people/\(user.userID)/revoke", errors: errors, status: status)
    }

    private func revoke(context: WebContext) async throws -> Response {
        let session = try context.requiring(.administrator)
        let user = try await user(context)
        guard let reason = context.form.text("reason") else { throw WebError.badRequest("No reason was given") }
        let users = state.services.users
        switch try await decide(context, session, { actor in try await users.revoke(user.userID, reason: reason, by: actor) }) {
        case .failure(let refusal): return try await revokeCheck(context: context, errors: refusal.errors, status: refusal.status)
        case .success:
            state.sessions.endAll(of: user.userID)
            return Pages.redirect("/people/\(user.userID)?done=revoked")
        }
    }
}
