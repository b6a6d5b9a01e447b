import Ledger
import RIPA
import RegisterStorage

/// The bench's entries: an investigator's first looks at distinct public profiles.
///
/// `appendStored` writes them through the storage path alone — entry signed, hashed,
/// chained, tree nodes and projection row stored — which is what the append figures
/// measure: one at a time, or a batch through `RegisterWriter.append(contentsOf:)`. The
/// gate's own work (normalising the address, deciding) is measured separately, through
/// `Register.view`, in the gate figures.
struct ViewWorkload {
    let investigator: Actor
    var counter = 0

    mutating func nextAddress() -> String {
        counter += 1
        return "https://example.org/people/\(counter)"
    }

    /// The next look's entry body.
    mutating func nextBody() -> JSONValue {
        let address = nextAddress()
        return [
            "profile": .string("web:example.org/people/\(counter)"), "address": .string(address), "case_ref": "BENCH-1",
            "purpose": "initial examination of a public profile", "basis": "initial-examination", "urn": nil, "reason": nil,
        ]
    }

    /// The next `count` looks' bodies.
    mutating func nextBodies(_ count: Int) -> [JSONValue] {
        (0..<count).map { _ in nextBody() }
    }

    /// The view row a stored look projects to: under its profile tag, as the register stores a sealed look.
    static func viewRecord(_ entry: Entry, by investigator: Actor) -> ViewRecord {
        ViewRecord(
            seq: entry.seq, profileKey: entry.body["profile_tag"]?.stringValue ?? entry.body["profile"]?.stringValue ?? "", time: entry.time,
            viewer: investigator.user.userID, caseRef: "BENCH-1", urn: nil, outcome: .initial)
    }

    /// Stores one look, its personal fields sealed as the register seals them.
    static func appendStored(_ body: JSONValue, by investigator: Actor, to writer: RegisterWriter) throws {
        let sealed = try PersonalData.seal(body, kind: .viewRecorded, writer: writer)
        let entry = try writer.append(kind: EntryKind.viewRecorded.rawValue, body: sealed, signedBy: investigator.key)
        try writer.saveView(viewRecord(entry, by: investigator))
    }

    static func appendStored(_ bodies: [JSONValue], by investigator: Actor, to writer: RegisterWriter) throws {
        let pending = try bodies.map { (kind: EntryKind.viewRecorded.rawValue, body: try PersonalData.seal($0, kind: .viewRecorded, writer: writer)) }
        try writer.append(contentsOf: pending, signedBy: investigator.key) { entry in try writer.saveView(viewRecord(entry, by: investigator)) }
    }
}
