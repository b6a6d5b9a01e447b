import Foundation
import Ledger

/// A backup put back in place of the register (`ripa restore`), as `--json` prints it.
public struct RestoreDone: Sendable, Hashable, Codable {
    /// Whether the restored register is a test register.
    public var testRegister: Bool
    /// The register database now in place.
    public var db: String
    /// The backup it came from.
    public var from: String
    /// The entries the restored register holds.
    public var size: UInt64
    /// Their root, base64.
    public var root: String
    /// The size of the checkpoint the operator kept, which the restore was checked against.
    public var keptSize: UInt64
    /// The RFC 6962 consistency proof between the kept checkpoint and the backup (from the
    /// smaller to the larger; `nil` when they are the same size), base64 hashes.
    public var consistencyProof: [String]?
    /// What was at `db` before: `absent`, `replaced` (a register, read under an exclusive
    /// lock) or `unreadable` (a file that could not be read as a register).
    public var previous: String
    /// Why an `unreadable` database could not be read.
    public var previousProblem: String?
    /// Where the replaced database was kept (`<db>.replaced-<time>`), if it was.
    public var replacedKeptAt: String?
    /// The entries of the replaced database the restored one does not hold, as they were
    /// there: each had to be accepted (`--accept-loss` with their exact number).
    public var lost: [LostEntry]
    /// The lost entries that destroyed personal data (`personal-data.destroyed`): the restored
    /// register holds those cases' data keys again, and their destruction must be applied
    /// again at once (the cases are due, and `retention due` lists them).
    public var destructionsUndone: [UInt64] {
        lost.filter { $0.kind == EntryKind.personalDataDestroyed.rawValue }.map(\.seq)
    }

    /// Describes a restore.
    public init(
        testRegister: Bool, db: String, from: String, size: UInt64, root: String, keptSize: UInt64, consistencyProof: [String]?,
        previous: String, previousProblem: String? = nil, replacedKeptAt: String?, lost: [LostEntry]
    ) {
        self.testRegister = testRegister
        self.db = db
        self.from = from
        self.size = size
        self.root = root
        self.keptSize = keptSize
        self.consistencyProof = consistencyProof
        self.previous = previous
        self.previousProblem = previousProblem
        self.replacedKeptAt = replacedKeptAt
        self.lost = lost
    }

    enum CodingKeys: String, CodingKey {
        case testRegister = "test_register", db, from, size, root, keptSize = "kept_size", consistencyProof = "consistency_proof",
            previous, previousProblem = "previous_problem", replacedKeptAt = "replaced_kept_at", lost,
            destructionsUndone = "destructions_undone"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        testRegister = try container.decode(Bool.self, forKey: .testRegister)
        db = try container.decode(String.self, forKey: .db)
        from = try container.decode(String.self, forKey: .from)
        size = try container.decode(UInt64.self, forKey: .size)
        root = try container.decode(String.self, forKey: .root)
        keptSize = try container.decode(UInt64.self, forKey: .keptSize)
        consistencyProof = try container.decodeIfPresent([String].self, forKey: .consistencyProof)
        previous = try container.decode(String.self, forKey: .previous)
        previousProblem = try container.decodeIfPresent(String.self, forKey: .previousProblem)
        replacedKeptAt = try container.decodeIfPresent(String.self, forKey: .replacedKeptAt)
        lost = try container.decode([LostEntry].self, forKey: .lost)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(testRegister, forKey: .testRegister)
        try container.encode(db, forKey: .db)
        try container.encode(from, forKey: .from)
        try container.encode(size, forKey: .size)
        try container.encode(root, forKey: .root)
        try container.encode(keptSize, forKey: .keptSize)
        try container.encode(consistencyProof, forKey: .consistencyProof)
        try container.encode(previous, forKey: .previous)
        try container.encode(previousProblem, forKey: .previousProblem)
        try container.encode(replacedKeptAt, forKey: .replacedKeptAt)
        try container.encode(lost, forKey: .lost)
        try container.encode(destructionsUndone, forKey: .destructionsUndone)
    }
}

/// An entry the register being replaced holds and the restored one will not (at that index).
public struct LostEntry: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Its index in the replaced register.
    public var seq: UInt64
    /// Its kind (`view.recorded`), or `unreadable` when its stored bytes are not an entry.
    public var kind: String
    /// Its time, when readable.
    public var time: EntryTime?
    /// Whether the checkpoint the operator kept covers it: a signed, published entry, not
    /// just one the replaced file held.
    public var inKeptCheckpoint: Bool

    /// Describes a lost entry.
    public init(seq: UInt64, kind: String, time: EntryTime?, inKeptCheckpoint: Bool) {
        self.seq = seq
        self.kind = kind
        self.time = time
        self.inKeptCheckpoint = inKeptCheckpoint
    }

    enum CodingKeys: String, CodingKey {
        case seq, kind, time, inKeptCheckpoint = "in_kept_checkpoint"
    }

    public var description: String {
        "\(seq) \(kind) \(time.map { "\($0)" } ?? "(no time)")"
    }
}
