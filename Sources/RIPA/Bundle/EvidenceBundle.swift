import Foundation
import Ledger
import RegisterStorage

/// An export bundle read from its archive: the manifest and the files it names, not yet
/// checked (docs/bundles.md). `BundleService.open` checks it.
struct EvidenceBundle: Sendable {
    /// The most bytes one file of a bundle may hold (the entries of a very large register).
    static let memberLimit = 8 << 30

    /// Which bundle this is, for messages: its position when several are given, and its name.
    let label: String
    let manifest: BundleManifest
    let files: [String: [UInt8]]
    let order: [String]

    /// Reads an archive.
    ///
    /// - Throws: `VerificationFailure` (check `bundle`) for an archive or manifest that cannot be read.
    init(archive: [UInt8], label: String) throws {
        self.label = label
        let members: [TarArchive.Member]
        do {
            members = try TarArchive.read(archive, memberLimit: Self.memberLimit)
        } catch {
            throw VerificationFailure(index: nil, check: .bundle, "\(label) is not a readable bundle: \(error.message)")
        }
        var files: [String: [UInt8]] = [:]
        for member in members { files[member.name] = member.content }
        guard let manifestBytes = files.removeValue(forKey: BundleFile.manifest) else {
            throw VerificationFailure(index: nil, check: .bundle, "\(label) has no \(BundleFile.manifest)")
        }
        let manifest: BundleManifest
        do {
            manifest = try JSONValue(parsing: manifestBytes).decode(BundleManifest.self)
        } catch {
            throw VerificationFailure(index: nil, check: .bundle, "\(label): \(BundleFile.manifest) is not a bundle manifest: \(error)")
        }
        guard manifest.format == BundleManifest.formatName else {
            throw VerificationFailure(index: nil, check: .bundle, "\(label): the manifest's format is '\(manifest.format)', not \(BundleManifest.formatName)")
        }
        self.manifest = manifest
        self.files = files
        self.order = members.map(\.name).filter { $0 != BundleFile.manifest }
    }

    /// Every file the manifest lists is there with its length and SHA-256, and nothing else is.
    func checkManifest() throws {
        var unlisted = Set(files.keys)
        for file in manifest.files {
            guard let content = files[file.path] else {
                throw VerificationFailure(index: nil, check: .bundle, "\(label): \(file.path) is listed in the manifest but missing from the bundle")
            }
            unlisted.remove(file.path)
            guard content.count == file.bytes, Hash.sha256(content).hex == file.sha256 else {
                throw VerificationFailure(index: nil, check: .bundle, "\(label): \(file.path) does not match its SHA-256 in the manifest: it was altered after the bundle was made")
            }
        }
        if let extra = unlisted.sorted().first {
            throw VerificationFailure(index: nil, check: .bundle, "\(label): \(extra) is in the bundle but not in its manifest: it was added after the bundle was made")
        }
    }

    func required(_ name: String) throws -> [UInt8] {
        guard let content = files[name] else {
            throw VerificationFailure(index: nil, check: .bundle, "\(label) has no \(name)")
        }
        return content
    }

    /// The entries' stored bytes, one per line of `entries.jsonl`.
    func leaves() throws -> [[UInt8]] {
        let content = try required(BundleFile.entries)
        guard !content.isEmpty else { return [] }
        guard content.last == UInt8(ascii: "\n") else {
            throw VerificationFailure(index: nil, check: .bundle, "\(label): \(BundleFile.entries) does not end with a newline (truncated)")
        }
        return content.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
    }

    /// The checkpoints of `checkpoints.jsonl`, each within the bundle's entries.
    func checkpoints() throws -> [BundleCheckpoint] {
        let content = try required(BundleFile.checkpoints)
        var checkpoints: [BundleCheckpoint] = []
        for (number, line) in content.split(separator: UInt8(ascii: "\n")).enumerated() {
            let place = "\(label): line \(number + 1) of \(BundleFile.checkpoints)"
            guard let checkpoint = try? JSONValue(parsing: Array(line)).decode(BundleCheckpoint.self) else {
                throw VerificationFailure(index: nil, check: .bundle, "\(place) is not a checkpoint record")
            }
            guard checkpoint.size > manifest.from, checkpoint.size <= manifest.size,
                  checkpoint.cosignatures.allSatisfy({ $0.size == checkpoint.size })
            else {
                throw VerificationFailure(index: nil, check: .bundle, "\(place) is for size \(checkpoint.size), outside the bundle's entries \(manifest.from) to \(manifest.size)")
            }
            checkpoints.append(checkpoint)
        }
        return checkpoints
    }

    /// The kept documents, by the hash their names give.
    func documents() -> [(hash: String, content: [UInt8])] {
        files.keys.filter { $0.hasPrefix(BundleFile.documentsFolder) }.sorted().map { name in
            (String(name.dropFirst(BundleFile.documentsFolder.count)), files[name]!)
        }
    }

    /// The data key names and tombstones of `data-keys.json`.
    func dataKeys() throws -> [BundleDataKey] {
        guard let keys = try? JSONValue(parsing: try required(BundleFile.dataKeys)).decode([BundleDataKey].self) else {
            throw VerificationFailure(index: nil, check: .bundle, "\(label): \(BundleFile.dataKeys) is not a list of data keys")
        }
        return keys
    }
}
