import Ledger

/// One look at a profile, allowed or refused: a projection of `view.recorded` and
/// `view.refused` entries, indexed by profile so the gate never scans the log.
public struct ViewRecord: Sendable, Hashable {
    /// How the gate decided.
    public enum Outcome: String, Sendable, Hashable {
        /// Allowed without an authorisation as the initial examination.
        case initial
        /// Allowed under a cited authorisation.
        case authorised
        /// Refused.
        case refused
    }

    /// The entry recording it.
    public var seq: UInt64
    /// The normalised profile key.
    public var profileKey: String
    /// When.
    public var time: EntryTime
    /// The viewer's user id.
    public var viewer: String
    /// The case reference given.
    public var caseRef: String
    /// The authorisation cited, if any.
    public var urn: String?
    /// The decision.
    public var outcome: Outcome

    /// Makes a record.
    public init(seq: UInt64, profileKey: String, time: EntryTime, viewer: String, caseRef: String, urn: String?, outcome: Outcome) {
        self.seq = seq
        self.profileKey = profileKey
        self.time = time
        self.viewer = viewer
        self.caseRef = caseRef
        self.urn = urn
        self.outcome = outcome
    }

    /// The row's values, in `ProjectionTable.views.columns` order.
    var values: [ProjectionValue] {
        [
            .text(profileKey), .integer(Int64(seq)), .integer(time.millisecondsSince1970), .text(viewer),
            .text(caseRef), urn.map { .text($0) } ?? .null, .text(outcome.rawValue),
        ]
    }

    init(values v: [ProjectionValue]) throws {
        let what = "a views row"
        let seq = try v[1].integer(what)
        guard let outcome = Outcome(rawValue: try v[6].text(what)) else {
            throw StoreError(.corrupt, "view \(seq) has an unknown outcome")
        }
        self.init(
            seq: UInt64(seq), profileKey: try v[0].text(what),
            time: EntryTime(millisecondsSince1970: try v[2].integer(what)), viewer: try v[3].text(what),
            caseRef: try v[4].text(what), urn: try v[5].optionalText(what), outcome: outcome)
    }
}

extension RegisterReader {
    /// Allowed views without an authorisation of this profile since `since` (all time if nil).
    /// Not the gate's count: the gate counts every allowed look across the alias group
    /// (``allowedViewCount(profileKey:since:)``).
    public func initialViewCount(profileKey: String, since: EntryTime?) throws -> Int {
        try views(ofProfile: profileKey).count { $0.outcome == .initial && $0.time >= (since ?? EntryTime(millisecondsSince1970: Int64.min)) }
    }

    /// Every view row of one profile, in seq order: one contiguous run of the table (keyed by
    /// profile). With the register key (a write transaction) every row's tag is checked, so an
    /// edited outcome, time or viewer, a row made up or one moved here from another profile is
    /// caught before a decision relies on it. A row deleted or moved away is not visible here;
    /// `verify --replay` finds it.
    ///
    /// - Throws: `StoreError.projectionTampered`.
    func views(ofProfile profileKey: String) throws -> [ViewRecord] {
        try storage.rows(.views, where: "profile_key", is: .text(profileKey)).map { row in
            let values = try checked(.views, row, what: "the view at entry \(row.values[1]) (\(profileKey))").values
            return try ViewRecord(values: values)
        }
    }

    /// The view row recorded by entry `seq` for `profileKey`, or nil (`verify --replay` compares it with the log).
    public func view(profileKey: String, seq: UInt64) throws -> ViewRecord? {
        try storage.row(.views, key: [.text(profileKey), .integer(Int64(seq))]).map { try ViewRecord(values: $0.values) }
    }

    /// How many view rows are stored.
    public func viewCount() throws -> Int {
        try storage.count(.views, where: [])
    }

    /// Views allowed as initial examinations, across all profiles.
    public func initialViewCount() throws -> Int {
        try storage.count(.views, where: [("outcome", .text(ViewRecord.Outcome.initial.rawValue))])
    }

    /// Views matching the filters (nil = any), oldest first.
    public func views(profileKey: String? = nil, caseRef: String? = nil, urn: String? = nil) throws -> [ViewRecord] {
        let rows: [StoredRow]
        if let profileKey {
            rows = try storage.rows(.views, where: "profile_key", is: .text(profileKey))
        } else if let urn {
            rows = try storage.rows(.views, where: "urn", is: .text(urn))
        } else if let caseRef {
            rows = try storage.rows(.views, where: "case_ref", is: .text(caseRef))
        } else {
            rows = try storage.rows(.views, after: nil, limit: Int.max)
        }
        return try rows.map { try ViewRecord(values: $0.values) }
            .filter { (urn == nil || $0.urn == urn) && (caseRef == nil || $0.caseRef == caseRef) }
            .sorted { $0.seq < $1.seq }
    }
}

extension RegisterWriter {
    /// Records a view in the projection, tagged.
    public func saveView(_ view: ViewRecord) throws {
        try put(.views, view.values)
    }
}
