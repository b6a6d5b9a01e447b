import Foundation
import Ledger

/// The figures of one run, each beside the limit measured in the same run.
struct Figures {
    var appendBatchPerSecond = 0.0
    var appendBatchLimitPerSecond = 0.0
    var appendSingleP50ms = 0.0
    /// Sealing a look's personal fields (part of every append above), per entry.
    var sealingMicrosecondsPerEntry = 0.0
    var appendSingleLimitP50ms = 0.0
    var verifyPerSecond = 0.0
    /// Raw `crypto_sign_verify_detached` on every core at once over the same entries.
    var verifyLimitAllCoresPerSecond = 0.0
    var verifyPeakRSSMB = 0.0
    var replayPerSecond = 0.0
    var replayPeakRSSMB = 0.0
    var inclusionProofMs = 0.0
    var consistencyProofMs = 0.0
    var gateDecisionP99ms = 0.0
    var gateRecordP50ms = 0.0
    var gateRecordLimitP50ms = 0.0
    var httpGateP50ms = 0.0
    var inProcessGateP50ms = 0.0
    var trivialPerSecond = 0.0
    var casePagePerSecond = 0.0
    var casePageP99ms = 0.0
    var recordPagePerSecond = 0.0
    var recordPageP99ms = 0.0
    var entries = 0
    var cores = 0
    var rawVerifySingleCorePerSecond = 0.0
    /// The full verify's wall time, and `verify --since` over the entries appended after it.
    var fullVerifySeconds = 0.0
    var incrementalVerifySeconds = 0.0
    var incrementalPeakRSSMB = 0.0
    var incrementalNewEntries = 0

    /// The targets the issue sets, checked against this run's figures.
    var verdicts: [(String, Bool)] {
        [
            ("append batch ≥ 20,000/s", appendBatchPerSecond >= 20_000),
            ("append batch ≥ 60 % of raw sign+insert", appendBatchPerSecond >= 0.6 * appendBatchLimitPerSecond),
            ("append single p50 ≤ 1.5 × raw insert p50", appendSingleP50ms <= appendSingleLimitP50ms),
            ("verify ≥ 30,000/s", verifyPerSecond >= 30_000),
            ("verify ≥ 85 % of raw verify on all cores", verifyPerSecond >= 0.85 * verifyLimitAllCoresPerSecond),
            ("verify peak RSS ≤ 200 MB", verifyPeakRSSMB <= 200),
            ("verify --replay peak RSS ≤ 200 MB", replayPeakRSSMB <= 200),
            ("inclusion proof p99 ≤ 1 ms", inclusionProofMs <= 1),
            ("consistency proof p99 ≤ 1 ms", consistencyProofMs <= 1),
            ("gate decision p99 ≤ 1 ms", gateDecisionP99ms <= 1),
            ("gate decision + record p50 ≤ 1.5 × raw insert p50", gateRecordP50ms <= gateRecordLimitP50ms),
            ("HTTP gate decision + record p50 ≤ 1.5 × in process", httpGateP50ms <= 1.5 * inProcessGateP50ms),
            ("authorisation page ≥ 50 % of a trivial route's requests/s", casePagePerSecond >= 0.5 * trivialPerSecond),
            ("authorisation page p99 ≤ 10 ms", casePageP99ms <= 10),
            ("central record first page ≥ 50 % of a trivial route's requests/s", recordPagePerSecond >= 0.5 * trivialPerSecond),
            ("central record first page p99 ≤ 10 ms", recordPageP99ms <= 10),
            ("verify --since of 10,000 new ≤ 5 % of a full verify's time", incrementalVerifySeconds <= 0.05 * fullVerifySeconds),
            ("verify --since peak RSS ≤ the full verify's", incrementalPeakRSSMB <= verifyPeakRSSMB),
        ]
    }

    func json() throws -> String {
        // Rates are whole entries per second; milliseconds are printed with three decimals
        // by hand, since the register's own JSON type carries no fractions.
        func ms(_ value: Double) -> String { String(format: "%.3f", value) }
        let fields: [(String, String)] = [
            ("append_batch_per_s", "\(Int(appendBatchPerSecond))"),
            ("append_batch_limit_per_s", "\(Int(appendBatchLimitPerSecond))"),
            ("append_single_p50_ms", ms(appendSingleP50ms)),
            ("sealing_us_per_entry", String(format: "%.2f", sealingMicrosecondsPerEntry)),
            ("append_single_limit_p50_ms", ms(appendSingleLimitP50ms)),
            ("verify_per_s", "\(Int(verifyPerSecond))"),
            ("verify_limit_all_cores_per_s", "\(Int(verifyLimitAllCoresPerSecond))"),
            ("verify_share_of_limit", String(format: "%.3f", verifyPerSecond / verifyLimitAllCoresPerSecond)),
            ("verify_peak_rss_mb", String(format: "%.1f", verifyPeakRSSMB)),
            ("verify_peak_rss_limit_mb", "200"),
            ("replay_per_s", "\(Int(replayPerSecond))"),
            ("replay_peak_rss_mb", String(format: "%.1f", replayPeakRSSMB)),
            ("replay_peak_rss_limit_mb", "200"),
            ("inclusion_proof_ms", ms(inclusionProofMs)),
            ("consistency_proof_ms", ms(consistencyProofMs)),
            ("gate_decision_p99_ms", ms(gateDecisionP99ms)),
            ("gate_decision_limit_p99_ms", ms(1)),
            ("gate_record_p50_ms", ms(gateRecordP50ms)),
            ("gate_record_limit_p50_ms", ms(gateRecordLimitP50ms)),
            ("http_gate_record_p50_ms", ms(httpGateP50ms)),
            ("http_gate_record_limit_p50_ms", ms(1.5 * inProcessGateP50ms)),
            ("trivial_route_per_s", "\(Int(trivialPerSecond))"),
            ("case_page_per_s", "\(Int(casePagePerSecond))"),
            ("case_page_p99_ms", ms(casePageP99ms)),
            ("record_page_per_s", "\(Int(recordPagePerSecond))"),
            ("record_page_p99_ms", ms(recordPageP99ms)),
            ("verify_raw_single_core_per_s", "\(Int(rawVerifySingleCorePerSecond))"),
            ("full_verify_s", String(format: "%.3f", fullVerifySeconds)),
            ("incremental_verify_s", String(format: "%.3f", incrementalVerifySeconds)),
            ("incremental_verify_limit_s", String(format: "%.3f", 0.05 * fullVerifySeconds)),
            ("incremental_new_entries", "\(incrementalNewEntries)"),
            ("incremental_peak_rss_mb", String(format: "%.1f", incrementalPeakRSSMB)),
            ("entries", "\(entries)"),
            ("cores", "\(cores)"),
            ("all_targets_met", verdicts.allSatisfy(\.1) ? "true" : "false"),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    func printTable() {
        func row(_ name: String, _ value: String, _ limit: String) {
            print(name.padding(toLength: 34, withPad: " ", startingAt: 0) + value.padding(toLength: 16, withPad: " ", startingAt: 0) + limit)
        }
        print("ripa-bench: \(entries) entries, \(cores) cores")
        row("figure", "measured", "limit (same run)")
        row("append, batches of 1,000", "\(Int(appendBatchPerSecond))/s", "\(Int(appendBatchLimitPerSecond))/s raw sign + insert")
        row(
            "  of which sealing personal data", String(format: "%.2f µs/entry", sealingMicrosecondsPerEntry),
            String(format: "%.1f %% of the %.1f µs an append takes", sealingMicrosecondsPerEntry / (1_000_000 / max(appendBatchPerSecond, 1)) * 100, 1_000_000 / max(appendBatchPerSecond, 1)))
        row("append, one per transaction p50", String(format: "%.3f ms", appendSingleP50ms), String(format: "%.3f ms (1.5 × raw insert)", appendSingleLimitP50ms))
        row("verify", "\(Int(verifyPerSecond))/s", "\(Int(verifyLimitAllCoresPerSecond))/s raw verify on \(cores) cores (\(Int(rawVerifySingleCorePerSecond))/s on one); \(String(format: "%.0f", 100 * verifyPerSecond / verifyLimitAllCoresPerSecond)) %")
        row("verify peak resident", String(format: "%.1f MB", verifyPeakRSSMB), "200 MB")
        row("verify --replay", "\(Int(replayPerSecond))/s", "")
        row("verify --replay peak resident", String(format: "%.1f MB", replayPeakRSSMB), "200 MB")
        row("verify --since, \(incrementalNewEntries) new", String(format: "%.3f s", incrementalVerifySeconds), String(format: "%.3f s (5 %% of a full verify's %.3f s)", 0.05 * fullVerifySeconds, fullVerifySeconds))
        row("verify --since peak resident", String(format: "%.1f MB", incrementalPeakRSSMB), String(format: "%.1f MB (the full verify's)", verifyPeakRSSMB))
        row("inclusion proof p99", String(format: "%.3f ms", inclusionProofMs), "1 ms")
        row("consistency proof p99", String(format: "%.3f ms", consistencyProofMs), "1 ms")
        row("gate decision p99", String(format: "%.3f ms", gateDecisionP99ms), "1 ms")
        row("gate decision + record p50", String(format: "%.3f ms", gateRecordP50ms), String(format: "%.3f ms (1.5 × raw insert)", gateRecordLimitP50ms))
        row("HTTP gate decision + record p50", String(format: "%.3f ms", httpGateP50ms), String(format: "%.3f ms (1.5 × in process)", 1.5 * inProcessGateP50ms))
        row("authorisation page, 16 clients", "\(Int(casePagePerSecond))/s", "\(Int(trivialPerSecond / 2))/s (50 % of a trivial route's \(Int(trivialPerSecond))/s)")
        row("authorisation page p99", String(format: "%.3f ms", casePageP99ms), "10 ms")
        row("central record page 1, 16 clients", "\(Int(recordPagePerSecond))/s", "\(Int(trivialPerSecond / 2))/s")
        row("central record page 1 p99", String(format: "%.3f ms", recordPageP99ms), "10 ms")
        print("")
        for (name, met) in verdicts { print("\(met ? "met   " : "MISSED") \(name)") }
    }
}
