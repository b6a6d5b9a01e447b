import Ledger

/// The projected state of one application or authorisation, keyed by its URN.
///
/// The document is the domain's own JSON rendering of the case; the store keeps it as
/// canonical JSON and indexes the profiles it covers, so that the viewing gate finds the
/// authorisations covering a profile without scanning anything.
public struct AuthorisationRecord: Sendable, Hashable {
    /// Unique reference number, e.g. `DS-2026-0001`.
    public var urn: String
    /// The authorisation type's name.
    public var type: String
    /// The year in the URN (numbering restarts each year).
    public var year: Int
    /// The domain's projection of the case.
    public var document: JSONValue
    /// Profile keys named among the subjects' online identities.
    public var profiles: [String]
    /// The entry that last changed the case.
    public var updatedSeq: UInt64

    /// Makes a record.
    public init(urn: String, type: String, year: Int, document: JSONValue, profiles: [String], updatedSeq: UInt64) {
        self.urn = urn
        self.type = type
        self.year = year
        self.document = document
        self.profiles = profiles
        self.updatedSeq = updatedSeq
    }
}

extension RegisterReader {
    private func authorisation(row: StoredRow) throws -> AuthorisationRecord {
        let what = "an authorisations row"
        let urn = try row.values[0].text(what)
        let values = try checked(.authorisations, row, what: "case \(urn)").values
        let profiles = try storage.rows(.authorisationProfiles, where: "urn", is: .text(urn)).map { index in
            try checked(.authorisationProfiles, index, what: "the profile index of case \(urn)").values[0].text(what)
        }
        return AuthorisationRecord(
            urn: urn, type: try values[1].text(what), year: Int(try values[2].integer(what)),
            document: try JSONValue(parsing: try values[3].blob(what)),
            profiles: profiles, updatedSeq: UInt64(try values[4].integer(what)))
    }

    /// The case with this URN, or nil.
    public func authorisation(urn: String) throws -> AuthorisationRecord? {
        try storage.row(.authorisations, key: [.text(urn)]).map(authorisation(row:))
    }

    /// Every case, in the store's key order (URN text order; `URN` sorts them by number).
    public func authorisations() throws -> [AuthorisationRecord] {
        try storage.rows(.authorisations, after: nil, limit: Int.max).map(authorisation(row:))
    }

    /// The cases naming this profile key among their subjects' online identities.
    public func authorisations(coveringProfile key: String) throws -> [AuthorisationRecord] {
        try storage.rows(.authorisationProfiles, where: "profile_key", is: .text(key)).compactMap { row in
            let urn = try checked(.authorisationProfiles, row, what: "the profile index of \(key)").values[1].text("a profile index row")
            return try authorisation(urn: urn)
        }
    }

    /// How many cases of a type carry a URN of this year (the next number is this + 1).
    public func authorisationCount(type: String, year: Int) throws -> Int {
        try storage.count(.authorisations, where: [("type", .text(type)), ("year", .integer(Int64(year)))])
    }

    /// How many rows the profile index holds (`verify --replay` compares it with the log).
    public func authorisationProfileCount() throws -> Int {
        try storage.count(.authorisationProfiles, where: [])
    }
}

extension RegisterWriter {
    /// Inserts or replaces a case's projection, with its profile index, tagged.
    public func saveAuthorisation(_ record: AuthorisationRecord) throws {
        try put(.authorisations, [
            .text(record.urn), .text(record.type), .integer(Int64(record.year)), .blob(record.document.canonicalBytes),
            .integer(Int64(record.updatedSeq)),
        ])
        try transaction.delete(.authorisationProfiles, where: "urn", is: .text(record.urn))
        for profile in Set(record.profiles) {
            try put(.authorisationProfiles, [.text(profile), .text(record.urn)])
        }
    }
}
