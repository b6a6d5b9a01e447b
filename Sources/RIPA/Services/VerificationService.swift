import Foundation
import Ledger
import RegisterStorage

/// Checking the register: verify, replay, rebuild, the log, checkpoints and proofs.
///
/// The queries read the store here, so a front end never does: what they return is a
/// `Codable` value a front end prints as text or JSON.
public struct VerificationService: Sendable {
    let register: Register

    /// Entries read per batch of the log.
    static let logBatch = 4096

    /// Verifies the whole register from one snapshot, against the register's clock (the
    /// system clock, or a test register's fixed one).
    ///
    /// A broken check is a result, not an error: `ok` is false and the result names the
    /// entry and the check (`VerificationFailure`).
    ///
    /// - Parameters:
    ///   - keptCheckpoint: a signed checkpoint kept from an earlier visit; the register must extend it.
    ///   - trustedKey: a verifier key the auditor trusts; the register must have been signed by it.
    ///   - replay: also re-run every decision against the pack in force at that point.
    ///   - since: the text of a state file an earlier verify saved (`VerificationState`): only
    ///     the entries after its checkpoint are checked, once a consistency proof shows the
    ///     register still extends it.
    ///   - saveState: also give the state file of what this verify learnt (`report.stateFile`).
    ///   - compareProjections: with `replay`, compare the projections with the replay (false
    ///     for a register copied from an export bundle, projected only once it verifies).
    ///   - progress: told the entries checked so far and the entries stored, as it goes; nil for none.
    /// - Throws: when the store cannot be read; `RIPAError.badInput` for a state file that is
    ///   malformed, edited, from another register, or without the replay asked for.
    public func verify(
        keptCheckpoint: String? = nil, trustedKey: NoteVerifierKey? = nil, replay: Bool = false,
        since: String? = nil, saveState: Bool = false, compareProjections: Bool = true,
        progress: (@Sendable (_ done: UInt64, _ total: UInt64) -> Void)? = nil
    ) async throws -> VerificationResult {
        let state = try since.map { text throws(RIPAError) in try VerificationState(parsing: text) }
        do {
            let report = try await RegisterVerifier(store: register.store).verify(
                keptCheckpoint: keptCheckpoint, trustedKey: trustedKey, replay: replay, now: register.clock(),
                since: state, saveState: saveState, compareProjections: compareProjections, progress: progress)
            var result = VerificationResult(testRegister: register.isTestRegister, report: report)
            // The witnesses' cosignatures, against the tree the walk verified (docs/witnesses.md).
            result.witnessing = try await WitnessVerifier.check(store: register.store, size: report.size, root: report.root)
            return result
        } catch let failure as VerificationFailure {
            return VerificationResult(testRegister: register.isTestRegister, failure: failure)
        }
    }

    /// Rebuilds the projections from the log (`Projector.rebuild`), as an administrator. It
    /// never refuses an entry: one whose decision breaks the rules is projected
    /// conservatively and listed.
    ///
    /// - Throws: `RIPAError.notPermitted` unless the actor is an administrator.
    public func rebuild(by actor: Actor) async throws -> RebuildResult {
        guard actor.holds(.administrator) else {
            throw RIPAError(.notPermitted, "\(actor.userID) may not rebuild the projections: it needs the administrator role")
        }
        let report = try await Projector.rebuild(register)
        return RebuildResult(entries: report.entries, exceptions: report.exceptions)
    }

    /// The entries from `start` on, in batches, each line the entry's leaf data (its canonical
    /// JSON, the signed bytes) and, when `described`, its time, kind and signer's name.
    ///
    /// - Parameters:
    ///   - described: parse each entry and name its signer (a user by any key they have held,
    ///     `register` for the register key); without it only the leaf data is given.
    ///   - each: called with each batch, in log order.
    /// - Throws: `RIPAError.badInput` for a start beyond the register.
    public func log(from start: UInt64 = 0, described: Bool, _ each: ([LogLine]) throws -> Void) async throws {
        let store = register.store
        let size = try await store.read { try $0.size() }
        guard start <= size else {
            throw RIPAError(.badInput, "entry \(start) is beyond the register, which holds \(size) entries", reason: .inputOutOfRange,
                            values: ["field": "from", "value": String(start), "highest": String(size)])
        }
        var names: [PublicKey: String] = [:]
        if described {
            // Every key a person has held (replaced ones too), and the register key at genesis.
            for account in try await register.accounts() {
                for key in account.retiredKeys + (account.publicKey.map { [$0] } ?? []) {
                    if let key = try? PublicKey(base64: key) { names[key] = account.userID }
                }
            }
            if let genesis = try? await store.read({ try $0.entry(at: 0) }) { names[genesis.signer] = "register" }
        }
        var next = start
        while true {
            let from = next
            let batch = try await store.read { try $0.leaves(from: from, limit: Self.logBatch) }
            if batch.isEmpty { break }
            var lines: [LogLine] = []
            lines.reserveCapacity(batch.count)
            // Sealed personal fields opened where this process holds the data keys.
            let opened: [UInt64: (Entry, SealState)] = described
                ? try await store.read { reader in
                    var opened: [UInt64: (Entry, SealState)] = [:]
                    for (seq, leaf) in batch {
                        let entry = try Entry(leafData: leaf)
                        if entry.body[BodySealing.member] != nil { opened[seq] = try reader.opened(entry) }
                    }
                    return opened
                }
                : [:]
            for (seq, leaf) in batch {
                var line = LogLine(seq: seq, leaf: String(decoding: leaf, as: UTF8.self))
                if described {
                    let entry = try Entry(leafData: leaf)
                    if let (open, state) = opened[seq] {
                        line.openedBody = open.body.canonicalString
                        line.personalData = state
                    }
                    line.time = entry.time
                    line.kind = entry.kind
                    line.signer = names[entry.signer]
                        ?? (seq == 0 || entry.kind.hasPrefix("register.") || seq == 1 ? "register" : entry.signer.base64)
                }
                lines.append(line)
                next = seq + 1
            }
            try each(lines)
        }
    }

    /// How many entries the register holds: every query is a function of them (and of the
    /// time), so a front end may keep what it computed while this does not change.
    public func size() async throws -> UInt64 {
        try await register.store.read { try $0.size() }
    }

    /// What changes whenever anything is committed to the register, by any process: the
    /// backend's own counter where it has a cheap one (SQLite's data version), read without a
    /// hop to the store's threads; else the log's size. A cache keyed by it serves nothing a
    /// commit has changed.
    public func changeMark() async throws -> String {
        if let counter = register.store.backend.changeCounter() { return "v\(counter)" }
        return "n\(try await size())"
    }

    /// The latest signed checkpoint, exactly as signed (C2SP tlog-checkpoint).
    ///
    /// - Throws: `RIPAError.badInput` when there is none yet.
    public func latestCheckpoint() async throws -> String {
        guard let note = try await register.store.read({ try $0.latestCheckpoint() }) else {
            throw RIPAError(.badInput, "the register has no checkpoint yet")
        }
        return note
    }

    /// The register's origin, size, root and current verifier key.
    public func info() async throws -> RegisterInfo {
        let (origin, size, root) = try await register.store.read { reader in
            let size = try reader.size()
            return (try reader.origin(), size, try reader.root(size: size))
        }
        let key = try await register.verifierKey()
        return RegisterInfo(origin: origin, size: size, root: root.base64, verifierKey: key.description, testRegister: register.isTestRegister)
    }

    /// An RFC 6962 inclusion proof of entry `index` in the tree of `size` entries (default:
    /// the whole register).
    public func inclusionProof(index: UInt64, size: UInt64? = nil) async throws -> InclusionProofResult {
        try await register.store.read { reader in
            let size = try size ?? reader.size()
            let proof = try reader.inclusionProof(index: index, size: size)
            let leafHash = try reader.nodeHash(NodeID(level: 0, index: index))
            return InclusionProofResult(
                index: index, size: size, leafHash: leafHash.base64, root: try reader.root(size: size).base64,
                proof: proof.path.map(\.base64))
        }
    }

    /// An RFC 6962 consistency proof that the tree of `old` entries is a prefix of the tree of
    /// `new` (default: the whole register).
    public func consistencyProof(old: UInt64, new: UInt64? = nil) async throws -> ConsistencyProofResult {
        try await register.store.read { reader in
            let new = try new ?? reader.size()
            let proof = try reader.consistencyProof(oldSize: old, newSize: new)
            return ConsistencyProofResult(
                old: old, new: new, oldRoot: try reader.root(size: old).base64, newRoot: try reader.root(size: new).base64,
                proof: proof.path.map(\.base64))
        }
    }

    /// A document the register keeps (Code of Practice 8.2), such as a JP's order, checked
    /// against its SHA-256.
    ///
    /// - Throws: `RIPAError.badInput` for a hash not kept, or content that no longer matches it.
    public func document(sha256 hash: String) async throws -> KeptDocument {
        KeptDocument(sha256: hash.lowercased(), content: try await register.document(hash: hash))
    }
}
