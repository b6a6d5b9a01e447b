import Foundation
import RIPA

/// `verify --since` (issue 12 §5): after a full verify of the register saved its state,
/// 10,000 new entries are appended and verified from that state, in the same run. The time
/// counts reading the state file back (as `ripa verify --since FILE` does), the consistency
/// proof from the stored tree, and the walk of the new entries; the peak resident memory is
/// measured from the same start as the full verify's.
enum IncrementalFigures {
    /// New entries appended after the full verify.
    static let newEntries = 10_000

    static func measure(
        register: Register, investigator: Actor, workload: inout ViewWorkload, stateFile: String,
        into figures: inout Figures, log: (String) -> Void
    ) async throws {
        log("appending \(newEntries) entries, then verifying them from the saved state …")
        var appended = 0
        while appended < newEntries {
            let bodies = workload.nextBodies(min(1000, newEntries - appended))
            try await register.write { writer in try ViewWorkload.appendStored(bodies, by: investigator, to: writer) }
            appended += bodies.count
        }
        Measure.resetPeakResident()
        var report: VerificationReport?
        let seconds = try await Measure.asyncSeconds {
            let state = try VerificationState(parsing: stateFile)
            report = try await RegisterVerifier(store: register.store).verify(since: state)
        }
        figures.incrementalPeakRSSMB = Measure.peakResidentMB()
        guard let report, let since = report.sinceSize, report.size - since >= UInt64(newEntries) else {
            throw RIPAError(.badInput, "the incremental verify did not verify the new entries")
        }
        figures.incrementalNewEntries = Int(report.size - since)
        figures.incrementalVerifySeconds = seconds
        log("verify --since: \(figures.incrementalNewEntries) new entries in \(String(format: "%.3f", seconds)) s (full verify \(String(format: "%.3f", figures.fullVerifySeconds)) s), peak \(Int(figures.incrementalPeakRSSMB)) MB")
    }
}
