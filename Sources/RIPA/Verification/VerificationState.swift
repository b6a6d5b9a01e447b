import Foundation
import Ledger

/// What a `ripa verify` learnt, kept by the auditor so the next visit checks only what is new
/// (`ripa verify --save-state FILE`, then `--since FILE`; docs/formats.md "Verify state").
///
/// It holds the signed checkpoint the verify reached, the right edge of the tree at that size
/// (so the new entries' root can be computed without the old ones), the link and time of the
/// last entry, the authority walk (register key and its history, every account, the two-person
/// rule, the documents cited) and, after `--replay`, the replay's own view of the register.
///
/// The file is canonical JSON: `{"format": "ripa-verify-state", "version": 2, "digest",
/// "state"}`, where `digest` is the lower-case hex SHA-256 of the canonical JSON of `state`.
/// The digest catches a file that was damaged or edited by hand; it is not a signature: the
/// file is the auditor's own record and must be kept where the register's operator cannot
/// write, like a kept checkpoint.
public struct VerificationState: Sendable {
    /// The `format` member.
    public static let format = "ripa-verify-state"
    /// The version this build writes and reads.
    public static let version: Int64 = 2
    /// The largest state file read: a replay state grows with the profiles looked at (about
    /// 50 bytes each in memory, more as JSON).
    public static let maximumFileBytes = 1 << 30

    /// The register's origin.
    public let origin: String
    /// The leaf hash of entry 0: two registers with the same origin differ here.
    let genesis: Hash
    /// The signed checkpoint verified, exactly as the register signed it.
    public let checkpointNote: String
    /// Its parsed form: the size and root the state stands at.
    let checkpoint: Checkpoint
    /// The complete subtrees of the tree at `checkpoint.size`, largest first.
    let frontier: [Hash]
    /// The leaf hash of the last entry verified: the next entry's `prev`.
    let lastHash: Hash
    /// The time of the last entry verified: the next may not be earlier.
    let lastTime: EntryTime?
    /// The verifier's clock when the state was saved.
    public let savedAt: EntryTime
    let walk: AuthorityWalk
    /// The replay's state, when the verify that saved it replayed.
    let replay: ReplayContext?

    /// The number of entries the state covers.
    public var size: UInt64 { checkpoint.size }
    /// Whether the state carries a replay (`--since` with `--replay` needs one).
    public var hasReplay: Bool { replay != nil }

    init(
        origin: String, genesis: Hash, checkpointNote: String, checkpoint: Checkpoint, frontier: [Hash], lastHash: Hash,
        lastTime: EntryTime?, savedAt: EntryTime, walk: AuthorityWalk, replay: ReplayContext?
    ) {
        self.origin = origin
        self.genesis = genesis
        self.checkpointNote = checkpointNote
        self.checkpoint = checkpoint
        self.frontier = frontier
        self.lastHash = lastHash
        self.lastTime = lastTime
        self.savedAt = savedAt
        self.walk = walk
        self.replay = replay
    }

    /// The tree frontier the state stands at, rebuilt from its saved subtrees.
    ///
    /// - Throws: `RIPAError.badInput` when the subtrees are not the ones of its size, or do
    ///   not fold to its checkpoint's root.
    func treeFrontier() throws(RIPAError) -> TreeFrontier {
        let ids = Self.frontierNodes(size: checkpoint.size)
        guard ids.count == frontier.count else {
            throw Self.bad("its tree edge has \(frontier.count) subtrees where a tree of \(checkpoint.size) entries has \(ids.count)", .verifyStateMalformed)
        }
        let hashes = Dictionary(uniqueKeysWithValues: zip(ids, frontier))
        let tree = TreeFrontier(size: checkpoint.size) { hashes[$0]! }
        guard tree.root == checkpoint.root else {
            throw Self.bad("its tree edge does not give its checkpoint's root", .verifyStateTampered)
        }
        return tree
    }

    /// The complete subtrees of a tree of `size` leaves, left to right (as `TreeFrontier` holds them).
    static func frontierNodes(size: UInt64) -> [NodeID] {
        var ids: [NodeID] = []
        var start: UInt64 = 0
        for level in stride(from: 63, through: 0, by: -1) where size & (1 << UInt64(level)) != 0 {
            ids.append(NodeID(level: level, index: start >> UInt64(level)))
            start += 1 << UInt64(level)
        }
        return ids
    }

    // MARK: The file

    private struct Saved: Codable {
        var origin: String
        var genesis: String
        var checkpoint: String
        var frontier: [String]
        var lastHash: String
        var lastTime: EntryTime?
        var savedAt: EntryTime
        var walk: AuthorityWalk
        var replay: ReplayContext?

        enum CodingKeys: String, CodingKey {
            case origin, genesis, checkpoint, frontier, lastHash = "last_hash", lastTime = "last_time", savedAt = "saved_at", walk, replay
        }
    }

    /// The state file: canonical JSON, ending in a newline.
    ///
    /// - Throws: `RIPAError.badInput` if the state cannot be written as the register's JSON.
    public func fileText() throws(RIPAError) -> String {
        let saved = Saved(
            origin: origin, genesis: genesis.base64, checkpoint: checkpointNote, frontier: frontier.map(\.base64),
            lastHash: lastHash.base64, lastTime: lastTime, savedAt: savedAt, walk: walk, replay: replay)
        let state: JSONValue
        do { state = try JSONValue(encoding: saved) } catch {
            throw RIPAError(.badInput, "the verify state cannot be written: \(error.message)")
        }
        let file: JSONValue = [
            "format": .string(Self.format), "version": .integer(Self.version),
            "digest": .string(Hash.sha256(state.canonicalBytes).hex), "state": state,
        ]
        return file.canonicalString + "\n"
    }

    /// Reads a state file written by `fileText()`.
    ///
    /// - Throws: `RIPAError.badInput` naming what is wrong: not JSON, another format or
    ///   version, a digest that does not match (the file was edited), or a state that does not
    ///   hold together (a checkpoint for another origin, a tree edge without its root).
    public init(parsing text: String) throws(RIPAError) {
        let file: JSONValue
        do { file = try JSONValue(parsing: text) } catch {
            throw Self.bad("it is not JSON: \(error.message)", .verifyStateMalformed)
        }
        guard file["format"]?.stringValue == Self.format else {
            throw Self.bad("its format is \(file["format"]?.stringValue.map { "'\($0)'" } ?? "missing"), not '\(Self.format)'", .verifyStateMalformed)
        }
        guard file["version"]?.integerValue == Self.version else {
            throw Self.bad("it is version \(file["version"].map(\.description) ?? "(none)"); this ripa reads version \(Self.version)", .verifyStateMalformed)
        }
        guard let state = file["state"], let digest = file["digest"]?.stringValue else {
            throw Self.bad("it has no state or no digest", .verifyStateMalformed)
        }
        guard Hash.sha256(state.canonicalBytes).hex == digest else {
            throw Self.bad("its digest does not match its contents: the file was changed after ripa wrote it", .verifyStateTampered)
        }
        let saved: Saved
        do { saved = try state.decode(Saved.self) } catch {
            throw Self.bad(error.message, .verifyStateMalformed)
        }
        let note: SignedNote
        let checkpoint: Checkpoint
        do {
            note = try SignedNote(parsing: saved.checkpoint)
            checkpoint = try Checkpoint(parsing: note.text)
        } catch {
            throw Self.bad("its checkpoint is malformed: \(error.message)", .verifyStateMalformed)
        }
        guard checkpoint.origin == saved.origin else {
            throw Self.bad("its checkpoint is for '\(checkpoint.origin)', not its origin '\(saved.origin)'", .verifyStateTampered)
        }
        func hash(_ text: String, _ what: String) throws(RIPAError) -> Hash {
            guard let hash = Hash(base64: text) else { throw Self.bad("its \(what) is not a base64 SHA-256", .verifyStateMalformed) }
            return hash
        }
        var frontier: [Hash] = []
        for text in saved.frontier { frontier.append(try hash(text, "tree edge")) }
        self.init(
            origin: saved.origin, genesis: try hash(saved.genesis, "genesis hash"), checkpointNote: saved.checkpoint,
            checkpoint: checkpoint, frontier: frontier, lastHash: try hash(saved.lastHash, "last hash"), lastTime: saved.lastTime,
            savedAt: saved.savedAt, walk: saved.walk, replay: saved.replay)
        // The checkpoint must be signed by the register key the walk reached, and the tree
        // edge fold to its root: a state put together by hand rarely manages both.
        guard let key = walk.registerKey, (try? note.verify(with: [key])) != nil else {
            throw Self.bad("its checkpoint is not signed by the register key its walk reached", .verifyStateTampered)
        }
        _ = try treeFrontier()
        if checkpoint.size > 0 && lastTime == nil {
            throw Self.bad("it covers \(checkpoint.size) entries but has no last entry time", .verifyStateMalformed)
        }
    }

    static func bad(_ what: String, _ reason: RIPAError.Reason) -> RIPAError {
        RIPAError(.badInput, "the verify state file is not usable: \(what); save a new one from a full verify", reason: reason)
    }
}

extension RIPAError.Reason {
    /// A `verify --since` state file that is not one ripa wrote (not JSON, another format or version).
    public static let verifyStateMalformed: Self = "verify.stateMalformed"
    /// A `verify --since` state file changed after ripa wrote it (its digest or its own checks fail).
    public static let verifyStateTampered: Self = "verify.stateTampered"
    /// A `verify --since` state file saved from another register.
    public static let verifyStateForeign: Self = "verify.stateForeign"
}
