import Foundation
import Ledger
import RegisterStorage

/// The auditor's verifier: walks the whole log and checks every rule of DESIGN.md
/// "Verification" — consecutive indices, canonical entries, `prev` links, signatures,
/// the signer's enrolment and roles at that point, time order, the tree root against the
/// latest checkpoint and its signature, and, given a checkpoint kept from an earlier
/// visit, that the register extends it.
///
/// It streams: entries are read in chunks, parsed and signature-checked on every core,
/// then walked in order; memory stays flat as the log grows.
public struct RegisterVerifier: Sendable {
    /// Entries read per chunk. Two chunks are in memory at once (one walked, the next parsed),
    /// so this sets most of the walk's own memory: at 1,000,000 entries `verify --replay` peaked
    /// at 164 MB with 8,192 and 128 MB with 4,096, and ran no slower.
    static let chunkSize = 4096

    /// How far an entry may be dated after the verifier's clock before it is flagged: five
    /// minutes, for clocks that drift apart between the machine that wrote and the one that
    /// verifies. Anything later was not written at the time it claims (issue 8 §1).
    public static let allowedClockSkewMilliseconds: Int64 = 5 * 60 * 1000

    let store: RegisterStore

    /// A verifier over a store.
    public init(store: RegisterStore) {
        self.store = store
    }

    /// Verifies the register.
    ///
    /// - Parameters:
    ///   - keptCheckpoint: a signed checkpoint the auditor kept; the register must extend it.
    ///   - trustedKey: a verifier key the auditor holds; it must be one the register used.
    ///   - replay: also re-run every decision against the pack in force at that point.
    ///   - now: the verifier's own clock (the CLI passes the register's clock: the system
    ///     clock, or a test register's `$RIPA_CLOCK`); an entry dated more than
    ///     `allowedClockSkewMilliseconds` after it fails the `future-time` check.
    ///   - progress: told the entries walked so far and the entries stored, after each chunk
    ///     (a front end's progress bar); nil for none.
    ///   - since: a state saved by an earlier verify of this register: only the entries after
    ///     its checkpoint are walked, from its authority walk (and replay), once a consistency
    ///     proof from the stored tree shows its checkpoint's entries are still the register's first.
    ///   - saveState: also return the state this verify reached (`VerificationReport.state`).
    ///   - compareProjections: with `replay`, also compare every projection row with the
    ///     replay; false for a store that holds no projections (an export bundle's entries,
    ///     which are projected only once they verify).
    /// - Throws: `VerificationFailure` naming the first bad index and check; `RIPAError.badInput`
    ///   for a state from another register, or one without the replay `replay` asks for.
    public func verify(
        keptCheckpoint: String? = nil, trustedKey: NoteVerifierKey? = nil, replay: Bool = false, now: EntryTime = .now(),
        since: VerificationState? = nil, saveState: Bool = false, compareProjections: Bool = true,
        progress: (@Sendable (_ done: UInt64, _ total: UInt64) -> Void)? = nil
    ) async throws -> VerificationReport {
        let latestAllowed = EntryTime(millisecondsSince1970: now.millisecondsSince1970 + Self.allowedClockSkewMilliseconds)
        // Everything is read from one snapshot (entries, tree nodes, checkpoint, projections),
        // so appends by others while this runs cannot make the register look inconsistent.
        let snapshot = try await store.snapshot()
        let (stored, latestNote) = try await snapshot.read { reader in (try reader.size(), try reader.latestCheckpoint()) }
        let origin = try await snapshot.read { try $0.origin() }
        guard let latestNote else {
            throw VerificationFailure(index: nil, check: .checkpoint, "the register has no signed checkpoint")
        }
        let latest = try Self.parse(note: latestNote, origin: origin, what: "the latest checkpoint")
        let kept = try keptCheckpoint.map { try Self.parse(note: $0, origin: origin, what: "the kept checkpoint") }

        var walk = AuthorityWalk()
        // Handed by reference to the snapshot reads that compare it, one at a time.
        let replayed = Exclusive(ReplayContext())
        if replay { replayed.value.dataKeys = try await snapshot.read { try $0.allDataKeys() } }
        var frontier = TreeFrontier()
        var lastHash = Hash.zero
        var lastTime: EntryTime?
        var genesis: Hash?
        var rootsAt: [UInt64: (root: Hash, key: NoteVerifierKey?)] = [:]
        let watched = Set([latest.checkpoint.size] + (kept.map { [$0.checkpoint.size] } ?? []))
        if watched.contains(0) { rootsAt[0] = (RFC6962.emptyRoot, nil) }
        var start: UInt64 = 0
        if let since {
            // Go on from the saved state, once the register is shown to extend it.
            try await Self.checkExtends(since, latest: latest.checkpoint, origin: origin, stored: stored, replay: replay, snapshot: snapshot)
            walk = since.walk
            if replay, let saved = since.replay {
                let keys = replayed.value.dataKeys
                replayed.value = saved
                replayed.value.dataKeys = keys
            }
            frontier = try since.treeFrontier()
            lastHash = since.lastHash
            lastTime = since.lastTime
            genesis = since.genesis
            start = since.size
            rootsAt[start] = (frontier.root, walk.registerKey)
        }

        // A pipeline: while one chunk is walked in order here, the next is read and its
        // parsing and signature checks run on every core.
        var next: UInt64 = start
        progress?(start, stored)
        var batch = try await snapshot.read { [start] in try $0.leaves(from: start, limit: Self.chunkSize) }
        var parsing: Task<[[Parsed]], Never>? = batch.isEmpty ? nil : Self.parseTask(batch)
        while let current = parsing {
            let from = batch.last!.seq + 1
            let following = try await snapshot.read { try $0.leaves(from: from, limit: Self.chunkSize) }
            parsing = following.isEmpty ? nil : Self.parseTask(following)
            // The slices in order, walked as they are: flattening them first would copy every entry.
            var offset = 0
            for item in await current.value.joined() {
                let seq = batch[offset].seq
                offset += 1
                guard seq == next else {
                    throw VerificationFailure(index: next, check: .sequence, "entry \(next) is missing (the next stored entry is \(seq))")
                }
                let entry: Entry
                switch item {
                case .failure(let error):
                    throw VerificationFailure(index: seq, check: .format, error.message)
                case .success(let (parsedEntry, leafHash, signatureValid)):
                    entry = parsedEntry
                    guard entry.seq == seq else {
                        throw VerificationFailure(index: seq, check: .sequence, "stored at index \(seq) but claims seq \(entry.seq) (entries moved or swapped)")
                    }
                    guard entry.prev == lastHash else {
                        throw VerificationFailure(index: seq, check: .prevLink, "prev does not match the leaf hash of entry \(seq == 0 ? "-1 (32 zero bytes)" : String(seq - 1)): an entry was changed, removed or reordered")
                    }
                    if let lastTime, entry.time < lastTime {
                        throw VerificationFailure(index: seq, check: .timeOrder, "time \(entry.time) is earlier than the previous entry's \(lastTime)")
                    }
                    guard entry.time <= latestAllowed else {
                        throw VerificationFailure(index: seq, check: .futureTime, "time \(entry.time) is after the verifier's clock (\(now), allowing \(Self.allowedClockSkewMilliseconds / 60_000) minutes' skew): the entry was not written when it claims")
                    }
                    guard signatureValid else {
                        throw VerificationFailure(index: seq, check: .signature, "the signature does not verify for signer \(entry.signer.base64)")
                    }
                    let changed = try walk.admit(entry, origin: origin)
                    if replay {
                        if !changed.isEmpty { replayed.value.take(changed, registerOpen: walk.book.open) }
                        try replayed.value.replay(entry)
                    }
                    frontier.appendLeaf(leafHash)
                    if seq == 0 { genesis = leafHash }
                    lastHash = leafHash
                    lastTime = entry.time
                }
                next += 1
                if watched.contains(next) { rootsAt[next] = (frontier.root, walk.registerKey) }
            }
            if replay, compareProjections { try await snapshot.read { [replayed] reader in try replayed.value.checkViews(with: reader) } }
            progress?(next, stored)
            batch = following
        }
        if next < stored {
            throw VerificationFailure(index: next, check: .sequence, "entry \(next) could not be read")
        }

        // The latest checkpoint must cover exactly the stored entries, with their root,
        // signed by the register key in force at that size.
        let size = frontier.size
        if latest.checkpoint.size > size {
            throw VerificationFailure(index: size, check: .checkpoint, "entry \(size) is missing: the latest checkpoint covers \(latest.checkpoint.size) entries but the register holds \(size)")
        }
        if latest.checkpoint.size < size {
            throw VerificationFailure(index: latest.checkpoint.size, check: .checkpoint, "entries from \(latest.checkpoint.size) on are not covered by any signed checkpoint")
        }
        guard let atLatest = rootsAt[size], atLatest.root == latest.checkpoint.root else {
            throw VerificationFailure(index: nil, check: .checkpoint, "the root of the \(size) entries does not match the latest checkpoint's root")
        }
        try Self.checkSignature(latest.note, by: atLatest.key, what: "the latest checkpoint")

        // The stored tree must agree, or proofs served from it would be wrong.
        let storedRoot = try? await snapshot.read { try $0.root(size: size) }
        guard storedRoot == frontier.root else {
            throw VerificationFailure(index: nil, check: .treeNodes, "the stored tree nodes do not match the entries (proofs would be wrong); rebuild is not possible without the original register")
        }

        // Every document an entry cites (a JP's order, Code of Practice 8.2) must be kept, unchanged.
        // Sealed under its case's key (`DocumentSealing`): opened and hashed with the key; once
        // the key is destroyed its absence is what destruction leaves (not re-checkable);
        // without any keyring here, a well-formed box under the case must be present.
        var documentsNotRechecked = 0
        for (seq, hash) in walk.documents {
            let kept = try await store.read { reader in
                try DocumentSealing.kept(hash: hash, urn: try reader.entry(at: seq).body["urn"]?.stringValue, reader: reader)
            }
            switch kept {
            case .content, .sealed: break
            case .destroyed: documentsNotRechecked += 1
            case .missing: throw VerificationFailure(index: seq, check: .document, "the JP's order it cites (sha256 \(hash)) is not in the document store")
            case .altered: throw VerificationFailure(index: seq, check: .document, "the JP's order it cites (sha256 \(hash)) was altered in the document store")
            }
        }

        if replay, compareProjections {
            try await snapshot.read { [replayed] reader in try replayed.value.compare(with: reader) }
        }

        if let trustedKey, !walk.keyHistory.contains(trustedKey.description) {
            throw VerificationFailure(index: nil, check: .checkpoint, "the register was never signed by the trusted key \(trustedKey)")
        }

        if let kept {
            let keptSize = kept.checkpoint.size
            guard keptSize <= size else {
                throw VerificationFailure(index: size, check: .consistency, "rollback: the kept checkpoint covers \(keptSize) entries but the register holds only \(size)")
            }
            if keptSize < start, keptSize > 0 {
                // Older than the saved state: the entries it covers were not walked, so the
                // stored tree must prove the register extends it.
                let proof = try? await snapshot.read { try $0.consistencyProof(oldSize: keptSize, newSize: size) }
                if proof?.verify(oldRoot: kept.checkpoint.root, newRoot: frontier.root) == true { rootsAt[keptSize] = (kept.checkpoint.root, nil) }
            }
            guard let atKept = rootsAt[keptSize] else {
                throw VerificationFailure(index: keptSize == 0 ? nil : keptSize - 1, check: .consistency, "fork: the register does not extend the kept checkpoint at size \(keptSize) (the consistency proof from it fails); history was rewritten")
            }
            guard atKept.root == kept.checkpoint.root else {
                throw VerificationFailure(index: keptSize == 0 ? nil : keptSize - 1, check: .consistency, "fork: the register's first \(keptSize) entries do not have the kept checkpoint's root; history was rewritten")
            }
            // Same root: the kept note must still be genuine, signed by a key this register used.
            let history = walk.keyHistory.compactMap { try? NoteVerifierKey(parsing: $0) }
            guard (try? kept.note.verify(with: history)) != nil else {
                throw VerificationFailure(index: nil, check: .consistency, "the kept checkpoint is not signed by any key this register has used")
            }
        }

        var stateFile: String?
        if saveState {
            // The stored subtrees of the right edge fold to the root checked above, so they are
            // the true ones; kept, they let the next verify go on without the old entries.
            let ids = VerificationState.frontierNodes(size: size)
            let edge = try await snapshot.read { reader in try ids.map { try reader.nodeHash($0) } }
            guard let genesis else { throw VerificationFailure(index: 0, check: .sequence, "the register has no entry 0") }
            let state = VerificationState(
                origin: origin, genesis: genesis, checkpointNote: latestNote, checkpoint: latest.checkpoint, frontier: edge,
                lastHash: lastHash, lastTime: lastTime, savedAt: now, walk: walk, replay: replay ? replayed.value : nil)
            _ = try state.treeFrontier()
            stateFile = try state.fileText()
        }

        var report = VerificationReport(
            size: size, root: frontier.root, verifierKeys: walk.keyHistory, activeUsers: walk.activeUsers,
            kinds: walk.kindCounts, keptCheckpointSize: kept?.checkpoint.size, replayedDecisions: replay ? replayed.value.decisions : nil,
            sinceSize: since?.size, stateFile: stateFile)
        if replay { report.notRechecked = replayed.value.notRechecked }
        if documentsNotRechecked > 0 { report.notRechecked = (report.notRechecked ?? 0) + documentsNotRechecked }
        return report
    }

    /// Whether the register still extends a saved state: the same register (origin and first
    /// entry), not rolled back, and a consistency proof from the stored tree between the
    /// state's checkpoint and the latest one that holds against both roots. A rewritten old
    /// entry changes the tree's root at the state's size, so the proof fails.
    ///
    /// - Throws: `RIPAError.badInput` for a state of another register, or without the replay
    ///   asked for; `VerificationFailure` (check `consistency`) when the register does not extend it.
    static func checkExtends(
        _ state: VerificationState, latest: Checkpoint, origin: String, stored: UInt64, replay: Bool, snapshot: RegisterSnapshot
    ) async throws {
        guard state.origin == origin else {
            throw RIPAError(.badInput, "the verify state file is for the register '\(state.origin)', not this one ('\(origin)')", reason: .verifyStateForeign)
        }
        if replay, !state.hasReplay {
            throw RIPAError(.badInput, "the verify state file was saved without a replay, so it holds no replay to go on from; save one from a full verify with replay first", reason: .verifyStateMalformed)
        }
        let first = try await snapshot.read { try $0.leafData(at: 0) }
        guard let first, RFC6962.leafHash(first) == state.genesis else {
            throw RIPAError(.badInput, "the verify state file was saved from another register with the same origin (its entry 0 differs from this register's), or this register's entry 0 was rewritten; a full verify tells which", reason: .verifyStateForeign)
        }
        let old = state.checkpoint
        guard old.size <= latest.size else {
            throw VerificationFailure(index: latest.size, check: .consistency, "rollback: the saved state covers \(old.size) entries but the register's latest checkpoint only \(latest.size)")
        }
        if old.size == latest.size {
            guard old.root == latest.root else {
                throw VerificationFailure(index: nil, check: .consistency, "fork: the latest checkpoint has the saved state's size \(old.size) but another root; history was rewritten")
            }
            return
        }
        guard latest.size <= stored else { return }  // the walk reports the missing entries
        let proof: ConsistencyProof
        do {
            proof = try await snapshot.read { try $0.consistencyProof(oldSize: old.size, newSize: latest.size) }
        } catch {
            throw VerificationFailure(index: nil, check: .treeNodes, "no consistency proof from the saved size \(old.size) to \(latest.size) can be read from the stored tree: \(error)")
        }
        guard proof.verify(oldRoot: old.root, newRoot: latest.root) else {
            throw VerificationFailure(index: old.size - 1, check: .consistency, "the consistency proof from the saved state's checkpoint (size \(old.size)) to the latest (size \(latest.size)) fails: the register's first \(old.size) entries are no longer the ones verified on \(state.savedAt); history was rewritten")
        }
    }

    struct ParsedCheckpoint {
        let note: SignedNote
        let checkpoint: Checkpoint
    }

    static func parse(note text: String, origin: String, what: String) throws -> ParsedCheckpoint {
        do {
            let note = try SignedNote(parsing: text)
            let checkpoint = try Checkpoint(parsing: note.text)
            guard checkpoint.origin == origin else {
                throw VerificationFailure(index: nil, check: .checkpoint, "\(what) is for origin '\(checkpoint.origin)', not this register's '\(origin)'")
            }
            return ParsedCheckpoint(note: note, checkpoint: checkpoint)
        } catch let error as LedgerError {
            throw VerificationFailure(index: nil, check: .checkpoint, "\(what) is malformed: \(error.message)")
        }
    }

    static func checkSignature(_ note: SignedNote, by key: NoteVerifierKey?, what: String, check: VerificationFailure.Check = .checkpoint) throws {
        guard let key else {
            throw VerificationFailure(index: nil, check: check, "no register key was in force for \(what)")
        }
        do {
            _ = try note.verify(with: [key])
        } catch {
            throw VerificationFailure(index: nil, check: check, "\(what) is not signed by the register key in force at its size (\(key)): \(error.message)")
        }
    }

    typealias Parsed = Result<(Entry, Hash, Bool), LedgerError>

    static func parseTask(_ batch: [(seq: UInt64, leaf: [UInt8])]) -> Task<[[Parsed]], Never> {
        Task { await parseInParallel(batch) }
    }

    /// Parses and signature-checks a chunk on every core; returns the slices in order.
    static func parseInParallel(_ batch: [(seq: UInt64, leaf: [UInt8])]) async -> [[Parsed]] {
        // Several slices per core: the ordered walk and the next read share the cores with
        // this, so a core that finishes early takes another slice rather than waiting.
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let sliceSize = max(256, (batch.count + workers * 8 - 1) / (workers * 8))
        return await withTaskGroup(of: (Int, [Parsed]).self) { group in
            for start in stride(from: 0, to: batch.count, by: sliceSize) {
                let slice = batch[start..<min(start + sliceSize, batch.count)]
                group.addTask {
                    (start, slice.map { item in
                        Result { () throws(LedgerError) in
                            let entry = try Entry(leafData: item.leaf)
                            return (entry, RFC6962.leafHash(item.leaf), entry.hasValidSignature)
                        }
                    })
                }
            }
            var parts: [(Int, [Parsed])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
