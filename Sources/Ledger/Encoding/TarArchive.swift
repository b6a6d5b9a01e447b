/// A POSIX ustar archive (IEEE Std 1003.1, "pax" format's ustar header) of regular files,
/// written and read here so that an export bundle opens with the `tar` every system ships
/// (GNU tar, bsdtar, Windows' tar.exe, Python's `tarfile`) and needs no library.
///
/// Only what a bundle needs: regular files with names of at most 100 bytes, each in one
/// 512-byte header followed by its content padded to 512 bytes, the archive closed by two
/// zero blocks. Reading refuses anything else (links, devices, long names, a bad header
/// checksum, a member named twice, a member past the end) rather than guess.
public enum TarArchive {
    /// A block.
    static let block = 512

    /// One member: its name and its bytes.
    public struct Member: Sendable, Hashable {
        /// The path inside the archive, `/`-separated, relative.
        public var name: String
        /// The content.
        public var content: [UInt8]

        /// A member.
        public init(name: String, content: [UInt8]) {
            self.name = name
            self.content = content
        }
    }

    /// The archive of `members`, in order, each mode 0644 and dated `modified` (POSIX seconds).
    public static func write(_ members: [Member], modified: UInt64) throws(LedgerError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(members.reduce(2 * block) { $0 + block + padded($1.content.count) })
        var names = Set<String>()
        for member in members {
            let name = Array(member.name.utf8)
            guard !name.isEmpty, name.count <= 100, !member.name.hasPrefix("/"), !member.name.split(separator: "/").contains(".."),
                  names.insert(member.name).inserted
            else { throw LedgerError(.malformedArchive, "tar: the member name '\(member.name)' cannot be written (empty, absolute, with .., over 100 bytes, or twice)") }
            var header = [UInt8](repeating: 0, count: block)
            put(name, at: 0, in: &header)
            put(octal(0o644, width: 8), at: 100, in: &header)
            put(octal(0, width: 8), at: 108, in: &header)
            put(octal(0, width: 8), at: 116, in: &header)
            put(octal(UInt64(member.content.count), width: 12), at: 124, in: &header)
            put(octal(modified, width: 12), at: 136, in: &header)
            header[156] = UInt8(ascii: "0")
            put(Array("ustar\u{0}00".utf8), at: 257, in: &header)
            // The checksum is computed with its own field as eight spaces.
            put([UInt8](repeating: 0x20, count: 8), at: 148, in: &header)
            let sum = header.reduce(0) { $0 + UInt64($1) }
            put(octal(sum, width: 7) + [0x20], at: 148, in: &header)
            out += header
            out += member.content
            out += [UInt8](repeating: 0, count: padded(member.content.count) - member.content.count)
        }
        out += [UInt8](repeating: 0, count: 2 * block)
        return out
    }

    /// The members of an archive, in order.
    ///
    /// - Parameter limit: the most bytes any one member may hold.
    /// - Throws: `LedgerError` naming the member or the offset that is not what `write` makes.
    public static func read(_ bytes: [UInt8], memberLimit limit: Int) throws(LedgerError) -> [Member] {
        var members: [Member] = []
        var names = Set<String>()
        var offset = 0
        while true {
            guard offset + block <= bytes.count else {
                throw LedgerError(.malformedArchive, "tar: the archive ends at byte \(bytes.count) without its closing blocks (truncated)")
            }
            let header = Array(bytes[offset..<offset + block])
            if header.allSatisfy({ $0 == 0 }) { return members }
            let name = String(decoding: header[0..<100].prefix { $0 != 0 }, as: UTF8.self)
            let what = name.isEmpty ? "the member at byte \(offset)" : "the member '\(name)'"
            var summed = header
            summed.replaceSubrange(148..<156, with: [UInt8](repeating: 0x20, count: 8))
            guard let stored = number(header[148..<156]), stored == summed.reduce(0, { $0 + UInt64($1) }) else {
                throw LedgerError(.malformedArchive, "tar: \(what) has a header whose checksum does not match (the archive was altered or is not a tar file)")
            }
            guard header[156] == UInt8(ascii: "0") || header[156] == 0 else {
                throw LedgerError(.malformedArchive, "tar: \(what) is not a regular file (type '\(Character(Unicode.Scalar(header[156])))'); a bundle holds only files")
            }
            guard header[345] == 0 else { throw LedgerError(.malformedArchive, "tar: \(what) has a name prefix; a bundle's names fit in 100 bytes") }
            guard !name.isEmpty, !name.hasPrefix("/"), !name.split(separator: "/").contains(".."), names.insert(name).inserted else {
                throw LedgerError(.malformedArchive, "tar: \(what) has a name that is empty, absolute, climbs with .., or is given twice")
            }
            guard let size = number(header[124..<136]), size <= UInt64(limit) else {
                throw LedgerError(.malformedArchive, "tar: \(what) has a size that is unreadable or over \(limit) bytes")
            }
            let start = offset + block
            guard start + Int(size) <= bytes.count else {
                throw LedgerError(.malformedArchive, "tar: \(what) runs past the end of the archive (truncated)")
            }
            members.append(Member(name: name, content: Array(bytes[start..<start + Int(size)])))
            offset = start + padded(Int(size))
        }
    }

    static func padded(_ count: Int) -> Int { (count + block - 1) / block * block }

    static func put(_ bytes: [UInt8], at offset: Int, in header: inout [UInt8]) {
        header.replaceSubrange(offset..<offset + bytes.count, with: bytes)
    }

    /// `value` in octal, zero-padded to `width - 1` digits and a NUL.
    static func octal(_ value: UInt64, width: Int) -> [UInt8] {
        let digits = Array(String(value, radix: 8).utf8)
        return [UInt8](repeating: UInt8(ascii: "0"), count: max(0, width - 1 - digits.count)) + digits + [0]
    }

    /// An octal field (digits, then NUL or spaces), or nil.
    static func number(_ field: ArraySlice<UInt8>) -> UInt64? {
        let digits = field.drop { $0 == 0x20 }.prefix { $0 != 0 && $0 != 0x20 }
        guard !digits.isEmpty, digits.count <= 21, digits.allSatisfy({ (0x30...0x37).contains($0) }) else { return nil }
        return UInt64(String(decoding: digits, as: UTF8.self), radix: 8)
    }
}
