import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import RIPA
import Testing

@testable import RegisterServer

/// The log published under /tlog/ as C2SP tlog-tiles (issue 12 §4): a client that trusts
/// only the register's verifier key rebuilds the checkpoint's root from the hash tiles and
/// proves an entry from them; entry bundles reach the auditor alone.
@Suite struct TilesTests {
    /// The scene's register grown past one full tile: 320 looks by ivan on top of its users.
    static func grownScene() async throws -> WebScene {
        let scene = try await WebScene()
        let ivan = try await scene.services.users.unlock(userID: "ivan", passphrase: WebScene.passphrases["ivan"]!)
        for index in 0..<320 {
            _ = try await scene.services.gate.look(
                at: "https://www.instagram.com/tile.profile.\(index)", caseRef: "CR-\(index)", purpose: "Check the listing", authorisation: nil, by: ivan)
        }
        return scene
    }

    /// A tile client written from the spec: it fetches the tiles a tree of `size` needs and
    /// answers for any complete subtree from them, hashing up inside a tile.
    struct TileReader {
        let size: UInt64
        var tiles: [String: [Hash]] = [:]

        /// The tile (level, index) and its width in the tree of `size`: full if complete, else partial.
        static func tile(level: Int, index: UInt64, size: UInt64) -> TilePath {
            let complete = size >> UInt64(8 * level)
            let full = (index + 1) * 256 <= complete
            return TilePath(kind: .hashes(level: level), index: index, width: full ? nil : Int(complete - index * 256))
        }

        /// Fetches every tile holding a node of the tree of `size` (a small tree: all of them).
        static func fetch(_ client: any TestClientProtocol, size: UInt64) async throws -> TileReader {
            var reader = TileReader(size: size)
            var level = 0
            while size >> UInt64(8 * level) > 0 {
                let complete = size >> UInt64(8 * level)
                for index in 0...((complete - 1) / 256) {
                    let path = tile(level: level, index: index, size: size)
                    let response = try await client.execute(uri: "/tlog/" + path.description, method: .get)
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers[.contentType] == "application/octet-stream")
                    #expect(response.headers[.cacheControl] == "public, max-age=31536000, immutable")
                    let bytes = Array(response.body.readableBytesView)
                    #expect(bytes.count == 32 * (path.width ?? 256), "\(path) is \(bytes.count) bytes")
                    reader.tiles[path.description] = stride(from: 0, to: bytes.count, by: 32).map { Hash(bytes: bytes[$0..<($0 + 32)])! }
                }
                level += 1
            }
            return reader
        }

        /// MTH of the complete subtree `id`, from the tile at level `id.level / 8`, hashing up
        /// `id.level % 8` levels inside it.
        func nodeHash(_ id: NodeID) throws -> Hash {
            let level = id.level / 8, up = id.level % 8
            let first = id.index << UInt64(up), count = UInt64(1) << UInt64(up)
            let path = Self.tile(level: level, index: first / 256, size: size)
            guard let hashes = tiles[path.description] else { throw WebError.notFound }
            var row = Array(hashes[Int(first % 256)..<Int(first % 256 + count)])
            while row.count > 1 { row = stride(from: 0, to: row.count, by: 2).map { RFC6962.nodeHash(row[$0], row[$0 + 1]) } }
            return row[0]
        }

        /// The root: the right-to-left fold of the complete subtrees the size's bits name.
        func root() throws -> Hash {
            var nodes: [NodeID] = []
            var start: UInt64 = 0
            for level in stride(from: 63, through: 0, by: -1) where size & (1 << UInt64(level)) != 0 {
                nodes.append(NodeID(level: level, index: start >> UInt64(level)))
                start += 1 << UInt64(level)
            }
            var hash = try nodeHash(nodes.removeLast())
            for node in nodes.reversed() { hash = RFC6962.nodeHash(try nodeHash(node), hash) }
            return hash
        }
    }

    /// An entry bundle's entries: big-endian uint16 lengths, each followed by that many bytes.
    static func entries(of bundle: [UInt8]) throws -> [[UInt8]] {
        var entries: [[UInt8]] = []
        var at = 0
        while at < bundle.count {
            try #require(at + 2 <= bundle.count)
            let length = Int(bundle[at]) << 8 | Int(bundle[at + 1])
            try #require(at + 2 + length <= bundle.count)
            entries.append(Array(bundle[(at + 2)..<(at + 2 + length)]))
            at += 2 + length
        }
        return entries
    }

    @Test func theTilesGiveTheCheckpointsRootAndProveAnEntry() async throws {
        let scene = try await Self.grownScene()
        let key = try NoteVerifierKey(parsing: try await scene.services.verification.info().verifierKey)
        try await scene.app().test(.router) { client in
            let response = try await client.execute(uri: "/tlog/checkpoint", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-cache")
            let note = try SignedNote(parsing: String(buffer: response.body))
            _ = try note.verify(with: [key])
            let checkpoint = try Checkpoint(parsing: note.text)
            #expect(checkpoint.size > 300)

            // Level 0: one full tile and a partial one; level 1: a partial tile of width 1.
            let reader = try await TileReader.fetch(client, size: checkpoint.size)
            #expect(reader.tiles.keys.sorted() == ["tile/0/000", "tile/0/001.p/\(checkpoint.size - 256)", "tile/1/000.p/1"])
            #expect(try reader.root() == checkpoint.root)

            // An entry, read from its bundle as the auditor, proved in the checkpoint by tiles alone.
            let ada = try await APITests.Client.signIn(client, "ada")
            for index in [UInt64(3), 255, 256, checkpoint.size - 1] {
                let bundle = TilePath(kind: .entries, index: index / 256, width: TileReader.tile(level: 0, index: index / 256, size: checkpoint.size).width)
                let fetched = try await client.execute(uri: "/tlog/" + bundle.description, method: .get, headers: [.cookie: ada.cookie])
                #expect(fetched.status == .ok)
                #expect(fetched.headers[.cacheControl] == "private, max-age=31536000, immutable")
                let leaves = try Self.entries(of: Array(fetched.body.readableBytesView))
                #expect(leaves.count == bundle.width ?? 256)
                let leaf = leaves[Int(index % 256)]
                #expect(try Entry(leafData: leaf).seq == index)
                let leafHash = RFC6962.leafHash(leaf)
                #expect(try reader.nodeHash(NodeID(level: 0, index: index)) == leafHash)
                let proof = try InclusionProof.build(index: index, size: checkpoint.size, nodeHash: reader.nodeHash)
                #expect(proof.verify(leafHash: leafHash, root: checkpoint.root), "entry \(index)")
                // The proof from tiles is the register's own.
                let served = try await scene.services.verification.inclusionProof(index: index, size: checkpoint.size)
                #expect(served.proof == proof.path.map(\.base64))
            }
        }
    }

    /// The same, by a reader nobody here wrote against this code: `tests/tiles/tlog-tiles-check.py`,
    /// written from the C2SP specs and RFC 6962 alone, over a real port.
    @Test func aReaderWrittenFromTheSpecAloneAgrees() async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../tests/tiles/tlog-tiles-check.py").standardized.path
        try #require(FileManager.default.fileExists(atPath: script), "\(script)")
        let scene = try await Self.grownScene()
        let key = try await scene.services.verification.info().verifierKey
        try await scene.app().test(.live) { client in
            let port = try #require(client.port)
            let ada = try await APITests.Client.signIn(client, "ada")
            for entry in ["0", "300"] {
                let (status, output) = try await Self.run(["python3", script, "http://127.0.0.1:\(port)/tlog/", key, "--cookie", ada.cookie, "--entry", entry])
                #expect(status == 0, "\(output)")
                #expect(output.contains("matches the checkpoint"), "\(output)")
                #expect(output.contains("entry \(entry): in tile/entries/"), "\(output)")
            }
            // Given another key, the reader refuses the checkpoint.
            let other = try NoteSignerKey(name: "ripa.test-council.gov.uk/register", signingKey: SigningKey()).verifierKey.description
            let (status, output) = try await Self.run(["python3", script, "http://127.0.0.1:\(port)/tlog/", other])
            #expect(status == 1, "\(output)")
            #expect(output.contains("no signature by"), "\(output)")
        }
    }

    /// Runs a program to its end without holding a thread of the pool the server answers on.
    static func run(_ arguments: [String]) async throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { process in
                let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                continuation.resume(returning: (process.terminationStatus, output))
            }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
    }

    @Test func entryBundlesAreForTheSignedInAuditorOnly() async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            let size = try Checkpoint(parsing: try SignedNote(parsing: try await scene.services.verification.latestCheckpoint()).text).size
            let path = "/tlog/tile/entries/000.p/\(size)"
            let anonymous = try await client.execute(uri: path, method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(String(buffer: anonymous.body).contains("sign in as an auditor"))
            for user in ["ivan", "mo", "alice"] {
                let session = try await APITests.Client.signIn(client, user)
                let refused = try await client.execute(uri: path, method: .get, headers: [.cookie: session.cookie])
                #expect(refused.status == .forbidden, "\(user)")
                #expect(refused.body.readableBytes < 100, "no entry in a refusal")
            }
            let ada = try await APITests.Client.signIn(client, "ada")
            let allowed = try await client.execute(uri: path, method: .get, headers: [.cookie: ada.cookie])
            #expect(allowed.status == .ok)
            #expect(try Self.entries(of: Array(allowed.body.readableBytesView)).count == Int(size))
            // Hash tiles say nothing about the entries: anyone may read them.
            #expect(try await client.execute(uri: "/tlog/tile/0/000.p/\(size)", method: .get).status == .ok)
        }
    }

    @Test(arguments: [
        "tile/0/000",  // a full tile of a tree not yet 256 entries
        "tile/0/000.p/200",  // wider than the tree
        "tile/1/000.p/1",  // no complete level-8 subtree yet
        "tile/8/000.p/1",  // tree level 64
        "tile/0/1", "tile/00/000.p/1", "tile/0/x000/000.p/1", "tile/0/000.p/0", "tile/0/000.p/01", "tile/0/000.p/256",
        "tile/0/000/", "tile/x/000", "tile/entries", "tile/0/x1/000",
    ])
    func whatTheTreeDoesNotHoldIsNotFound(path: String) async throws {
        let scene = try await WebScene()
        try await scene.app().test(.router) { client in
            let response = try await client.execute(uri: "/tlog/" + path, method: .get)
            #expect(response.status == .notFound, "\(path)")
        }
    }
}
