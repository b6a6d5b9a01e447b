import Ledger
import RIPA
import RegisterStore

/// The bench's entries: an investigator's first looks at distinct profiles, written
/// through the register's own append path so the figures include real signing, hashing,
/// tree and projection work.
struct ViewWorkload {
    let investigator: Actor
    var counter = 0

    mutating func appendView(to writer: RegisterWriter) throws {
        counter += 1
        let profile = "web:example.org/people/\(counter)"
        let body: JSONValue = [
            "profile": .string(profile), "address": .string("https://example.org/people/\(counter)"),
            "case_ref": "BENCH-1", "purpose": "initial examination of a public profile",
            "basis": "initial-examination", "urn": nil,
        ]
        try writer.append(.viewRecorded, json: body, by: investigator)
    }
}
