import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import RIPA
import Testing

@testable import RegisterServer

extension WebScene {
    /// An actor for a scene user, unlocked with their passphrase.
    func auditActor(_ id: String) async throws -> Actor {
        try await services.users.unlock(userID: id, passphrase: Self.passphrases[id]!)
    }

    /// Applies as `applicant`, grants as `mo` and has the JP approve: the URN and the three
    /// entries' seqs.
    func auditCase(operation: String = "Op Kestrel", applicant: String = "ivan", subject: String = "Sam Subject") async throws -> (urn: String, seqs: [UInt64]) {
        let investigator = try await auditActor(applicant)
        let mo = try await auditActor("mo")
        let application = RIPA.Application(
            type: .directedSurveillance, operation: operation, purpose: "To detect benefit fraud",
            subjects: [Subject(name: subject)], offences: ["fraud-act-2006-s1"], necessity: "Needed", proportionality: "Limited",
            collateralIntrusion: "Minimal", confidentialInformationLikely: false, team: [applicant])
        let applied = try await services.casework.apply(application, by: investigator)
        let urn = try #require(applied.urn)
        let granted = try await services.casework.grant(urn: urn, reasons: "Necessary and proportionate", reviewInterval: nil, firstReview: nil, directlyInvolved: false, by: mo)
        let judicial = try await services.casework.recordJudicial(
            urn: urn, decision: .approved, court: "Leeds Magistrates", magistrate: "J. Bench", decidedAt: clock.now, order: nil, by: investigator)
        return (urn, [applied.seq, granted.seq, judicial.seq])
    }

    /// Changes the stored bytes of one entry behind the register's back (as an attacker with
    /// the database file would), with the sqlite3 library through python3.
    func auditTamper(_ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let statements = """
            DROP TRIGGER IF EXISTS entries_no_update; DROP TRIGGER IF EXISTS entries_no_delete; DROP TRIGGER IF EXISTS entries_in_order;
            \(sql)
            """
        process.arguments = [
            "python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()",
            folder.appendingPathComponent("register.db").path, statements,
        ]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the tampering SQL failed")
    }
}

/// Reading pages: undoes Mustache's HTML escaping (`Browser.Page.unescape`).
func auditUnescape(_ text: some StringProtocol) -> String { Browser.Page.unescape(text) }

/// The text between `start` and the next `end` in `body`.
func auditBetween(_ body: String, _ start: String, _ end: String) -> String? {
    guard let open = body.range(of: start) else { return nil }
    let rest = body[open.upperBound...]
    guard let close = rest.range(of: end) else { return nil }
    return String(rest[..<close.lowerBound])
}

/// The auditor's read-only pages: the central record and its CSV, statistics, a case's
/// timeline with proofs, the log, the checkpoint and background verification (issue 10 §2).
@Suite struct AuditPagesTests {
    @Test func theRecordAndStatisticsAreForAuditorsAndTheMonitoringOfficerOnly() async throws {
        let scene = try await WebScene()
        let (urn, _) = try await scene.auditCase()
        try await scene.app().test(.router) { client in
            var ada = Browser(client)
            try await ada.signIn("ada")
            let record = try await ada.get("/record")
            #expect(record.status == .ok)
            #expect(record.body.contains(urn))
            for title in CentralRecordRow.fieldTitles { #expect(record.body.contains(auditEscapeCheck(title)), "\(title)") }
            #expect(record.body.contains(#"<th scope="col">"#) && record.body.contains(#"<th scope="row">"#))
            #expect(record.body.contains("Leeds Magistrates"))
            #expect(record.body.contains("/cases/\(urn)/timeline"), "an auditor gets the timeline link")
            let statistics = try await ada.get("/statistics?year=2026")
            #expect(statistics.status == .ok)
            let granted = try #require(auditBetween(statistics.body, "Authorisations granted, by type", "</table>"))
            #expect(granted.contains("<th scope=\"row\">directed surveillance</th><td>1</td>"), "\(granted)")
            let other = try await ada.get("/statistics?year=2025")
            let none = try #require(auditBetween(other.body, "Authorisations granted, by type", "</table>"))
            #expect(none.contains("<th scope=\"row\">directed surveillance</th><td>0</td>"))

            var mo = Browser(client)
            try await mo.signIn("mo")
            let moRecord = try await mo.get("/record")
            #expect(moRecord.status == .ok && moRecord.body.contains(urn))
            #expect(!moRecord.body.contains("/cases/\(urn)/timeline"), "the monitoring officer may not open the timeline")
            #expect(try await mo.get("/statistics").status == .ok)

            for user in ["ivan", "alice"] {
                var browser = Browser(client)
                try await browser.signIn(user)
                for path in ["/record", "/record.csv", "/statistics"] {
                    let page = try await browser.get(path)
                    #expect(page.status == .forbidden, "\(user) \(path)")
                    #expect(!page.body.contains(urn))
                }
            }
        }
    }

    @Test func aBadYearShowsTheErrorSummary() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            var ada = Browser(client)
            try await ada.signIn("ada")
            for year in ["abc", "1800", "99999999999"] {
                let page = try await ada.get("/statistics?year=\(year)")
                #expect(page.status == .unprocessableContent, "\(year)")
                #expect(page.body.contains("error-summary") && page.body.contains(##"<a href="#year">"##), "\(year)")
                #expect(page.body.contains(#"id="year""#))
                #expect(!page.body.contains("Authorisations granted"))
            }
        }
    }

    @Test func searchAndFiltersNarrowTheTableAndTheCSV() async throws {
        let scene = try await WebScene()
        let kestrel = try await scene.auditCase(operation: "Op Kestrel")
        let heron = try await scene.auditCase(operation: "Op Heron", applicant: "ivy")
        _ = try await scene.services.casework.cancel(
            urn: heron.urn, reason: "Evidence obtained", valueObtained: "Enough", ceasedAt: nil, by: try await scene.auditActor("mo"))
        try await scene.app().test(.router) { client in
            var ada = Browser(client)
            try await ada.signIn("ada")
            let all = try await ada.get("/record")
            #expect(all.body.contains(kestrel.urn) && all.body.contains(heron.urn))

            let searched = try await ada.get("/record?q=heron")
            #expect(searched.body.contains(heron.urn) && !searched.body.contains(kestrel.urn))
            #expect(searched.body.contains(#"href="/record.csv?q=heron""#), "the CSV link carries the filter")

            let cancelled = try await ada.get("/record?status=cancelled")
            #expect(cancelled.body.contains(heron.urn) && !cancelled.body.contains(kestrel.urn))
            let active = try await ada.get("/record?status=active&type=directed-surveillance")
            #expect(active.body.contains(kestrel.urn) && !active.body.contains(heron.urn))
            let later = try await ada.get("/record?from=2026-03-03")
            #expect(!later.body.contains(kestrel.urn) && !later.body.contains(heron.urn), "both were given on 2 March")
            let byOfficer = try await ada.get("/record?officer=nobody")
            #expect(!byOfficer.body.contains(kestrel.urn))

            let csv = try await ada.get("/record.csv?q=heron")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition] == #"attachment; filename="central-record.csv""#)
            let rows = csv.body.split(separator: "\r\n", omittingEmptySubsequences: true)
            #expect(rows.count == 2, "a header and one row: \(csv.body)")
            #expect(rows.first?.contains("Unique reference number") == true)
            #expect(csv.body.contains(heron.urn) && !csv.body.contains(kestrel.urn))
            let full = try await ada.get("/record.csv")
            #expect(full.body.contains(heron.urn) && full.body.contains(kestrel.urn))

            let bad = try await ada.get("/record?from=2026-02-30")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains(##"<a href="#from">"##) && bad.body.contains(#"id="from""#))
            let backwards = try await ada.get("/record?from=2026-04-01&to=2026-03-01")
            #expect(backwards.status == .unprocessableContent && backwards.body.contains("error-summary"))
        }
    }

    @Test func theTimelineLinksEachStepToItsEntryAndAProofThatVerifies() async throws {
        let scene = try await WebScene()
        let (urn, seqs) = try await scene.auditCase()
        try await scene.app().test(.router) { client in
            var ada = Browser(client)
            try await ada.signIn("ada")
            let timeline = try await ada.get("/cases/\(urn)/timeline")
            #expect(timeline.status == .ok)
            #expect(!timeline.body.contains("Sam Subject"), "the timeline names no subject")
            for seq in seqs {
                #expect(timeline.body.contains(#"href="/log/\#(seq)""#), "entry \(seq)")
                #expect(timeline.body.contains(#"href="/proofs/inclusion/\#(seq)""#), "proof \(seq)")
            }
            #expect(timeline.body.contains("Application submitted") && timeline.body.contains("Justice of the peace"))
            #expect(try await ada.get("/cases/DS-2026-9999/timeline").status == .notFound)

            var collected: [UInt64: String] = [:]
            try await scene.services.verification.log(from: 0, described: false) { for line in $0 { collected[line.seq] = line.leaf } }
            let leaves = collected
            for seq in seqs {
                let page = try await ada.get("/proofs/inclusion/\(seq)")
                #expect(page.status == .ok)
                let leafText = try #require(auditBetween(page.body, #"<code id="leaf-hash">"#, "</code>"))
                let rootText = try #require(auditBetween(page.body, #"<code id="root">"#, "</code>"))
                let noteText = try #require(auditBetween(page.body, #"<pre id="checkpoint">"#, "</pre>"))
                let leafHash = try #require(Hash(base64: auditUnescape(leafText)))
                let root = try #require(Hash(base64: auditUnescape(rootText)))
                let note = auditUnescape(noteText)
                let noteLines = note.split(separator: "\n", omittingEmptySubsequences: false)
                let size = try #require(UInt64(noteLines[1]))
                #expect(Hash(base64: String(noteLines[2])) == root, "the proof is against the checkpoint's root")
                var hashes: [Hash] = []
                var rest = page.body[...]
                while let range = rest.range(of: #"<code class="proof-hash">"#) {
                    let after = rest[range.upperBound...]
                    hashes.append(try #require(Hash(base64: auditUnescape(after.prefix { $0 != "<" }))))
                    rest = after
                }
                let leaf = try #require(leaves[seq])
                #expect(leafHash == RFC6962.leafHash(Array(leaf.utf8)), "the leaf hash is the entry's")
                #expect(InclusionProof(index: seq, size: size, path: hashes).verify(leafHash: leafHash, root: root))
                var wrong = hashes
                if !wrong.isEmpty { wrong[0] = leafHash }
                #expect(hashes.isEmpty || !InclusionProof(index: seq, size: size, path: wrong).verify(leafHash: leafHash, root: root))
            }
            #expect(try await ada.get("/proofs/inclusion/100000").status == .notFound)

            for user in ["ivan", "mo"] {
                var browser = Browser(client)
                try await browser.signIn(user)
                #expect(try await browser.get("/cases/\(urn)/timeline").status == .forbidden, "\(user)")
            }
        }
    }

    @Test func theLogShowsEachEntrysSignedBytesAndTheCheckpoint() async throws {
        let scene = try await WebScene()
        _ = try await scene.auditCase(subject: "Zed <b>Bold</b>")
        var collected: [LogLine] = []
        try await scene.services.verification.log(from: 0, described: true) { collected += $0 }
        let lines = collected
        try await scene.app().test(.router) { client in
            var ada = Browser(client)
            try await ada.signIn("ada")
            let log = try await ada.get("/log")
            #expect(log.status == .ok)
            #expect(log.body.contains(#"href="/log/0""#) && log.body.contains(#"href="/log/\#(lines.count - 1)""#))
            #expect(!log.body.contains("Next entries"), "fewer than 50 entries fit on one page")
            let later = try await ada.get("/log?from=3")
            #expect(!later.body.contains(#"href="/log/2""#) && later.body.contains(#"href="/log/3""#))
            #expect(later.body.contains("/log?from=0"), "a link back")

            let submitted = try #require(lines.first { $0.kind == "application.submitted" })
            let entry = try await ada.get("/log/\(submitted.seq)")
            #expect(entry.status == .ok)
            let pre = try #require(auditBetween(entry.body, "<pre>", "</pre>"))
            #expect(auditUnescape(pre) == submitted.leaf, "exactly the signed bytes")
            #expect(!pre.contains("<b>"), "escaped")
            #expect(entry.body.contains("ivan"))
            #expect(try await ada.get("/log/\(lines.count)").status == .notFound)
            #expect(try await ada.get("/log/x").status == .notFound)

            let checkpoint = try await ada.get("/checkpoint.txt")
            #expect(checkpoint.status == .ok && checkpoint.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(checkpoint.body == (try await scene.services.verification.latestCheckpoint()))
            #expect(checkpoint.body.split(separator: "\n")[1] == "\(lines.count)")
            #expect(try await ada.get("/checkpoint").status == .ok)

            var alice = Browser(client)
            try await alice.signIn("alice")
            #expect(try await alice.get("/log").status == .ok, "administrators read the log")
            var ivan = Browser(client)
            try await ivan.signIn("ivan")
            for path in ["/log", "/log/0", "/checkpoint", "/checkpoint.txt", "/proofs/inclusion/0", "/verify"] {
                #expect(try await ivan.get(path).status == .forbidden, "\(path)")
            }
            let page = try await ivan.get("/")
            #expect(try await ivan.submit("/verify", from: page, []).status == .forbidden)
        }
    }

    /// Polls a verification job's page until it has finished.
    static func finished(_ browser: inout Browser, _ path: String) async throws -> Browser.Page {
        for _ in 0..<500 {
            let page = try await browser.get(path)
            if !page.body.contains(#"http-equiv="refresh""#) { return page }
            #expect(page.body.contains("<progress"))
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the verification did not finish")
        return try await browser.get(path)
    }

    @Test func verificationRunsInTheBackgroundAndShowsOKThenTheTampering() async throws {
        let scene = try await WebScene()
        _ = try await scene.auditCase()
        var collected: [LogLine] = []
        try await scene.services.verification.log(from: 0, described: true) { collected += $0 }
        let lines = collected
        try await scene.app().test(.router) { client in
            var ada = Browser(client)
            try await ada.signIn("ada")
            let form = try await ada.get("/verify")
            #expect(form.status == .ok && form.body.contains(#"name="replay""#))
            let started = try await ada.submit("/verify", from: form, [("replay", "yes")])
            #expect(started.status == .seeOther)
            let location = try #require(started.headers[.location])
            #expect(location.hasPrefix("/verify/"))
            let done = try await Self.finished(&ada, location)
            #expect(done.body.contains("The register verified"))
            #expect(done.body.contains("<dd>\(lines.count)</dd>"), "the count of entries")
            #expect(!done.body.contains("Decisions replayed</dt><dd>not replayed"), "replay was asked for")
            #expect(try await ada.get("/verify/no-such-job").status == .notFound)

            // One letter of Ivy's name in her invitation, changed in the database.
            let invitation = try #require(lines.first { $0.kind == "user.invited" && $0.leaf.contains("Ivy Irwin") })
            try scene.auditTamper("UPDATE entries SET leaf = CAST(replace(CAST(leaf AS TEXT), 'Ivy Irwin', 'Ivy Irwim') AS BLOB) WHERE seq = \(invitation.seq);")
            let again = try await ada.get("/verify")
            let second = try await ada.submit("/verify", from: again, [])
            let failed = try await Self.finished(&ada, try #require(second.headers[.location]))
            #expect(failed.body.contains("The register failed verification"))
            #expect(failed.body.contains("Entry \(invitation.seq) failed the signature check"), "\(failed.body)")
            #expect(failed.body.contains(#"href="/log/\#(invitation.seq)""#))
        }
    }

    @Test func theVerifierReportsItsProgress() async throws {
        let scene = try await WebScene()
        let size = try await scene.services.verification.info().size
        let seen = AuditBox<[(UInt64, UInt64)]>([])
        let result = try await scene.services.verification.verify(replay: false) { done, total in seen.withLock { $0.append((done, total)) } }
        #expect(result.ok)
        let reports = seen.withLock { $0 }
        #expect(reports.first?.0 == 0)
        #expect(reports.last?.0 == size && reports.last?.1 == size)
        #expect(reports.allSatisfy { $0.1 == size && $0.0 <= size })
    }
}

/// A title as Mustache escapes it.
func auditEscapeCheck(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
}

/// A value behind a lock, for Sendable closures in tests.
final class AuditBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R { lock.withLock { body(&value) } }
}
