/// A resource of the C2SP tlog-tiles layout below the log's prefix: a hash tile
/// `tile/<L>/<N>[.p/<W>]` or an entry bundle `tile/entries/<N>[.p/<W>]`.
///
/// `<N>` is written in three-digit groups, every group but the last prefixed with `x`
/// (1234067 is `x001/x234/067`); `<L>` and `<W>` are decimal with no leading zeroes. Only the
/// one spelling the spec gives each resource is accepted, so each has exactly one address
/// (and one cache entry).
public struct TilePath: Sendable, Hashable, CustomStringConvertible {
    /// Hashes per full tile and entries per full bundle: tiles are 8 levels of the tree high.
    public static let width = 256
    /// Tree levels a tile spans.
    public static let height = 8

    /// Which resource.
    public enum Kind: Sendable, Hashable {
        /// A tile of Merkle tree hashes at tile level `level` (tree level `8 × level`).
        case hashes(level: Int)
        /// An entry bundle: the leaf data of the entries under level-0 tile `index`.
        case entries
    }

    /// Hashes or entries.
    public let kind: Kind
    /// The tile's index within its level.
    public let index: UInt64
    /// The width of a partial tile (1 to 255); nil for a full one.
    public let width: Int?

    /// Names a resource.
    public init(kind: Kind, index: UInt64, width: Int? = nil) {
        precondition(width.map { (1..<Self.width).contains($0) } ?? true, "a partial tile holds 1 to 255 hashes")
        self.kind = kind
        self.index = index
        self.width = width
    }

    /// Parses the path below the prefix, e.g. `tile/1/x001/234.p/17` or `tile/entries/000`.
    /// Returns nil for anything the spec does not spell exactly so.
    public init?(parsing path: some StringProtocol) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "tile" else { return nil }
        let kind: Kind
        if parts[1] == "entries" {
            kind = .entries
        } else {
            guard let level = Self.decimal(parts[1]), level < 64 else { return nil }
            kind = .hashes(level: level)
        }
        var groups = Array(parts.dropFirst(2))
        var width: Int?
        // A partial tile: the last group is `NNN.p`, followed by the width.
        if groups.count >= 2, groups[groups.count - 2].hasSuffix(".p") {
            guard let w = Self.decimal(groups.removeLast()), (1..<Self.width).contains(w) else { return nil }
            width = w
            groups[groups.count - 1] = groups[groups.count - 1].dropLast(2)
        }
        var index: UInt64 = 0
        for (position, group) in groups.enumerated() {
            let last = position == groups.count - 1
            let digits = last ? group : (group.first == "x" ? group.dropFirst() : "")
            guard digits.count == 3, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
            let (scaled, overflow) = index.multipliedReportingOverflow(by: 1000)
            guard !overflow else { return nil }
            let (sum, carried) = scaled.addingReportingOverflow(UInt64(digits)!)
            guard !carried else { return nil }
            index = sum
        }
        self.init(kind: kind, index: index, width: width)
        // No leading `x000` groups: one spelling per index.
        guard description == String(path) else { return nil }
    }

    /// `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`.
    public var description: String {
        let level: String
        switch kind {
        case .hashes(let l): level = String(l)
        case .entries: level = "entries"
        }
        return "tile/\(level)/\(Self.encode(index))" + (width.map { ".p/\($0)" } ?? "")
    }

    /// The index in three-digit groups, all but the last prefixed with `x`.
    public static func encode(_ index: UInt64) -> String {
        var groups: [String] = []
        var rest = index
        repeat {
            let group = String(rest % 1000)
            groups.append(String(repeating: "0", count: 3 - group.count) + group)
            rest /= 1000
        } while rest > 0
        return groups.reversed().enumerated().map { $0.offset == groups.count - 1 ? $0.element : "x" + $0.element }.joined(separator: "/")
    }

    private static func decimal(_ text: some StringProtocol) -> Int? {
        guard !text.isEmpty, text.count <= 3, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              text == "0" || !text.hasPrefix("0") else { return nil }
        return Int(text)
    }
}
