import Foundation
import Hummingbird
import Ledger
import Logging
import RIPA

/// The administrator's policy pages: the pack in force, and adopting a new one from its YAML
/// files (read in memory, checked against the statutory floors when read and again inside
/// the append), on a "check your answers" page signed with the passphrase given again.
struct PolicyPages {
    let state: ServerState
    let pending = PendingPacks()

    /// Packs uploaded and checked, waiting for their adoption to be signed: in memory only,
    /// for the administrator who uploaded them, for an hour.
    actor PendingPacks {
        struct Pack {
            let policy: Policy
            let files: [String]
            let userID: String
            let uploaded: Date
        }

        private var packs: [String: Pack] = [:]

        func keep(_ pack: Pack) -> String {
            packs = packs.filter { Date().timeIntervalSince($0.value.uploaded) < 3600 }
            let token = Token.random()
            packs[token] = pack
            return token
        }

        func pack(_ token: String, for userID: String) -> Pack? {
            guard let pack = packs[token], pack.userID == userID, Date().timeIntervalSince(pack.uploaded) < 3600 else { return nil }
            return pack
        }

        func remove(_ token: String) { packs[token] = nil }
    }

    func addRoutes(to router: Router<WebContext>) {
        router.get("/policy") { _, context in try await inForce(context: context) }
        router.post("/policy/check") { _, context in try await upload(context: context) }
        router.post("/policy/adopt") { _, context in try await adopt(context: context) }
    }

    /// Every rule of a pack as `path: value` lines, in the pack's key order (sorted).
    static func ruleRows(_ value: JSONValue, path: String = "") -> [[String: String]] {
        switch value {
        case .object(let members):
            return members.keys.sorted().flatMap { key in ruleRows(members[key]!, path: path.isEmpty ? key : path + "." + key) }
        case .array(let items):
            if items.allSatisfy({ if case .object = $0 { false } else { true } }) {
                return [["key": path, "value": items.map(scalar).joined(separator: ", ")]]
            }
            return items.enumerated().flatMap { ruleRows($0.element, path: "\(path)[\($0.offset)]") }
        default:
            return [["key": path, "value": scalar(value)]]
        }
    }

    static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .bool(let flag): flag ? "yes" : "no"
        case .null: "none"
        default: value.canonicalString
        }
    }

    private func inForce(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        let adopted = try await state.services.policy.inForce()
        let rules = adopted.policy.rules
        let thresholds = try adopted.offenceThresholds()
        var values: [String: Any] = [
            "id": rules.id, "version": String(rules.version), "title": rules.title, "seq": String(adopted.seq), "hash": adopted.hash,
            "time_zone": rules.timeZone,
            "rules": Self.ruleRows(try JSONValue(encoding: rules)),
            "offences": thresholds.map {
                [
                    "id": $0.offenceID, "citation": $0.citation, "maximum": $0.maximum,
                    "finding": $0.finding.map { f in f == .exempt ? "exempt" : f == .passes ? "meets the threshold" : "below the threshold" } ?? "",
                    "finding_tag": $0.finding.map { f in f == .fails ? "tag--red" : f == .exempt ? "tag--purple" : "tag--green" } ?? "tag--grey",
                ]
            },
            "offence_count": thresholds.count,
            "errors": errors.map(\.values), "has_errors": !errors.isEmpty,
        ]
        for error in errors { values[error.field + "_error"] = error.message }
        return await state.pages.render(
            "policy", title: (errors.isEmpty ? "" : "Error: ") + "Policy", data: values, context: context, state: state, status: status)
    }

    /// Reads the uploaded files in memory and checks them as a pack; the check page.
    private func upload(context: WebContext) async throws -> Response {
        let session = try context.requiring(.administrator)
        var files: [(name: String, text: String)] = []
        var errors: [FieldError] = []
        for field in ["pack", "offences", "offences_more"] {
            guard let file = context.form.files[field] else { continue }
            let name = URL(fileURLWithPath: file.filename.isEmpty ? field + ".yaml" : file.filename).lastPathComponent
            guard let text = String(validating: file.bytes, as: UTF8.self) else {
                errors.append(FieldError(field: field, message: "\(name) is not UTF-8 text; choose the YAML file"))
                continue
            }
            files.append((name, text))
        }
        if context.form.files["pack"] == nil { errors.append(FieldError(field: "pack", message: "Choose the policy pack's YAML file")) }
        if context.form.files["offences"] == nil { errors.append(FieldError(field: "offences", message: "Choose the offence catalogue's YAML file")) }
        guard errors.isEmpty else { return try await inForce(context: context, errors: errors, status: .unprocessableContent) }
        let policy: Policy
        do {
            policy = try PolicyLoader.load(files: files)
        } catch {
            let field = files.firstIndex { $0.name == error.file }.map { ["pack", "offences", "offences_more"][$0] } ?? "pack"
            return try await inForce(context: context, errors: [FieldError(field: field, message: error.description)], status: .unprocessableContent)
        }
        let token = await pending.keep(.init(policy: policy, files: files.map(\.name), userID: session.userID, uploaded: Date()))
        return await checkPage(context: context, token: token, policy: policy, files: files.map(\.name))
    }

    private func checkPage(
        context: WebContext, token: String, policy: Policy, files: [String], errors: [FieldError] = [], status: HTTPResponse.Status = .ok
    ) async -> Response {
        let current = try? await state.services.policy.inForce()
        let hash = (try? PolicyAdoption.hash(of: policy)) ?? ""
        return await People(state: state).check(
            context: context, title: "Check the policy pack", caption: "Adopt a policy pack",
            rows: [
                ("Pack", policy.rules.id), ("Version", "\(policy.rules.version)" + (current.map { " (in force: \($0.policy.rules.version))" } ?? "")),
                ("Title", policy.rules.title), ("Offences in the catalogue", String(policy.offences.offences.count)),
                ("Files", files.joined(separator: ", ")), ("SHA-256", hash),
            ],
            hidden: [("pending", token)], action: "/policy/adopt", button: "Sign and adopt",
            warning: "Every decision from now on follows this pack. It cannot be undone, only replaced by a later version.",
            change: "/policy", errors: errors, status: status, template: "policy-check")
    }

    private func adopt(context: WebContext) async throws -> Response {
        let session = try context.requiring(.administrator)
        guard let token = context.form.text("pending"), let pack = await pending.pack(token, for: session.userID) else {
            return try await inForce(
                context: context, errors: [FieldError(field: "pack", message: "The upload had expired; choose the files again")],
                status: .unprocessableContent)
        }
        let service = state.services.policy
        let result: PolicyAdopted
        do {
            switch try await People(state: state).decide(context, session, { actor in try await service.adopt(pack.policy, files: pack.files, by: actor) }) {
            case .failure(let refusal):
                return await checkPage(context: context, token: token, policy: pack.policy, files: pack.files, errors: refusal.errors, status: refusal.status)
            case .success(let adopted): result = adopted
            }
        } catch let error as PolicyError {
            return await checkPage(
                context: context, token: token, policy: pack.policy, files: pack.files, errors: [FieldError(field: "answers", message: error.description)],
                status: .unprocessableContent)
        }
        await pending.remove(token)
        state.logger.notice("policy adopted", metadata: ["by": .string(session.userID), "version": .stringConvertible(result.version)])
        return await state.pages.render(
            "policy-adopted", title: "Policy adopted",
            data: ["title": result.title, "version": String(result.version), "seq": String(result.seq), "hash": result.hash, "offences": result.offences],
            context: context, state: state)
    }
}

/// The register key: the verifier key to publish, the keys it has had, and rotating it.
struct RegisterKeyPages {
    let state: ServerState

    func addRoutes(to router: Router<WebContext>) {
        router.get("/register-key") { _, context in try await show(context: context) }
        router.post("/register-key/check") { _, context in try await check(context: context) }
        router.post("/register-key/rotate") { _, context in try await rotate(context: context) }
    }

    private func show(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        let info = try await state.services.verification.info()
        let keys = await state.integrity.last?.report?.verifierKeys ?? [info.verifierKey]
        var values: [String: Any] = [
            "verifier_key": info.verifierKey, "origin": info.origin, "size": String(info.size),
            "history": keys.enumerated().map { ["key": $0.element, "current": $0.element == info.verifierKey, "number": $0.offset + 1] },
            "reason": context.form["reason"] ?? "", "errors": errors.map(\.values), "has_errors": !errors.isEmpty,
        ]
        for error in errors { values[error.field + "_error"] = error.message }
        return await state.pages.render(
            "register-key", title: (errors.isEmpty ? "" : "Error: ") + "Register key", data: values, context: context, state: state, status: status)
    }

    private func check(context: WebContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requiring(.administrator)
        guard let reason = context.form.text("reason") else {
            return try await show(context: context, errors: [FieldError(field: "reason", message: "Enter why the register key is replaced")], status: .unprocessableContent)
        }
        let info = try await state.services.verification.info()
        return await People(state: state).check(
            context: context, title: "Check the rotation of the register key", caption: "Register key",
            rows: [("Key now", info.verifierKey), ("Reason", reason)], hidden: [("reason", reason)], action: "/register-key/rotate",
            button: "Sign and rotate the key",
            warning: "The old key signs the change to the new one. Publish the new verifier key wherever the old one was published.",
            change: "/register-key", errors: errors, status: status, template: "register-key-check")
    }

    private func rotate(context: WebContext) async throws -> Response {
        let session = try context.requiring(.administrator)
        guard let reason = context.form.text("reason") else { throw WebError.badRequest("No reason was given") }
        let users = state.services.users
        switch try await People(state: state).decide(context, session, { actor in try await users.rotateRegisterKey(reason: reason, by: actor) }) {
        case .failure(let refusal): return try await check(context: context, errors: refusal.errors, status: refusal.status)
        case .success(let rotated):
            state.logger.notice("register key rotated", metadata: ["by": .string(session.userID)])
            return await state.pages.render(
                "register-key-rotated", title: "Register key rotated", data: ["verifier_key": rotated.verifierKey], context: context, state: state)
        }
    }
}
