import Foundation
import Ledger

/// `verify --replay`'s record of the allowed looks at each profile key (initial examinations
/// and looks under an authorisation), in a form that stays small at millions of profiles.
///
/// A `[String: [EntryTime]]` costs about 150 bytes a profile (a heap string for the key, an
/// array for its times, the dictionary's slot). Here a key is held as the first 128 bits of the
/// SHA-256 of its UTF-8, two words in one flat array, found through an open-addressing table of
/// indices; a profile's first time sits in a flat array, and only profiles looked at more than
/// once have a list of the rest. About 32 bytes a profile, whatever the key's length: a tag is
/// 46 characters, and its bytes end to end were most of the replay's memory at the bench's
/// million profiles.
///
/// Two keys share a digest with probability about n²/2¹²⁹ (10⁻²⁷ at a million profiles), and
/// finding such a pair takes about 2⁶⁴ SHA-256 evaluations: far beyond an insider choosing
/// profile addresses, and a tag cannot even be chosen without the tag key.
///
/// Keys are hashed by their UTF-8 bytes, as the stored view rows are compared (SQLite compares
/// text byte for byte), which the live gate counts from; keys the normaliser makes are in NFC,
/// where equal bytes and equal strings are the same thing.
struct AllowedLooks {
    /// Key `i`'s digest is words `2i` and `2i + 1`.
    private var digests: [UInt64] = []
    /// Each key's first allowed look.
    private var firsts: [EntryTime] = []
    /// The later looks of keys looked at more than once, in order.
    private var laterLooks: [Int32: [EntryTime]] = [:]
    /// Open addressing with linear probing: a key's index, or -1 for an empty slot. The
    /// capacity is a power of two, kept at most three-quarters full.
    private var slots: [Int32] = []

    private struct Digest: Equatable {
        let high: UInt64
        let low: UInt64

        init(_ key: String) {
            (high, low) = Hash.sha256(key.utf8).withUnsafeBytes { ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        }

        init(high: UInt64, low: UInt64) { (self.high, self.low) = (high, low) }

        /// The slot to start probing from: the digest is uniform, so its low bits will do.
        func slot(mask: Int) -> Int { Int(truncatingIfNeeded: low) & mask }
    }

    /// Records an allowed look at `key` at `time`.
    mutating func append(_ time: EntryTime, for key: String) {
        let digest = Digest(key)
        if let index = find(digest).index {
            laterLooks[index, default: []].append(time)
            return
        }
        if (firsts.count + 1) * 4 > slots.count * 3 { rehash(capacity: max(1024, slots.count * 2)) }
        let index = Int32(firsts.count)
        digests.append(digest.high)
        digests.append(digest.low)
        firsts.append(time)
        slots[find(digest).slot] = index
    }

    /// How many allowed looks `key` has had at or after `since` (nil: ever).
    func count(for key: String, since: EntryTime?) -> Int {
        guard let index = find(Digest(key)).index else { return 0 }
        let later = laterLooks[index] ?? []
        guard let since else { return 1 + later.count }
        return (firsts[Int(index)] >= since ? 1 : 0) + later.count { $0 >= since }
    }

    /// The index of `digest` if it is recorded, and the slot it is in or would go in.
    private func find(_ digest: Digest) -> (index: Int32?, slot: Int) {
        guard !slots.isEmpty else { return (nil, 0) }
        let mask = slots.count - 1
        var slot = digest.slot(mask: mask)
        while true {
            let index = slots[slot]
            if index < 0 { return (nil, slot) }
            if self.digest(Int(index)) == digest { return (index, slot) }
            slot = (slot + 1) & mask
        }
    }

    private func digest(_ index: Int) -> Digest {
        Digest(high: digests[2 * index], low: digests[2 * index + 1])
    }

    /// A table of `capacity` slots (a power of two) with every key put back.
    private mutating func rehash(capacity: Int) {
        slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        for index in 0..<firsts.count {
            var slot = digest(index).slot(mask: mask)
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}

/// Kept in a `verify --save-state` file: the keys' digests (base64 of 16 bytes each, big-endian
/// words), each key's first look and the later ones, as milliseconds since 1970. The table of
/// slots is not written: it is rebuilt from the digests.
extension AllowedLooks: Codable {
    enum CodingKeys: String, CodingKey { case digests, firsts, later }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let bytes = Data(base64Encoded: try container.decode(String.self, forKey: .digests)), bytes.count % 16 == 0 else {
            throw DecodingError.dataCorruptedError(forKey: .digests, in: container, debugDescription: "the profile digests are not base64 of 16 bytes each")
        }
        digests = stride(from: 0, to: bytes.count, by: 8).map { start in
            bytes[bytes.startIndex + start..<bytes.startIndex + start + 8].reduce(0) { $0 << 8 | UInt64($1) }
        }
        firsts = try container.decode([Int64].self, forKey: .firsts).map { EntryTime(millisecondsSince1970: $0) }
        // One first look per digest: else the rebuilt table would read outside them.
        guard firsts.count * 2 == digests.count else {
            throw DecodingError.dataCorruptedError(forKey: .firsts, in: container, debugDescription: "the profiles' first looks do not match their digests")
        }
        for (index, times) in try container.decode([String: [Int64]].self, forKey: .later) {
            guard let key = Int32(index), key >= 0, Int(key) < firsts.count else {
                throw DecodingError.dataCorruptedError(forKey: .later, in: container, debugDescription: "later looks for key \(index), which is not recorded")
            }
            laterLooks[key] = times.map { EntryTime(millisecondsSince1970: $0) }
        }
        guard !firsts.isEmpty else { return }
        var capacity = 1024
        while firsts.count * 4 > capacity * 3 { capacity *= 2 }
        rehash(capacity: capacity)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var bytes = Data(capacity: digests.count * 8)
        for word in digests { withUnsafeBytes(of: word.bigEndian) { bytes.append(contentsOf: $0) } }
        try container.encode(bytes.base64EncodedString(), forKey: .digests)
        try container.encode(firsts.map(\.millisecondsSince1970), forKey: .firsts)
        try container.encode(Dictionary(uniqueKeysWithValues: laterLooks.map { (String($0.key), $0.value.map(\.millisecondsSince1970)) }), forKey: .later)
    }
}
