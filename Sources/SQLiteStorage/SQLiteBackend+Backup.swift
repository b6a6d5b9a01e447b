import Foundation
import GRDB
import RegisterStorage

extension SQLiteBackend {
    /// Pages copied per step of the online backup: 1,024 pages (4 MiB at the register's page
    /// size). Between steps SQLite releases nothing a writer waits for (in WAL mode a reader
    /// never blocks a writer), so the size of a step only bounds how long one call runs.
    public static let backupPagesPerStep: Int32 = 1024

    /// Copies the register into a new database file at `path` with SQLite's online backup
    /// API (`sqlite3_backup_init`/`step`/`finish`), in steps of `pagesPerStep` pages.
    ///
    /// The copy is read inside one read transaction on the source, so it is the register as of
    /// one commit however many appends land meanwhile; writers are never paused (WAL: the
    /// reader holds a snapshot, the writers append to the WAL). The destination is created
    /// mode 0600 (it holds every user's sealed key and every sealed data key) and is left as
    /// one self-contained file: no `-wal` or `-shm` beside it.
    ///
    /// - Parameters:
    ///   - path: where to write; nothing may be there yet.
    ///   - progress: told the pages copied and the pages in all after each step.
    /// - Throws: `StoreError.alreadyExists` if anything is at `path`; `StoreError.database`
    ///   if SQLite fails (a full disk), after removing what was written.
    public func backup(
        to path: String, pagesPerStep: Int32 = backupPagesPerStep,
        progress: ((_ copied: Int, _ total: Int) -> Void)? = nil
    ) throws {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw StoreError(.alreadyExists, "\(path) already exists", values: ["path": path]) }
            throw StoreError(.database, "cannot create \(path): \(String(cString: strerror(errno)))", values: ["path": path])
        }
        fchmod(fd, 0o600)
        Foundation.close(fd)
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(15)
            let destination = try Self.wrapped { try DatabaseQueue(path: path, configuration: configuration) }
            do {
                try Self.wrapped {
                    try pool.backup(to: destination, pagesPerStep: pagesPerStep) { step in
                        progress?(step.completedPageCount, step.totalPageCount)
                    }
                }
            } catch {
                try? destination.close()
                throw error
            }
            // Closing the only connection checkpoints the copy's WAL into it and removes it.
            try Self.wrapped { try destination.close() }
            try Self.removeSideFiles(of: path)
            try Self.sync(path)
        } catch {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
            throw error
        }
    }

    /// Removes the `-wal` and `-shm` left beside a database file that no connection has open
    /// (a read-only connection cannot remove them when it closes). A `-wal` that still holds
    /// frames is committed data, never removed: the file is refused instead.
    ///
    /// - Throws: `StoreError.corrupt` if the `-wal` is not empty.
    public static func removeSideFiles(of path: String) throws {
        var info = stat()
        if stat(path + "-wal", &info) == 0 {
            guard info.st_size == 0 else {
                throw StoreError(.corrupt, "\(path)-wal still holds changes that are not in \(path)", values: ["path": path])
            }
            unlink(path + "-wal")
        }
        unlink(path + "-shm")
    }

    /// `fsync` of a file or folder.
    ///
    /// - Throws: `StoreError.database` if the disk refuses.
    public static func sync(_ path: String) throws {
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw StoreError(.database, "cannot open \(path) to make it durable: \(String(cString: strerror(errno)))", values: ["path": path])
        }
        defer { Foundation.close(fd) }
        guard fsync(fd) == 0 else {
            throw StoreError(.database, "cannot make \(path) durable: \(String(cString: strerror(errno)))", values: ["path": path])
        }
    }
}
