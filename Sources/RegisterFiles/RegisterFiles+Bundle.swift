import Foundation
import Ledger
import MemoryStorage
import RIPA
import RegisterStorage

extension RegisterFiles {
    /// The most bytes a bundle file may hold.
    public static let bundleFileLimit = 16 << 30

    /// Where a bundle is copied to be checked and read: memory, so the check needs no database
    /// and leaves nothing behind.
    public static let bundleScratch: BundleService.Scratch = { origin in MemoryBackend(origin: origin, location: "an export bundle") }

    /// Writes an export bundle of the register at `databasePath`'s services to `path`, through
    /// a temporary file renamed into place (mode 0600), so an interrupted export leaves no half bundle.
    public static func writeBundle(_ bundle: BundleExported, to path: String) throws {
        try writeAtomically(Data(bundle.archive), to: path, what: "bundle")
    }

    /// Writes an inspector's secret key file, readable by its owner only; refuses to replace one.
    public static func writeInspectorKey(_ key: InspectorSecretKey, to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw RIPAError(.badInput, "\(path) already exists: an inspector key is never overwritten (choose another file)", reason: "bundle.keyFileExists")
        }
        try writeAtomically(Data(key.fileText.utf8), to: path, what: "inspector key file")
    }

    /// Opens bundle files (the first full, each next continuing the one before), checks them
    /// and returns the register they make (`BundleService.open`).
    public static func openBundles(
        paths: [String], inspectorKeyFile: String? = nil, replay: Bool = false, trustedKey: NoteVerifierKey? = nil,
        keptCheckpoint: String? = nil, clock: RegisterClock = .system
    ) async throws -> OpenedBundle {
        let archives = try paths.map { path in
            (label: URL(fileURLWithPath: path).lastPathComponent, bytes: try InputFile.bytes(path, limit: bundleFileLimit, what: "bundle"))
        }
        let inspector = try inspectorKeyFile.map { path in
            try InspectorSecretKey(parsing: try InputFile.text(path, limit: 4096, what: "inspector key file"))
        }
        return try await BundleService.open(
            archives, inspector: inspector, replay: replay, trustedKey: trustedKey, keptCheckpoint: keptCheckpoint, clock: clock,
            scratch: bundleScratch)
    }

    static func writeAtomically(_ data: Data, to path: String, what: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw RIPAError(.badInput, "cannot write the \(what) \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            let problem = String(cString: strerror(errno))
            unlink(temporary)
            throw RIPAError(.badInput, "cannot write the \(what) \(path): \(problem)")
        }
    }
}
