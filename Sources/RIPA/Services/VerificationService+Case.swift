import Foundation
import Ledger

extension VerificationService {
    /// The entries that concern one case — every entry whose body names its URN (the
    /// application, decisions, the JP's, reviews, renewals, cancellation, looks under it) —
    /// in log order, described (time, kind, signer), for a case's timeline.
    ///
    /// - Throws: `RIPAError.unknownURN` for a URN no case has.
    public func entries(urn: String) async throws -> [LogLine] {
        _ = try await register.authorisation(urn)
        var lines: [LogLine] = []
        try await log(from: 0, described: true) { batch in
            for line in batch {
                guard let entry = try? Entry(leafData: Array(line.leaf.utf8)), entry.body["urn"]?.stringValue == urn else { continue }
                lines.append(line)
            }
        }
        return lines
    }
}
