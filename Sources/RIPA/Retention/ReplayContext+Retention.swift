import Ledger
import RegisterStorage

extension ReplayContext {
    /// Re-checks a retention entry under `RetentionLedger`'s rules with the pack in force at
    /// it: a request lists only cases then due and not held; an approval is by another
    /// administrator, destroys exactly what was requested, and each case is still due and not
    /// held. A destruction then overwrites the replayed case's personal data as the live
    /// register overwrote its projection, so the two still compare equal.
    ///
    /// - Throws: `VerificationFailure` (check `replay`) naming the entry and the rule.
    mutating func replayRetention(_ entry: Entry, kind: EntryKind) throws {
        guard let signer = try user(publicKey: entry.signer) else {
            throw VerificationFailure(index: entry.seq, check: .replay, "\(entry.kind) is signed by a key no user holds")
        }
        let destroyed: [RetentionItem]
        do {
            var ledger = retention
            let looks = ledger.lastLooks
            destroyed = try ledger.apply(
                entry, kind: kind, signer: signer.userID, administrators: activeAdministrators, testRegister: try isTestRegister(),
                context: self, lastLook: { looks[$0] })
            retention = ledger
        } catch let error as RIPAError {
            throw VerificationFailure(index: entry.seq, check: .replay, "\(entry.kind) does not follow the retention rules in force: \(error.message)")
        } catch let error as LedgerError {
            throw VerificationFailure(index: entry.seq, check: .replay, "\(entry.kind) body is malformed: \(error.message)")
        }
        for item in destroyed { destroyPersonalData(of: item.caseName) }
    }
}
