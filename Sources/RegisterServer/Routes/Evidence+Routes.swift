import Foundation
import Hummingbird
import Ledger
import RIPA

/// The evidence an auditor or inspector checks: the log, one entry's signed bytes, the
/// latest checkpoint, inclusion proofs, a case's timeline, and verification run in the
/// background. Read-only: auditors and administrators (a case's timeline: auditors).
struct Evidence {
    let state: ServerState
    let jobs: VerificationJobs

    init(state: ServerState) {
        self.state = state
        jobs = VerificationJobs(services: state.services)
    }

    /// Entries per page of the log.
    static let pageSize: UInt64 = 50

    func addRoutes(to router: Router<WebContext>) {
        router.get("/log") { request, context in try await log(request: request, context: context) }
        router.get("/log/{seq}") { _, context in try await entry(context: context) }
        router.get("/checkpoint") { _, context in try await checkpoint(context: context) }
        router.get("/checkpoint.txt") { _, context in try await checkpointText(context: context) }
        router.get("/proofs/inclusion/{seq}") { _, context in try await inclusionProof(context: context) }
        router.get("/cases/{urn}/timeline") { _, context in try await timeline(context: context) }
        router.get("/verify") { _, context in try await verifyForm(context: context) }
        router.post("/verify") { _, context in try await startVerification(context: context) }
        router.get("/verify/{job}") { _, context in try await verification(context: context) }
    }

    private struct Enough: Error {}

    /// Up to `limit` described lines of the log from `start` on.
    private func lines(from start: UInt64, limit: UInt64) async throws -> [LogLine] {
        var lines: [LogLine] = []
        do {
            try await state.services.verification.log(from: start, described: true) { batch in
                for line in batch {
                    lines.append(line)
                    if lines.count >= limit { throw Enough() }
                }
            }
        } catch is Enough {}
        return lines
    }

    /// The page's number parameter; 404 for anything that is not one.
    private func number(_ name: String, _ context: WebContext) throws -> UInt64 {
        guard let text = context.parameters.get(name), let value = UInt64(text) else { throw WebError.notFound }
        return value
    }

    static func kindTitle(_ kind: String?) -> String {
        switch kind ?? "" {
        case "register.created": "Register created"
        case "register.key-rotated": "Register key rotated"
        case "user.invited": "Person invited"
        case "user.accepted": "Invitation accepted"
        case "user.approved": "Roles approved"
        case "user.key-replaced": "Passphrase changed"
        case "user.roles-changed": "Roles changed"
        case "user.revoked": "Person revoked"
        case "policy.adopted": "Policy adopted"
        case "application.submitted": "Application submitted"
        case "application.refused": "Application refused at the threshold"
        case "authorisation.granted": "Granted by the authorising officer"
        case "authorisation.refused": "Refused by the authorising officer"
        case "judicial.decision": "Justice of the peace's decision"
        case "authorisation.reviewed": "Reviewed"
        case "authorisation.renewed": "Renewed"
        case "authorisation.cancelled": "Cancelled"
        case "view.recorded": "Profile looked at"
        case "view.refused": "Look refused"
        case "profile.aliased": "Profiles made one"
        default: kind ?? "Entry"
        }
    }

    static func lineValues(_ line: LogLine) -> [String: Any] {
        [
            "seq": String(line.seq), "time": line.time.map(Display.time) ?? "", "kind": line.kind ?? "",
            "kind_title": kindTitle(line.kind), "signer": line.signer ?? "",
        ]
    }

    private func log(request: Request, context: WebContext) async throws -> Response {
        _ = try context.requiring(.auditor, .administrator)
        let size = try await state.services.verification.info().size
        var start: UInt64 = 0
        if let text = request.uri.queryParameters["from"].map(String.init) {
            guard let value = UInt64(text) else { throw WebError.badRequest("The first entry to show must be a number") }
            start = min(value, size)
        }
        let lines = try await lines(from: start, limit: Self.pageSize)
        var values: [String: Any] = [
            "size": String(size), "lines": lines.map(Self.lineValues), "none": lines.isEmpty,
            "first": String(start), "last": String(start + UInt64(max(lines.count, 1)) - 1),
        ]
        if start > 0 { values["previous"] = String(start >= Self.pageSize ? start - Self.pageSize : 0) }
        if start + Self.pageSize < size { values["next"] = String(start + Self.pageSize) }
        return await state.pages.render("log", title: "Log", data: values, context: context, state: state)
    }

    private func entry(context: WebContext) async throws -> Response {
        _ = try context.requiring(.auditor, .administrator)
        let seq = try number("seq", context)
        let size = try await state.services.verification.info().size
        guard seq < size, let line = try await lines(from: seq, limit: 1).first, line.seq == seq else { throw WebError.notFound }
        var values = Self.lineValues(line)
        values["leaf"] = line.leaf
        switch line.personalData {
        case .opened(let name)?:
            values["personal"] = "Sealed under the data key of \(name), and opened."
            values["opened"] = line.openedBody ?? ""
        case .destroyed(let name, let seq)?:
            values["personal"] = "Sealed under the data key of \(name), which was destroyed by entry \(seq): the personal fields can no longer be read by anyone."
        case .sealed(let name)?:
            values["personal"] = "Sealed under the data key of \(name); this server does not hold the data-protection key to open it."
        case .clear?, nil:
            break
        }
        return await state.pages.render("log-entry", title: "Entry \(seq)", data: values, context: context, state: state)
    }

    private func checkpoint(context: WebContext) async throws -> Response {
        _ = try context.requiring(.auditor, .administrator)
        let note = try await state.services.verification.latestCheckpoint()
        let info = try await state.services.verification.info()
        return await state.pages.render(
            "checkpoint", title: "Latest checkpoint",
            data: ["note": note, "size": String(info.size), "root": info.root, "origin": info.origin, "verifier_key": info.verifierKey],
            context: context, state: state)
    }

    private func checkpointText(context: WebContext) async throws -> Response {
        _ = try context.requiring(.auditor, .administrator)
        let note = try await state.services.verification.latestCheckpoint()
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: note)))
    }

    private func inclusionProof(context: WebContext) async throws -> Response {
        _ = try context.requiring(.auditor, .administrator)
        let seq = try number("seq", context)
        // The proof against the tree of the latest checkpoint, so the two can be checked together.
        let note = try await state.services.verification.latestCheckpoint()
        guard let size = Self.checkpointSize(note), seq < size else { throw WebError.notFound }
        let proof = try await state.services.verification.inclusionProof(index: seq, size: size)
        return await state.pages.render(
            "log-proof", title: "Inclusion proof of entry \(seq)",
            data: [
                "seq": String(seq), "size": String(proof.size), "leaf_hash": proof.leafHash, "root": proof.root,
                "hashes": proof.proof.enumerated().map { ["level": $0.offset, "hash": $0.element] }, "no_hashes": proof.proof.isEmpty,
                "note": note,
            ],
            context: context, state: state)
    }

    /// The tree size a checkpoint note states (its second line).
    static func checkpointSize(_ note: String) -> UInt64? {
        let lines = note.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 1 else { return nil }
        return UInt64(lines[1])
    }

    /// Where the case's retention stands, in words (docs/retention.md).
    static func retentionText(_ retention: RetentionCaseState) -> String {
        let rule = retention.rule.map(RetentionPages.ruleTitle) ?? ""
        switch retention.state {
        case .notBegun: return "Its retention period has not begun: the authorisation has not ended."
        case .running: return "Kept under the rule \(rule) until it is due for destruction on \(retention.dueOn.map(Display.date) ?? "")."
        case .due: return "Past its retention (\(rule)) since \(retention.dueOn.map(Display.date) ?? ""): due for destruction."
        case .held: return "Past its retention (\(rule)) since \(retention.dueOn.map(Display.date) ?? ""), but kept under a legal hold."
        case .destroyed:
            guard let destroyed = retention.destroyed else { return "Personal data destroyed." }
            return "Personal data destroyed on \(Display.date(destroyed.on)) under the rule \(RetentionPages.ruleTitle(destroyed.rule)) (entry \(destroyed.seq), approved by \(destroyed.approvedBy))."
        }
    }

    private func timeline(context: WebContext) async throws -> Response {
        _ = try context.requiring(.auditor)
        guard let urn = context.parameters.get("urn") else { throw WebError.notFound }
        let status: CaseStatus
        let lines: [LogLine]
        do {
            status = try await state.services.casework.status(of: urn)
            lines = try await state.services.verification.entries(urn: urn)
        } catch let error as RIPAError where error.code == .unknownURN {
            throw WebError.notFound
        }
        let authorisation = status.authorisation
        let retention = try await state.services.retention.state(of: urn)
        return await state.pages.render(
            "timeline", title: "Timeline of \(urn)",
            data: [
                "urn": urn, "type": authorisation.type.title, "operation": authorisation.application.operation,
                "state": Records.stateTitle(status.state), "state_tag": Display.tagClass(status.state),
                "steps": lines.map(Self.lineValues), "none": lines.isEmpty,
                "retention": Self.retentionText(retention),
                "holds": retention.holds.map { ["seq": String($0.seq), "reason": $0.reason, "by": $0.placedBy, "at": Display.time($0.at)] },
                "has_holds": !retention.holds.isEmpty,
            ],
            context: context, state: state)
    }

    private func verifyForm(context: WebContext) async throws -> Response {
        _ = try context.requiring(.auditor, .administrator)
        let last = await state.integrity.last
        var values: [String: Any] = [:]
        if let last {
            values["last_ok"] = last.ok
            values["last_text"] = Self.resultText(last)
        }
        if let checked = await state.integrity.lastChecked { values["last_checked"] = Display.time(EntryTime(checked)) }
        return await state.pages.render("verify", title: "Verify the register", data: values, context: context, state: state)
    }

    private func startVerification(context: WebContext) async throws -> Response {
        let session = try context.requiring(.auditor, .administrator)
        let id = await jobs.start(replay: context.form.ticked("replay"), by: session.userID)
        return Pages.redirect("/verify/" + id)
    }

    static func resultText(_ result: VerificationResult) -> String {
        if let report = result.report {
            var text = "\(report.size) entries verified: every signature, link and checkpoint"
            if let replayed = report.replayedDecisions { text += "; \(replayed) decisions replayed against the policy in force at the time" }
            return text + "."
        }
        if let failure = result.failure { return failure.description }
        return ""
    }

    private func verification(context: WebContext) async throws -> Response {
        _ = try context.requiring(.auditor, .administrator)
        guard let id = context.parameters.get("job"), let job = await jobs.job(id) else { throw WebError.notFound }
        var values: [String: Any] = [
            "running": job.running, "replay": job.replay, "requested_by": job.requestedBy,
            "started": Display.time(EntryTime(job.started)), "done": String(job.done), "total": String(job.total),
            "known_total": job.total > 0,
        ]
        if job.running {
            values["refresh_seconds"] = 2
        } else if let result = job.result {
            values["ok"] = result.ok
            values["failed"] = !result.ok
            if let report = result.report {
                values["report"] = [
                    "size": String(report.size), "root": report.root.base64, "active_users": report.activeUsers,
                    "verifier_keys": report.verifierKeys.map { ["key": $0] },
                    "replayed": report.replayedDecisions.map(String.init) ?? "not replayed",
                ] as [String: Any]
            }
            if let failure = result.failure {
                values["failure"] = [
                    "index": failure.index.map(String.init) ?? "", "has_index": failure.index != nil,
                    "check": failure.check.rawValue, "message": failure.message,
                ] as [String: Any]
            }
        } else if let error = job.error {
            values["failed"] = true
            values["error"] = error
        }
        return await state.pages.render(
            "verify-job", title: job.running ? "Verifying the register" : (job.result?.ok == true ? "The register verified" : "The register failed verification"),
            data: values, context: context, state: state)
    }
}
