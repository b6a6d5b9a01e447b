import Foundation
import Ledger
import RegisterStorage

/// One or more bundles, checked and opened as a register of their own.
public struct OpenedBundle: Sendable {
    /// The register the bundles make, read-only, for the reading services (`record central`,
    /// `log`, `status`): with the inspector's key, its personal data opens.
    public let services: RegisterServices
    /// The manifests, in the order given.
    public let manifests: [BundleManifest]
    /// What the check proved, or its first failure.
    public let verification: VerificationResult
}

extension BundleService {
    /// Checks bundles offline and opens them: the first a full bundle, each next one
    /// continuing the one before (`export(continuing:)`).
    ///
    /// The check, in order: each archive and manifest reads; the bundles chain (same register,
    /// each starting where the last ended, at its checkpoint's root); the register's own
    /// verifier walks every entry (and replays, with `replay`); every checkpoint's root and
    /// signature; the witnesses' cosignatures; every file against the manifest; and the last
    /// bundle's derived files, computed again from the entries. A failure is a result naming
    /// the bundle, the file and where it can, the entry.
    ///
    /// - Parameters:
    ///   - archives: each bundle's bytes, with a label for messages (its file name).
    ///   - inspector: the inspector's secret key, to open the data keys sealed to it.
    ///   - clock: a test register's clock (`$RIPA_CLOCK`), else `.system`.
    /// - Throws: `RIPAError.badInput` when the inspector key does not open the bundle's keys;
    ///   storage errors of the scratch store.
    public static func open(
        _ archives: [(label: String, bytes: [UInt8])], inspector: InspectorSecretKey? = nil, replay: Bool = false,
        trustedKey: NoteVerifierKey? = nil, keptCheckpoint: String? = nil, clock: RegisterClock = .system, scratch: Scratch
    ) async throws -> OpenedBundle {
        var bundles: [EvidenceBundle] = []
        var failure: VerificationFailure?
        do {
            for (label, bytes) in archives { bundles.append(try EvidenceBundle(archive: bytes, label: label)) }
        } catch let error as VerificationFailure {
            failure = error
        }
        guard let first = bundles.first, failure == nil else {
            let register = try await scratchRegister(
                origin: "bundle", log: ImportedLog(leaves: [], checkpoints: []), testRegister: false, clock: .system, scratch: scratch, project: false)
            return OpenedBundle(
                services: RegisterServices(register: register), manifests: bundles.map(\.manifest),
                verification: VerificationResult(testRegister: false, failure: failure ?? VerificationFailure(index: nil, check: .bundle, "no bundle given")))
        }
        let manifest = first.manifest
        let protectionKey = inspector.map { _ in Random.bytes(SecretBox.keyByteCount) }
        let keyring = protectionKey.map(DataKeyring.init(protectionKey:))
        let store = RegisterStore(backend: scratch(manifest.origin), keyring: keyring)
        let claimed = manifest.testRegister
        var testRegister = claimed
        do {
            try await load(bundles, into: store, inspector: inspector, keyring: keyring)
            // Whether it is a test register is the signed genesis entry's to say, not the manifest's.
            if let genesis = try? await store.read({ try $0.entry(at: 0) }) {
                testRegister = (try? genesis.body.decode(RegisterCreation.self))?.testRegister == true
            }
            guard testRegister == claimed else {
                throw VerificationFailure(index: 0, check: .bundle, "\(first.label): the manifest says the register is \(claimed ? "" : "not ")a test register, but its genesis entry says otherwise")
            }
        } catch let error as VerificationFailure {
            let register = try Register(store: store, keyStore: BundleKeyStore(protectionKey: protectionKey), clock: .system, isTestRegister: testRegister)
            return OpenedBundle(
                services: RegisterServices(register: register), manifests: bundles.map(\.manifest),
                verification: VerificationResult(testRegister: testRegister, failure: error))
        }
        let register = try Register(
            store: store, keyStore: BundleKeyStore(protectionKey: protectionKey), clock: testRegister ? clock : .system,
            isTestRegister: testRegister)
        let opened = { (verification: VerificationResult) in
            OpenedBundle(services: RegisterServices(register: register), manifests: bundles.map(\.manifest), verification: verification)
        }

        // The register's own verifier, over the copy: every entry, the tree, the latest checkpoint.
        var result = try await VerificationService(register: register).verify(
            keptCheckpoint: keptCheckpoint, trustedKey: trustedKey, replay: replay, compareProjections: false)
        guard let report = result.report else { return opened(result) }
        do {
            try await checkCheckpoints(store: store, keys: report.verifierKeys, bundles: bundles)
            let last = bundles.last!.manifest
            guard last.size == report.size, last.root == report.root.base64 else {
                throw VerificationFailure(index: nil, check: .bundle, "\(bundles.last!.label): the manifest claims \(last.size) entries with root \(last.root), but the entries make \(report.size) with root \(report.root.base64)")
            }
            for bundle in bundles { try bundle.checkManifest() }
            try await checkDerived(bundles.last!, store: store, testRegister: testRegister, clock: clock, scratch: scratch)
        } catch let error as VerificationFailure {
            return opened(VerificationResult(testRegister: testRegister, failure: error))
        }
        // Projected at last, with the inspector's keys, for the reading services.
        try await Projector.project(imported: store, tagKey: try NoteSignerKey(name: manifest.origin, signingKey: SigningKey()))
        return opened(result)
    }

    /// Copies the bundles' entries, checkpoints, cosignatures, documents and data keys into
    /// `store`, checking that they chain.
    static func load(_ bundles: [EvidenceBundle], into store: RegisterStore, inspector: InspectorSecretKey?, keyring: DataKeyring?) async throws {
        let origin = bundles[0].manifest.origin
        var size: UInt64 = 0
        var handed = 0
        for bundle in bundles {
            let manifest = bundle.manifest
            guard manifest.origin == origin else {
                throw VerificationFailure(index: nil, check: .bundle, "\(bundle.label) is from the register '\(manifest.origin)', not '\(origin)' like the bundle before it")
            }
            guard manifest.from == size else {
                throw VerificationFailure(
                    index: nil, check: .bundle,
                    size == 0
                        ? "\(bundle.label) continues from entry \(manifest.from): give the bundle(s) before it first, in order"
                        : "\(bundle.label) starts at entry \(manifest.from), but the bundles before it end at \(size): one is missing or they are out of order")
            }
            if manifest.from > 0 {
                // It must continue the checkpoint the last bundle ended at, at that root.
                let text = String(decoding: try bundle.required(BundleFile.continues), as: UTF8.self)
                let checkpoint = try? Checkpoint(parsing: SignedNote(parsing: text).text)
                let root = try await store.read { [size] in try $0.root(size: size) }
                guard let checkpoint, checkpoint.size == size, checkpoint.root == root else {
                    throw VerificationFailure(index: nil, check: .consistency, "\(bundle.label) continues from a checkpoint that is not the one the bundles before it end at (size \(size), root \(root.base64)): a fork")
                }
            }
            let leaves = try bundle.leaves()
            let checkpoints = try bundle.checkpoints()
            var rows = try bundle.dataKeys().compactMap { key in key.destroyedSeq.map { DataKeyRow(name: key.name, sealed: nil, destroyedSeq: $0) } }
            if let inspector, let keyring, let box = bundle.files[BundleFile.inspectorKeys] {
                let keys = try InspectorKeys.open(box, with: inspector)
                guard keys.origin == origin, keys.size == manifest.size else {
                    throw VerificationFailure(index: nil, check: .bundle, "\(bundle.label): its sealed data keys were made for another bundle (\(keys.origin) at size \(keys.size))")
                }
                for (name, key) in try keys.opened() { rows.append(keyring.row(keeping: key, name: name)) }
                handed += keys.keys.count
            }
            do {
                try await store.importLog(ImportedLog(
                    leaves: leaves, checkpoints: checkpoints.map { ($0.size, $0.note) }, cosignatures: checkpoints.flatMap(\.cosignatures),
                    documents: bundle.documents(), dataKeys: rows))
            } catch let error as StoreError {
                throw VerificationFailure(index: nil, check: .bundle, "\(bundle.label): \(BundleFile.checkpoints) names a checkpoint twice, or a data key is given twice: \(error.message)")
            }
            // What is stored, not what the manifest claims: a dropped line shows in the walk, at its entry.
            size += UInt64(leaves.count)
        }
        if inspector != nil, handed == 0 {
            throw RIPAError(.badInput, "an inspector key was given, but no bundle hands over any data keys (none was made for an inspector)", reason: "bundle.noInspectorKeys")
        }
    }

    /// Every checkpoint in the bundles has the root of the entries at its size and is signed
    /// by a key of the register: a checkpoint swapped for another (a fork's, an edited one)
    /// is named by its size.
    static func checkCheckpoints(store: RegisterStore, keys: [String], bundles: [EvidenceBundle]) async throws {
        let verifiers = keys.compactMap { try? NoteVerifierKey(parsing: $0) }
        for bundle in bundles {
            for (line, record) in try bundle.checkpoints().enumerated() {
                let place = "\(bundle.label): the checkpoint of size \(record.size) (line \(line + 1) of \(BundleFile.checkpoints))"
                guard let note = try? SignedNote(parsing: record.note), let checkpoint = try? Checkpoint(parsing: note.text) else {
                    throw VerificationFailure(index: nil, check: .checkpoint, "\(place) is not a signed checkpoint")
                }
                guard checkpoint.size == record.size, checkpoint.origin == bundle.manifest.origin else {
                    throw VerificationFailure(index: nil, check: .checkpoint, "\(place) is a checkpoint of size \(checkpoint.size) for \(checkpoint.origin): it was swapped")
                }
                let root = try await store.read { try $0.root(size: record.size) }
                guard checkpoint.root == root else {
                    throw VerificationFailure(index: record.size == 0 ? nil : record.size - 1, check: .checkpoint, "\(place) has a root that is not the root of the first \(record.size) entries: it was swapped for another tree's (a fork)")
                }
                guard (try? note.verify(with: verifiers)) != nil else {
                    throw VerificationFailure(index: nil, check: .checkpoint, "\(place) is not signed by any key this register has used")
                }
            }
        }
    }

    /// The last bundle's derived files (`BundleFile.derived`) are what its entries make.
    static func checkDerived(_ bundle: EvidenceBundle, store: RegisterStore, testRegister: Bool, clock: RegisterClock, scratch: Scratch) async throws {
        let (leaves, checkpoints, rows) = try await store.read { reader in
            (try (0..<reader.size()).map { try reader.leafData(at: $0)! }, try reader.checkpoints(), try reader.dataKeyRows())
        }
        // Keyless, as the export computed them: the files carry no personal data.
        let copy = try await scratchRegister(
            origin: bundle.manifest.origin, log: ImportedLog(leaves: leaves, checkpoints: checkpoints, dataKeys: rows.filter { $0.sealed == nil }),
            testRegister: testRegister, clock: clock, scratch: scratch)
        for (name, expected) in try await derivedFiles(of: copy, madeAt: bundle.manifest.madeAt) {
            let found = try bundle.required(name)
            guard found == expected else {
                let line = zip(found.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false),
                               expected.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false))
                    .enumerated().first { !$0.element.0.elementsEqual($0.element.1) }.map { $0.offset + 1 }
                throw VerificationFailure(
                    index: nil, check: .bundle,
                    "\(bundle.label): \(name) is not what the entries make\(line.map { " (first difference at line \($0))" } ?? ""): it was altered")
            }
        }
        // Destroyed keys must be the ones the log records as destroyed.
        var recorded: Set<String> = []
        for entry in try await store.read({ try $0.entries(kind: EntryKind.personalDataDestroyed.rawValue) }) {
            for item in try entry.body.decode(DestructionRecord.self).cases { recorded.insert(item.caseName) }
        }
        let tombstones = Set(try bundle.dataKeys().filter { $0.destroyedSeq != nil }.map(\.name))
        if let odd = tombstones.symmetricDifference(recorded).sorted().first {
            throw VerificationFailure(index: nil, check: .bundle, "\(bundle.label): \(BundleFile.dataKeys) says the data of \(odd) was \(tombstones.contains(odd) ? "" : "not ")destroyed, but the log says otherwise")
        }
    }
}
