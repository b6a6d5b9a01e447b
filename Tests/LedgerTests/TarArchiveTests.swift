import Foundation
import Ledger
import Testing

/// The bundle's archive format (POSIX ustar) written and read back, and every shape it does
/// not write refused rather than guessed at.
@Suite struct TarArchiveTests {
    /// Members of random names and contents, around the 512-byte block edges.
    static func members(seed: UInt64) -> [TarArchive.Member] {
        var generator = SeededGenerator(seed: seed)
        let count = Int(generator.next() % 6) + 1
        return (0..<count).map { index in
            let sizes = [0, 1, 511, 512, 513, 1024, 4097]
            let size = sizes[Int(generator.next() % UInt64(sizes.count))]
            let content = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            return TarArchive.Member(name: index.isMultiple(of: 2) ? "file-\(index).txt" : "documents/\(index)-\(generator.next() % 1000)", content: content)
        }
    }

    @Test("write then read gives back every member, in order, byte for byte", arguments: 0..<40)
    func roundTrip(seed: UInt64) throws {
        let members = Self.members(seed: seed)
        let archive = try TarArchive.write(members, modified: 1_780_000_000)
        #expect(archive.count % 512 == 0)
        #expect(try TarArchive.read(archive, memberLimit: 1 << 20) == members)
    }

    @Test("truncated, a header's byte changed, a link, a name twice or climbing out: each refused")
    func refusals() throws {
        let archive = try TarArchive.write([TarArchive.Member(name: "a.txt", content: Array("hello".utf8))], modified: 0)
        #expect(throws: LedgerError.self) { try TarArchive.read(Array(archive.prefix(600)), memberLimit: 1 << 20) }
        var altered = archive
        altered[10] ^= 0x01
        #expect(throws: LedgerError.self) { try TarArchive.read(altered, memberLimit: 1 << 20) }
        // A symbolic link, with its checksum made right: still not a file.
        var link = archive
        link[156] = UInt8(ascii: "2")
        link.replaceSubrange(148..<156, with: [UInt8](repeating: 0x20, count: 8))
        let sum = link[0..<512].reduce(0) { $0 + Int($1) }
        link.replaceSubrange(148..<156, with: Array(String(format: "%06o", sum).utf8) + [0, 0x20])
        #expect(throws: LedgerError.self) { try TarArchive.read(link, memberLimit: 1 << 20) }
        #expect(throws: LedgerError.self) { try TarArchive.write([TarArchive.Member(name: "../x", content: [])], modified: 0) }
        #expect(throws: LedgerError.self) {
            try TarArchive.write([TarArchive.Member(name: "x", content: []), TarArchive.Member(name: "x", content: [])], modified: 0)
        }
        #expect(throws: LedgerError.self) { try TarArchive.read(archive, memberLimit: 4) }
    }

    @Test("a sealed box opens only with its recipient's secret key, and not once altered")
    func sealedBox() throws {
        let (publicKey, secretKey) = SealedBox.keyPair()
        #expect(SealedBox.publicKey(of: secretKey) == publicKey)
        let box = SealedBox.seal(Array("data keys".utf8), to: publicKey)
        #expect(SealedBox.open(box, publicKey: publicKey, secretKey: secretKey) == Array("data keys".utf8))
        let (otherPublic, otherSecret) = SealedBox.keyPair()
        #expect(SealedBox.open(box, publicKey: otherPublic, secretKey: otherSecret) == nil)
        var altered = box
        altered[altered.count - 1] ^= 0x01
        #expect(SealedBox.open(altered, publicKey: publicKey, secretKey: secretKey) == nil)
    }
}
