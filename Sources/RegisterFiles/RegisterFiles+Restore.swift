import Foundation
import Ledger
import RIPA
import RegisterStorage
import SQLiteStorage

extension RegisterFiles {
    /// Entries compared per read when the backup is set against the register it replaces.
    static let restoreBatch = 4096
    /// Lost entries named in a refusal's message (all of them are in the result of a restore).
    static let lostNamedInMessage = 20

    /// Puts the backup at `backupPath` in place of the register at `databasePath` (or where
    /// there is none), after checking it against a checkpoint the operator kept.
    ///
    /// In order, refusing at the first that fails, with nothing changed:
    /// 1. the database here, if any, is taken for this process alone (`SQLiteExclusiveHold`):
    ///    refused while anything else has it open, and held to the end, so nobody appends
    ///    between the checks and the replacement;
    /// 2. the backup is copied into a staging folder beside the database and verifies there
    ///    (as `verify --replay`), its latest checkpoint signed by the key in the register key
    ///    file (else the register could not be written after the restore);
    /// 3. the kept checkpoint is this register's (its origin) and signed by the key file's
    ///    key or one the backup's log used;
    /// 4. if the backup is at least as large as the kept checkpoint, its first entries have
    ///    the kept root (recomputed from the entries) and a consistency proof from its tree
    ///    shows it extends the kept one; if it is smaller, the database here must hold the
    ///    kept checkpoint (its first entries have the kept root) and the backup's entries must
    ///    be its first ones, which a consistency proof from the kept tree confirms. Otherwise:
    ///    a fork (`restore.fork`, naming the first index that differs when the database here
    ///    shows it) or, with nothing here to prove it, `restore.unprovable`;
    /// 5. every entry of the database here that the backup does not hold at the same index
    ///    is named (index, kind, time); unless `acceptLoss` is exactly their number, refused;
    /// 6. the replaced database's WAL is folded into it, it is copied to
    ///    `<db>.replaced-<time>` (unless `keepReplaced` is false), the staged backup is made
    ///    durable and renamed over the database, the old file is marked unusable (a process
    ///    that opened it before and waits for the lock fails instead of writing to it), and
    ///    the lock is let go. No stale `-wal` or `-shm` is left for the restored file.
    ///
    /// The key files are not touched: a backup holds none.
    ///
    /// - Throws: `RIPAError` with a `restore.*` reason for each refusal above;
    ///   `RIPAError.keyFile` if the register key file is missing; `StoreError` with reason
    ///   `database.inUse` while the database is open elsewhere.
    public static func restore(
        databasePath: String, from backupPath: String, keptCheckpoint keptText: String, acceptLoss: UInt64? = nil,
        keepReplaced: Bool = true, clock: RegisterClock = .system
    ) async throws -> RestoreDone {
        // What is checked before anything is opened.
        guard try kindOfFile(backupPath) else {
            throw StoreError(.missingDatabase, "no backup at \(backupPath)", reason: .noDatabase, values: ["path": backupPath])
        }
        if sameFile(backupPath, databasePath) {
            throw RIPAError(.badInput, "\(backupPath) is the register itself; restore from a backup file", reason: .backupBadTarget, values: ["path": backupPath])
        }
        if fileSize(backupPath + "-wal") ?? 0 > 0 {
            throw RIPAError(
                .badInput, "\(backupPath)-wal holds changes that are not in \(backupPath): it is a copy of a live database, not a backup; make one with the backup command",
                reason: .restoreBackupFails, values: ["path": backupPath])
        }
        let key = try keyFile(databasePath: databasePath).load()
        let kept = try parseKept(keptText)

        // 1. The database here, held for this process alone to the end.
        var hold: SQLiteExclusiveHold?
        var previous = "absent"
        var unreadable: String?
        if try kindOfFile(databasePath) {
            do {
                hold = try SQLiteExclusiveHold.hold(at: databasePath)
                previous = "replaced"
            } catch let error as StoreError where error.reason == .databaseInUse {
                throw error
            } catch {
                previous = "unreadable"
                unreadable = "\(error)"
            }
        } else if fileSize(databasePath + "-wal") ?? 0 > 0 {
            throw RIPAError(
                .badInput, "\(databasePath)-wal holds changes but there is no \(databasePath) beside it; move it away before restoring",
                reason: .backupBadTarget, values: ["path": databasePath + "-wal"])
        }
        defer { hold?.release() }
        let current = try hold.flatMap { try CurrentRegister(reading: $0) }
        if hold != nil, current == nil {
            previous = "unreadable"
            unreadable = "it is an SQLite database but not a register whose entries can be read"
        }

        // 2. The backup, staged beside the database and verified there.
        let folder = URL(fileURLWithPath: databasePath).deletingLastPathComponent().path
        let staging = try makeStaging(in: folder, prefix: ".ripa-restore-")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let staged = staging + "/" + URL(fileURLWithPath: databasePath).lastPathComponent
        try copyFile(backupPath, to: staged)
        let backup = try await StagedBackup.open(staged, keysOf: databasePath, kept: kept, keptText: keptText, clock: clock)
        let proof: ConsistencyProof?
        let lost: [LostEntry]
        do {
            (proof, lost) = try await check(backup, against: kept, current: current, key: key, databasePath: databasePath, acceptLoss: acceptLoss)
        } catch {
            try? await backup.store.close()
            throw error
        }
        // Closed before the rename: no connection may hold the file as it moves.
        try await backup.store.close()
        try SQLiteBackend.removeSideFiles(of: staged)
        let (k, b) = (kept.checkpoint.size, backup.size)

        // 6. Into place.
        let replacedAt = keepReplaced && previous != "absent" ? databasePath + ".replaced-" + fileTime() : nil
        try SQLiteBackend.sync(staged)
        if let hold {
            try hold.mergeLog()
            if let replacedAt { try copyFile(databasePath, to: replacedAt) }
            guard rename(staged, databasePath) == 0 else {
                throw RIPAError(.badInput, "cannot put the backup at \(databasePath): \(String(cString: strerror(errno))); the register there is unchanged", reason: .backupBadTarget, values: ["path": databasePath])
            }
            // Past the rename the restore is done: neither of these may turn it into a failure.
            // A poison that fails leaves the old file readable to a process that opened it
            // before the rename (there is none: the lock was taken with no one else attached).
            try? hold.poison()
        } else {
            if previous == "unreadable" {
                // Nothing could read it; kept aside whole, with whatever lies beside it.
                for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: databasePath + suffix) {
                    if let replacedAt {
                        guard rename(databasePath + suffix, replacedAt + suffix) == 0 else {
                            throw RIPAError(.badInput, "cannot move \(databasePath + suffix) aside: \(String(cString: strerror(errno)))", reason: .backupBadTarget, values: ["path": databasePath])
                        }
                    } else {
                        unlink(databasePath + suffix)
                    }
                }
            } else {
                // No database: an empty -wal or a -shm left here belongs to nothing.
                try SQLiteBackend.removeSideFiles(of: databasePath)
            }
            try place(staged, at: databasePath, replacing: false)
        }
        try? SQLiteBackend.sync(folder)
        hold?.release()
        return RestoreDone(
            testRegister: backup.isTestRegister, db: databasePath, from: backupPath, size: b, root: backup.root.base64, keptSize: k,
            consistencyProof: proof.map { $0.path.map(\.base64) }, previous: previous, previousProblem: unreadable, replacedKeptAt: replacedAt, lost: lost)
    }

    /// Steps 3 to 5 of `restore`: the backup against the key, the kept checkpoint and the
    /// register here.
    ///
    /// - Returns: the consistency proof between the kept checkpoint and the backup, and the
    ///   entries the restore loses.
    static func check(
        _ backup: StagedBackup, against kept: (note: SignedNote, checkpoint: Checkpoint), current: CurrentRegister?, key: NoteSignerKey,
        databasePath: String, acceptLoss: UInt64?
    ) async throws -> (ConsistencyProof?, [LostEntry]) {
        if let current, current.origin != backup.origin {
            throw RIPAError(
                .badInput, "the backup is of the register '\(backup.origin)', not of the one at \(databasePath) ('\(current.origin)')",
                reason: .restoreOtherRegister, values: ["origin": current.origin, "backup_origin": backup.origin])
        }
        guard (try? backup.note.verify(with: [key.verifierKey])) != nil else {
            throw RIPAError(
                .keyFile, "the backup's latest checkpoint is not signed by the key in \(keyFile(databasePath: databasePath).path) (\(key.verifierKey)): the key was rotated after the backup was made, or the backup is of another register; put back the key file that belongs to the backup first",
                reason: .restoreKeyMismatch, values: ["key_file": keyFile(databasePath: databasePath).path, "backup_key": backup.verifierKeys.last ?? ""])
        }

        // 3. The kept checkpoint is this register's.
        guard kept.checkpoint.origin == backup.origin else {
            throw RIPAError(
                .badInput, "the kept checkpoint is for '\(kept.checkpoint.origin)', not this register ('\(backup.origin)')",
                reason: .restoreForeignCheckpoint, values: ["origin": kept.checkpoint.origin])
        }
        let keys = ([key.verifierKey.description] + backup.verifierKeys).compactMap { try? NoteVerifierKey(parsing: $0) }
        guard (try? kept.note.verify(with: keys)) != nil else {
            throw RIPAError(
                .badInput, "the kept checkpoint is not signed by the register key nor by any key the backup's register used",
                reason: .restoreForeignCheckpoint, values: ["origin": kept.checkpoint.origin])
        }

        // 4. The backup extends the kept checkpoint, or is a prefix of it.
        let (k, b) = (kept.checkpoint.size, backup.size)
        var common: UInt64?
        if let current { common = try await current.commonPrefix(with: backup) }
        let currentHoldsKept = try current.map { try $0.root(size: k) == kept.checkpoint.root } ?? false
        func fork(_ detail: String) -> RIPAError {
            var values = ["kept_size": String(k), "backup_size": String(b)]
            var message = "fork: the backup does not extend the checkpoint you kept (\(k) entries): \(detail)"
            if currentHoldsKept, let common, common < min(k, b) {
                values["differs_at"] = String(common)
                message += "; it departs from the kept history at entry \(common)"
            }
            return RIPAError(.badInput, message + "; history was rewritten, and the backup is refused", reason: .restoreFork, values: values)
        }
        var proof: ConsistencyProof?
        if b >= k {
            if backup.keptFailure != nil {
                throw fork("its first \(k) entries, hashed from the entries themselves, do not have the kept checkpoint's root")
            }
            if k > 0, k < b {
                let built = try await backup.store.read { try $0.consistencyProof(oldSize: k, newSize: b) }
                guard built.verify(oldRoot: kept.checkpoint.root, newRoot: backup.root) else {
                    throw fork("the consistency proof from its tree does not lead from the kept root to its own")
                }
                proof = built
            }
        } else {
            guard let current, currentHoldsKept, let common else {
                throw RIPAError(
                    .badInput,
                    "the backup (\(b) entries) is older than the checkpoint you kept (\(k)), and no register here holds that checkpoint, so nothing can prove the backup is part of the kept history or name the entries it lacks; restore against a checkpoint kept at \(b) entries or fewer",
                    reason: .restoreUnprovable, values: ["kept_size": String(k), "backup_size": String(b)])
            }
            guard common >= b else {
                throw fork("its entry \(common) is not the kept history's entry \(common)")
            }
            let built = try current.consistencyProof(oldSize: b, newSize: k)
            guard b == 0 || built.verify(oldRoot: backup.root, newRoot: kept.checkpoint.root) else {
                throw fork("no consistency proof leads from its root to the kept root")
            }
            proof = b == 0 ? nil : built
        }

        // 5. What the database here holds that the restored one will not.
        var lost: [LostEntry] = []
        if let current, let common { lost = try current.entries(at: try await current.indexesNotIn(backup, from: common), keptSize: k) }
        if !lost.isEmpty || (acceptLoss ?? 0) != 0, acceptLoss != UInt64(lost.count) {
            let named = lost.prefix(lostNamedInMessage).map(\.description).joined(separator: "; ")
            let more = lost.count > lostNamedInMessage ? "; and \(lost.count - lostNamedInMessage) more" : ""
            var values = ["lost": String(lost.count)]
            if let acceptLoss { values["accepted"] = String(acceptLoss) }
            if let first = lost.first, let last = lost.last {
                values["from"] = String(first.seq)
                values["to"] = String(last.seq)
                values["entries"] = lost.map(\.description).joined(separator: "; ")
            }
            let accepted = acceptLoss.map { ", not \($0)" } ?? ""
            let destroyed = lost.filter { $0.kind == EntryKind.personalDataDestroyed.rawValue }.map { String($0.seq) }
            let undone = destroyed.isEmpty ? "" : "; among them the destruction of personal data at entr\(destroyed.count == 1 ? "y" : "ies") \(destroyed.joined(separator: ", ")), which the restore would undo until it is applied again"
            let message = lost.isEmpty
                ? "restoring this backup loses no entry, so there is no loss to accept (\(acceptLoss ?? 0) given)"
                : "restoring this backup would lose \(lost.count) entr\(lost.count == 1 ? "y" : "ies") of the register here (\(named)\(more))\(undone); the loss must be accepted with exactly that number\(accepted)"
            throw RIPAError(.badInput, message, reason: .restoreLossNotAccepted, values: values)
        }
        return (proof, lost)
    }

    static func parseKept(_ text: String) throws -> (note: SignedNote, checkpoint: Checkpoint) {
        do {
            let note = try SignedNote(parsing: text)
            return (note, try Checkpoint(parsing: note.text))
        } catch {
            throw RIPAError(.badInput, "the kept checkpoint is not a signed checkpoint: \(error.message)", reason: .restoreForeignCheckpoint, values: [:])
        }
    }

    /// Whether there is a regular file at `path` (false for nothing there).
    ///
    /// - Throws: `RIPAError.badInput` for a directory, FIFO, device or socket.
    static func kindOfFile(_ path: String) throws -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw RIPAError(.badInput, "\(path) is not a regular file", reason: .backupBadTarget, values: ["path": path])
        }
        return true
    }

    static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }

    /// `20261201T181500Z`: a time for a file name (no colons), UTC.
    static func fileTime() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: Date())
    }

    /// Copies a file to a new one (mode 0600, refusing to overwrite) and makes it durable.
    static func copyFile(_ source: String, to target: String) throws {
        let input = Foundation.open(source, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard input >= 0 else {
            throw RIPAError(.badInput, "cannot read \(source): \(String(cString: strerror(errno)))", reason: .backupBadTarget, values: ["path": source])
        }
        defer { Foundation.close(input) }
        let output = Foundation.open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else {
            throw RIPAError(.badInput, "cannot create \(target): \(String(cString: strerror(errno)))", reason: .backupBadTarget, values: ["path": target])
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var failed: Int32 = 0
        while failed == 0 {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(input, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 { failed = errno; break }
            var done = 0
            while done < count {
                let wrote = buffer.withUnsafeBytes { Foundation.write(output, $0.baseAddress! + done, count - done) }
                if wrote <= 0 { failed = errno; break }
                done += wrote
            }
        }
        if failed == 0, fsync(output) != 0 { failed = errno }
        Foundation.close(output)
        if failed != 0 {
            unlink(target)
            throw RIPAError(.badInput, "cannot copy \(source) to \(target): \(String(cString: strerror(failed)))", reason: .backupBadTarget, values: ["path": target])
        }
    }
}

/// The backup being restored, staged, verified and described.
struct StagedBackup {
    let store: RegisterStore
    let origin: String
    let size: UInt64
    let root: Hash
    let note: SignedNote
    let verifierKeys: [String]
    let isTestRegister: Bool
    /// The verifier's finding against the kept checkpoint, when the backup is at least as large
    /// (a fork or a foreign note); nil when it extends it.
    let keptFailure: VerificationFailure?

    /// Opens and verifies the staged copy (with replay). Against the kept checkpoint too when
    /// the backup is at least as large: the verifier then recomputes the root at the kept size
    /// from the entries themselves, not from stored tree nodes an insider could have rewritten.
    static func open(_ path: String, keysOf databasePath: String, kept: (note: SignedNote, checkpoint: Checkpoint), keptText: String, clock: RegisterClock) async throws -> StagedBackup {
        let register = try await RegisterFiles.openCopy(path, keysOf: databasePath, clock: clock)
        let services = RegisterServices(register: register)
        let store = register.store
        do {
            let size = try await services.verification.size()
            // A kept checkpoint of another origin is refused as such by the caller, not as a failure here.
            let checkKept = size >= kept.checkpoint.size && kept.checkpoint.origin == store.origin
            var result = try await services.verification.verify(keptCheckpoint: checkKept ? keptText : nil, replay: true)
            var keptFailure: VerificationFailure?
            if checkKept, let failure = result.failure, failure.check == .consistency {
                // Verified again without it, to tell a fork from a backup that is bad in itself.
                keptFailure = failure
                result = try await services.verification.verify(replay: true)
            }
            guard let report = result.report else {
                let failure = result.failure!
                throw RIPAError(
                    .badInput, "the backup does not verify: \(failure)", reason: .restoreBackupFails, values: RegisterFiles.failureValues(failure))
            }
            let noteText = try await services.verification.latestCheckpoint()
            let note = try SignedNote(parsing: noteText)
            return StagedBackup(
                store: store, origin: store.origin, size: report.size, root: report.root, note: note, verifierKeys: report.verifierKeys,
                isTestRegister: services.isTestRegister, keptFailure: keptFailure)
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// The register being replaced, read under the exclusive hold: its leaves straight from the
/// entries table (never its tree nodes, which may be what was damaged).
struct CurrentRegister {
    let hold: SQLiteExclusiveHold
    let origin: String
    let size: UInt64
    /// The leaf hashes of all its entries, in order: the tree the kept checkpoint is proved in.
    let tree: MerkleTree

    /// Reads the held database; nil when it cannot be read as a register (it is then
    /// replaced as an unreadable file).
    init?(reading hold: SQLiteExclusiveHold) throws {
        guard let (origin, leaves) = try? hold.read({ storage -> (String, [Hash]) in
            let origin = try RegisterReader(storage).origin()
            var hashes: [Hash] = []
            var next: UInt64 = 0
            while true {
                let batch = try storage.leaves(from: next, limit: RegisterFiles.restoreBatch)
                if batch.isEmpty { break }
                for (seq, leaf) in batch {
                    // A gap ends the usable history: what follows is not at its index.
                    guard seq == next else { return (origin, hashes) }
                    hashes.append(RFC6962.leafHash(leaf))
                    next += 1
                }
            }
            return (origin, hashes)
        }) else { return nil }
        self.hold = hold
        self.origin = origin
        self.size = UInt64(leaves.count)
        self.tree = MerkleTree(leafHashes: leaves)
    }

    /// The root of its first `size` entries, or nil if it holds fewer.
    func root(size: UInt64) throws -> Hash? {
        size <= self.size ? tree.root(size: size) : nil
    }

    func consistencyProof(oldSize: UInt64, newSize: UInt64) throws -> ConsistencyProof {
        try tree.consistencyProof(oldSize: oldSize, newSize: newSize)
    }

    /// How many entries, from the first, it and the backup hold alike.
    func commonPrefix(with backup: StagedBackup) async throws -> UInt64 {
        var next: UInt64 = 0
        let limit = min(size, backup.size)
        while next < limit {
            let from = next
            let batch = try await backup.store.read { try $0.leaves(from: from, limit: RegisterFiles.restoreBatch) }
            if batch.isEmpty { break }
            for (seq, leaf) in batch {
                guard seq == next, next < limit, RFC6962.leafHash(leaf) == tree.nodeHash(NodeID(level: 0, index: seq)) else { return next }
                next += 1
            }
        }
        return next
    }

    /// The indexes of its entries that the backup does not hold at the same index: from
    /// `start` (the common prefix) on, those whose bytes differ, and all beyond the backup.
    func indexesNotIn(_ backup: StagedBackup, from start: UInt64) async throws -> [UInt64] {
        var indexes: [UInt64] = []
        var next = start
        let shared = min(size, backup.size)
        while next < shared {
            let from = next
            let batch = try await backup.store.read { try $0.leaves(from: from, limit: RegisterFiles.restoreBatch) }
            if batch.isEmpty { break }
            for (seq, leaf) in batch where seq < shared {
                if RFC6962.leafHash(leaf) != tree.nodeHash(NodeID(level: 0, index: seq)) { indexes.append(seq) }
                next = seq + 1
            }
        }
        // The backup verified, so it has no gap: anything short of `shared` is not in it.
        indexes += Array(next..<size)
        return indexes
    }

    /// Its entries at `indexes`, described.
    func entries(at indexes: [UInt64], keptSize: UInt64) throws -> [LostEntry] {
        try hold.read { storage in
            try indexes.map { seq in
                let entry = try storage.leaf(at: seq).flatMap { try? Entry(leafData: $0) }
                return LostEntry(seq: seq, kind: entry?.kind ?? "unreadable", time: entry?.time, inKeptCheckpoint: seq < keptSize)
            }
        }
    }
}
