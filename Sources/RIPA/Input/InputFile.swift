import Foundation

/// Reading a file a person names (an application form, a policy file, a passphrase file, a
/// kept checkpoint): only a regular file, only up to its bound.
///
/// A FIFO named as a file used to hang the tool, a directory crashed it and a large file
/// was read whole; here the file is opened without blocking, checked with `fstat` to be a
/// regular file, and read to at most `limit` bytes.
public enum InputFile {
    /// The bytes of the regular file at `path`, at most `limit` of them.
    ///
    /// - Parameters:
    ///   - what: how the message names the file, e.g. `application file`.
    /// - Throws: `RIPAError.badInput` for a missing or unreadable file, one that is not a
    ///   regular file (a directory, FIFO, socket or device), or one longer than `limit`.
    public static func bytes(_ path: String, limit: Int, what: String) throws(RIPAError) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw RIPAError(.badInput, "cannot read \(what) \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw RIPAError(.badInput, "cannot read \(what) \(path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw RIPAError(.badInput, "\(what) \(path) is \(describe(mode: info.st_mode)), not a regular file")
        }
        guard info.st_size <= limit else {
            throw RIPAError(.badInput, "\(what) \(path) is \(info.st_size) bytes; at most \(limit) are allowed")
        }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw RIPAError(.badInput, "cannot read \(what) \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            result += buffer[0..<count]
            // The file may grow after the fstat.
            guard result.count <= limit else {
                throw RIPAError(.badInput, "\(what) \(path) is more than \(limit) bytes; at most \(limit) are allowed")
            }
        }
        return result
    }

    /// The file's text, which must be UTF-8.
    ///
    /// - Throws: as `bytes(_:limit:what:)`, and `RIPAError.badInput` if it is not UTF-8.
    public static func text(_ path: String, limit: Int, what: String) throws(RIPAError) -> String {
        let data = try bytes(path, limit: limit, what: what)
        guard let text = String(validating: data, as: UTF8.self) else {
            throw RIPAError(.badInput, "\(what) \(path) is not UTF-8 text")
        }
        return text
    }

    /// What a `stat` mode says the file is, for messages.
    public static func describe(mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFSOCK: "a socket"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }
}
