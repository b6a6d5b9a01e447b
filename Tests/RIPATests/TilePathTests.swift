import Testing

@testable import RIPA

/// Tile addresses as C2SP tlog-tiles spells them, and which tiles a tree has.
@Suite struct TilePathTests {
    @Test(arguments: [
        ("tile/0/000", TilePath(kind: .hashes(level: 0), index: 0)),
        ("tile/0/x001/x234/067", TilePath(kind: .hashes(level: 0), index: 1_234_067)),
        ("tile/1/000.p/17", TilePath(kind: .hashes(level: 1), index: 0, width: 17)),
        ("tile/63/999", TilePath(kind: .hashes(level: 63), index: 999)),
        ("tile/entries/x001/234.p/5", TilePath(kind: .entries, index: 1234, width: 5)),
        ("tile/entries/273.p/112", TilePath(kind: .entries, index: 273, width: 112)),
    ])
    func theSpecsSpellingParsesAndIsWrittenBack(text: String, path: TilePath) {
        #expect(TilePath(parsing: text) == path)
        #expect(path.description == text)
    }

    @Test(arguments: [
        "tile/0/1", "tile/0/0000", "tile/00/000", "tile/64/000", "tile/-1/000", "tile/0/x000/001", "tile/0/001/002",
        "tile/0/x01/002", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/010", "tile/0/000.p/", "tile/0/000.p",
        "tile/0/000/", "tile/x/000", "tile/entries", "tiles/0/000", "tile/0/ 00", "tile/0/x999/x999/x999/x999/x999/x999/999",
        "tile/0/x018/x446/x744/x073/x709/x551/616",  // 2^64: one past the largest index
    ])
    func anythingElseIsNotATile(text: String) {
        #expect(TilePath(parsing: text) == nil, "\(text)")
    }

    /// The spec's own example: a tree of 70,000 entries has 273 full level-0 tiles, a partial
    /// one of width 112, one full level-1 tile, a partial one of width 17, and a partial
    /// level-2 tile of width 1; a tree of 256 a full level-0 tile and a partial level-1 of 1.
    @Test func theTilesOfTheSpecsExampleTreesExistAndNoOthers() {
        func exists(_ level: Int, _ index: UInt64, _ width: Int?, size: UInt64) -> Bool {
            VerificationService.tileRange(TilePath(kind: .hashes(level: level), index: index, width: width), complete: size >> UInt64(8 * level)) != nil
        }
        #expect(exists(0, 272, nil, size: 70_000))
        #expect(!exists(0, 273, nil, size: 70_000))
        #expect(exists(0, 273, 112, size: 70_000))
        #expect(!exists(0, 273, 113, size: 70_000))
        #expect(exists(1, 0, nil, size: 70_000))
        #expect(exists(1, 1, 17, size: 70_000))
        #expect(!exists(1, 1, 18, size: 70_000))
        #expect(exists(2, 0, 1, size: 70_000))
        #expect(!exists(2, 0, nil, size: 70_000))
        #expect(!exists(3, 0, 1, size: 70_000))
        #expect(exists(0, 0, nil, size: 256))
        #expect(exists(1, 0, 1, size: 256))
        #expect(!exists(1, 0, 2, size: 256))
        #expect(!exists(0, UInt64.max, nil, size: UInt64.max))
    }
}
