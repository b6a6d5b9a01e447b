import Foundation
import Ledger
import RegisterStorage

/// Export bundles: the evidence an IPCO inspector takes away, and its offline check
/// (docs/bundles.md).
///
/// A bundle is a POSIX tar file of the register's entries, checkpoints with their
/// cosignatures, the kept documents, the data keys' names and tombstones, what the entries
/// make (the verifier-key history, the witness policy, the packs, the central record and the
/// annual statistics) and a manifest of hashes; with a recipient, the data keys of the cases
/// handed over sealed to the inspector's key. Its check copies it into a scratch store (a
/// memory backend, which the composition supplies) and runs the register's own verifier on it.
public struct BundleService: Sendable {
    let register: Register

    /// Makes a scratch store for a register of the given origin (`MemoryBackend.init(origin:)`).
    public typealias Scratch = @Sendable (_ origin: String) -> any StorageBackend

    /// Writes a bundle of the register as it stands.
    ///
    /// - Parameters:
    ///   - continuing: the text of a signed checkpoint of this register an earlier bundle ended
    ///     at: the bundle then holds only the entries after it (incremental).
    ///   - recipient: the inspector whose key the data keys are sealed to; nil for none.
    ///   - cases: the cases (URNs, or `case:<ref>` for looks without one) whose keys are handed
    ///     over; empty for every case whose personal data the register still holds.
    ///   - scratch: where the entries are projected to compute the central record and statistics.
    /// - Throws: `RIPAError.badInput` for a checkpoint that is malformed, another register's, or
    ///   one this register does not extend; a case with no kept data key; a recipient without
    ///   the data-protection key here.
    public func export(
        continuing: String? = nil, for recipient: InspectorKey? = nil, cases: [String] = [], purpose: String? = nil,
        disclosedBy actor: Actor? = nil, scratch: Scratch
    ) async throws -> BundleExported {
        // Handing data keys over is a disclosure of personal data: recorded first, by an
        // administrator, so none leaves unrecorded (and the bundle holds its own record).
        var handed: [String] = []
        if let recipient {
            guard let actor else {
                throw RIPAError(.notPermitted, "handing data keys to an inspector is a disclosure an administrator records in the register: act as an administrator and say why", reason: "bundle.disclosureNeedsAdministrator")
            }
            handed = try await Self.chosen(cases, in: register.store)
            let body = try DataKeysDisclosure(recipient: recipient, cases: handed, purpose: purpose ?? "")
            try await register.write { writer in try writer.append(.dataKeysDisclosed, body, by: actor) }
        }
        let snapshot = try await register.store.snapshot()
        let (origin, size, note) = try await snapshot.read { reader in (try reader.origin(), try reader.size(), try reader.latestCheckpoint()) }
        guard let note, try Checkpoint(parsing: SignedNote(parsing: note).text).size == size else {
            throw RIPAError(.badInput, "the register has no checkpoint of its \(size) entries; a verify of the register says why", reason: "bundle.noCheckpoint")
        }
        var from: UInt64 = 0
        if let continuing { from = try await Self.start(continuing: continuing, origin: origin, size: size, snapshot: snapshot) }
        var files: [(String, [UInt8])] = []

        // The log: every entry from `from`, as stored.
        let leaves = try await Self.leaves(snapshot, from: 0, to: size)
        var entries: [UInt8] = []
        entries.reserveCapacity(leaves.dropFirst(Int(from)).reduce(0) { $0 + $1.count + 1 })
        for leaf in leaves.dropFirst(Int(from)) {
            entries += leaf
            entries.append(UInt8(ascii: "\n"))
        }
        files.append((BundleFile.entries, entries))
        let (checkpoints, cosignatures, rows) = try await snapshot.read { reader in
            (try reader.checkpoints(), try reader.cosignatures(), try reader.dataKeyRows())
        }
        var lines: [UInt8] = []
        let cosigned = Dictionary(grouping: cosignatures, by: \.size)
        for (at, text) in checkpoints where at > from {
            let record = BundleCheckpoint(size: at, note: text, cosignatures: cosigned[at] ?? [])
            lines += try JSONValue(encoding: record).canonicalBytes
            lines.append(UInt8(ascii: "\n"))
        }
        files.append((BundleFile.checkpoints, lines))
        files.append((BundleFile.checkpoint, Array(try await WitnessService(register: register).cosignedCheckpoint(size: size).note.utf8)))
        if let continuing { files.append((BundleFile.continues, Array(continuing.utf8))) }

        // What the entries cite and what is kept beside them.
        let cited = try await Self.citedDocuments(leaves.dropFirst(Int(from)))
        for hash in cited {
            guard let content = try await snapshot.read({ try $0.document(hash: hash) }) else { continue }  // verify reports it
            files.append((BundleFile.documentsFolder + hash, content))
        }
        let tombstones = rows.map { BundleDataKey(name: $0.name, destroyedSeq: $0.sealed == nil ? $0.destroyedSeq : nil) }
        files.append((BundleFile.dataKeys, try JSONValue(encoding: tombstones).canonicalBytes))
        if let recipient {
            let kept = try await snapshot.read { try $0.allDataKeys() }?.keptKeys ?? [:]
            var keys: [String: String] = [:]
            for name in handed {
                guard let key = kept[name] else {
                    throw RIPAError(.badInput, "the data key of \(name) was destroyed while the bundle was being made: make it again", reason: "bundle.caseUnknown", values: ["case": name])
                }
                keys[name] = Data(key).base64EncodedString()
            }
            files.append((BundleFile.inspectorKeys, try InspectorKeys(origin: origin, size: size, keys: keys).sealed(to: recipient)))
        }

        // What the entries make, computed as the verifier will compute it.
        let madeAt = register.clock()
        let copy = try await Self.scratchRegister(
            origin: origin, log: ImportedLog(leaves: leaves, checkpoints: checkpoints, dataKeys: rows.filter { $0.sealed == nil }),
            testRegister: register.isTestRegister, clock: .system, scratch: scratch)
        files += try await Self.derivedFiles(of: copy, madeAt: madeAt)

        let root = try await snapshot.read { try $0.root(size: size) }
        let manifest = BundleManifest(
            format: BundleManifest.formatName, origin: origin, testRegister: register.isTestRegister, from: from, size: size,
            root: root.base64, madeAt: madeAt, recipient: recipient?.description, cases: handed,
            files: [])
        let readme = Self.readme(manifest, documents: cited.count)
        files.insert((BundleFile.readme, Array(readme.utf8)), at: 0)
        var listed = manifest
        listed.files = files.map { BundleManifest.File(path: $0.0, sha256: Hash.sha256($0.1).hex, bytes: $0.1.count) }
        let members = [TarArchive.Member(name: BundleFile.manifest, content: try JSONValue(encoding: listed).canonicalBytes)]
            + files.map { TarArchive.Member(name: $0.0, content: $0.1) }
        let archive = try TarArchive.write(members, modified: UInt64(max(0, madeAt.millisecondsSince1970 / 1000)))
        return BundleExported(archive: archive, manifest: listed, testRegister: register.isTestRegister)
    }

    /// The data key names to hand over: `cases`, each one the register still holds, or (none
    /// given) every key it holds.
    ///
    /// - Throws: `RIPAError.keyFile` without the data-protection key; `.badInput` for a case
    ///   destroyed or never held.
    static func chosen(_ cases: [String], in store: RegisterStore) async throws -> [String] {
        let (keys, rows) = try await store.read { reader in (try reader.allDataKeys(), try reader.dataKeyRows()) }
        guard let kept = keys?.keptKeys else {
            throw RIPAError(.keyFile, "no data keys can be handed to an inspector here: the register's data-protection key is not beside its register key", reason: "data.noProtectionKey")
        }
        guard !cases.isEmpty else { return kept.keys.sorted() }
        for name in cases where kept[name] == nil {
            let destroyed = rows.contains { $0.name == name && $0.sealed == nil }
            throw RIPAError(
                .badInput, destroyed ? "the personal data of \(name) was destroyed: there is no key to hand over" : "the register holds no personal data under \(name) (give a URN, or case:<reference> for looks made without an authorisation)",
                reason: "bundle.caseUnknown", values: ["case": name])
        }
        return Array(Set(cases)).sorted()
    }

    /// The size an incremental bundle starts at: the continued checkpoint's, once the register
    /// is shown to extend it (same origin, not beyond the register, the same root there).
    static func start(continuing text: String, origin: String, size: UInt64, snapshot: RegisterSnapshot) async throws -> UInt64 {
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint(parsing: SignedNote(parsing: text).text)
        } catch {
            throw RIPAError(.badInput, "the checkpoint to continue from is not a signed checkpoint: \(error)", reason: "bundle.sinceMalformed")
        }
        guard checkpoint.origin == origin else {
            throw RIPAError(.badInput, "the checkpoint to continue from is for '\(checkpoint.origin)', not this register ('\(origin)')", reason: "bundle.sinceForeign")
        }
        guard checkpoint.size <= size else {
            throw RIPAError(.badInput, "the checkpoint to continue from covers \(checkpoint.size) entries but the register holds \(size): it was rolled back since", reason: "bundle.sinceForeign")
        }
        let root = try await snapshot.read { try $0.root(size: checkpoint.size) }
        guard root == checkpoint.root else {
            throw RIPAError(.badInput, "the register's first \(checkpoint.size) entries do not have the root of the checkpoint to continue from: its history was rewritten since (a fork)", reason: "bundle.sinceForeign")
        }
        return checkpoint.size
    }

    static func leaves(_ snapshot: RegisterSnapshot, from: UInt64, to size: UInt64) async throws -> [[UInt8]] {
        var leaves: [[UInt8]] = []
        leaves.reserveCapacity(Int(size - from))
        var next = from
        while next < size {
            let start = next
            let batch = try await snapshot.read { try $0.leaves(from: start, limit: VerificationService.logBatch) }
            guard let last = batch.last else { break }
            leaves += batch.map(\.leaf)
            next = last.seq + 1
        }
        return leaves
    }

    /// The hashes of the documents (JPs' orders) the entries cite, once each, in order.
    static func citedDocuments(_ leaves: some Collection<[UInt8]>) async throws -> [String] {
        var hashes: [String] = []
        for leaf in leaves {
            guard let entry = try? Entry(leafData: leaf), entry.kind == EntryKind.judicialDecision.rawValue,
                  case .string(let hash)? = entry.body["order"], !hashes.contains(hash)
            else { continue }
            hashes.append(hash)
        }
        return hashes
    }

    /// A register over a scratch store holding `log`, projected, with no keyring: what the
    /// entries make without any personal data.
    static func scratchRegister(
        origin: String, log: ImportedLog, testRegister: Bool, clock: RegisterClock, scratch: Scratch, project: Bool = true
    ) async throws -> Register {
        let store = RegisterStore(backend: scratch(origin))
        try await store.importLog(log)
        let register = try Register(store: store, keyStore: BundleKeyStore(protectionKey: nil), clock: testRegister ? clock : .system, isTestRegister: testRegister)
        if project { try await Projector.project(imported: store, tagKey: try NoteSignerKey(name: origin, signingKey: SigningKey())) }
        return register
    }

    /// The files the entries make (`BundleFile.derived`), as at `madeAt`.
    static func derivedFiles(of register: Register, madeAt: EntryTime) async throws -> [(String, [UInt8])] {
        let (keys, witnessPolicies, packs, first) = try await register.store.read { reader in
            var keys = [try reader.entry(at: 0).body.decode(RegisterCreation.self).verifierKey]
            for rotation in try reader.entries(kind: EntryKind.registerKeyRotated.rawValue) {
                keys.append(try rotation.body.decode(RegisterKeyRotation.self).verifierKey)
            }
            let packs = try reader.entries(kind: EntryKind.policyAdopted.rawValue).map { entry in
                JSONValue.object(["seq": .integer(Int64(entry.seq)), "adoption": entry.body])
            }
            return (keys, try reader.entries(kind: EntryKind.witnessPolicyAdopted.rawValue), packs, try reader.entry(at: 0).time)
        }
        var files: [(String, [UInt8])] = []
        files.append((BundleFile.verifierKeys, Array(keys.map { $0 + "\n" }.joined().utf8)))
        let policy = try WitnessService.policies(witnessPolicies).last?.body.policy ?? ""
        files.append((BundleFile.witnessPolicy, Array(policy.utf8)))
        files.append((BundleFile.policies, JSONValue.array(packs).canonicalBytes))
        let records = RecordService(register: register)
        files.append((BundleFile.centralRecord, Array(CentralRecord.csv(try await records.central(at: madeAt).authorisations).utf8)))
        let zone = try await register.policyInForce().policy.rules.zone
        var years: [JSONValue] = []
        for year in CivilDate.containing(first.date, in: zone).year...max(CivilDate.containing(madeAt.date, in: zone).year, CivilDate.containing(first.date, in: zone).year) {
            years.append(try JSONValue(encoding: try await records.statistics(year: year, at: madeAt)))
        }
        files.append((BundleFile.statistics, JSONValue.array(years).canonicalBytes))
        return files
    }

    /// The README for the inspector.
    static func readme(_ manifest: BundleManifest, documents: Int) -> String {
        let range = manifest.from == 0
            ? "all \(manifest.size) entries (0 to \(manifest.size - 1))"
            : "the \(manifest.size - manifest.from) entries \(manifest.from) to \(manifest.size - 1), continuing the bundle that ended at the checkpoint in continues.txt"
        let keys = manifest.recipient.map { recipient in
            "inspector-keys.sealed holds the data keys of \(manifest.cases.count) case\(manifest.cases.count == 1 ? "" : "s"), sealed to the inspector key\n  \(recipient)\nso only its holder can read their personal data. Nobody else can.\n"
        } ?? "It hands over no data keys: subjects' personal data in it is sealed and cannot be read.\n"
        return """
            RIPA register export bundle\(manifest.testRegister ? " (TEST REGISTER: not a real register)" : "")

            Register: \(manifest.origin)
            Holds \(range).
            Tree size \(manifest.size), root \(manifest.root) (RFC 6962), made \(manifest.madeAt).

            \(keys)
            To check it on your own machine, with no access to the council's systems:

              ripa verify --bundle THIS-FILE --key VERIFIER-KEY --replay [--inspector-key YOUR-KEY-FILE]

            VERIFIER-KEY is the register's verifier key as the council published it (the first
            line of verifier-keys.txt is the one in its genesis entry). The check walks every
            entry (signatures, order, the signer's enrolment and roles), recomputes the tree and
            every checkpoint's root, checks the witnesses' cosignatures against the witness
            policy, re-runs every decision it can (--replay), and computes the central record,
            the statistics, the policy packs, the key history and the witness policy again from
            the entries and compares them with the files here. It names the entry or the file
            that fails. An incremental bundle is checked after the bundles before it:
            ripa verify --bundle FIRST --bundle NEXT ...

            Files (their SHA-256 are in manifest.json):
              entries.jsonl        every entry, one canonical JSON line each, exactly as signed
              checkpoints.jsonl    every checkpoint the register signed, with witnesses' cosignatures
              checkpoint.txt       the latest checkpoint with its cosignatures (C2SP tlog-checkpoint)
              verifier-keys.txt    the register's verifier keys, first to current
              witness-policy.txt   the witness policy in force (C2SP tlog-policy), empty if none
              policies.json        every policy pack adopted, as the log holds it
              central-record.csv   the central record (Code of Practice 2018 para 8.1), personal fields sealed
              statistics.json      the annual statistics, year by year
              data-keys.json       each case's data key by name: kept, or destroyed by which entry
              documents/           \(documents) JP's order\(documents == 1 ? "" : "s") the entries cite, named by SHA-256

            The format is described in the register's docs/bundles.md.

            """
    }
}

/// A bundle written (`BundleService.export`).
public struct BundleExported: Sendable {
    /// The tar archive's bytes.
    public let archive: [UInt8]
    /// Its manifest.
    public let manifest: BundleManifest
    /// Whether the register is a test register.
    public let testRegister: Bool
}

extension RegisterServices {
    /// Export bundles.
    public var bundles: BundleService { BundleService(register: register) }
}
