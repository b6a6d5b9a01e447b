import Ledger
import RIPA
import RegisterStore

/// The bench's entries: an investigator's first looks at distinct public profiles.
///
/// `appendStored` writes them through the storage path alone — entry signed, hashed,
/// chained, tree nodes and projection row stored — which is what the append figures
/// measure. The gate's own work (normalising the address, deciding) is measured
/// separately, through `Register.view`, in the gate figures.
struct ViewWorkload {
    let investigator: Actor
    var counter = 0

    mutating func nextAddress() -> String {
        counter += 1
        return "https://example.org/people/\(counter)"
    }

    mutating func appendStored(to writer: RegisterWriter) throws {
        let address = nextAddress()
        let profile = "web:example.org/people/\(counter)"
        let body: JSONValue = [
            "profile": .string(profile), "address": .string(address), "case_ref": "BENCH-1",
            "purpose": "initial examination of a public profile", "basis": "initial-examination", "urn": nil, "reason": nil,
        ]
        let entry = try writer.append(kind: EntryKind.viewRecorded.rawValue, body: body, signedBy: investigator.key)
        try writer.saveView(ViewRecord(
            seq: entry.seq, profileKey: profile, time: entry.time, viewer: investigator.user.userID, caseRef: "BENCH-1",
            urn: nil, outcome: .initial))
    }
}
