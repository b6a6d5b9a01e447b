import Foundation
import Ledger

/// `verify --replay`'s record of the allowed looks at each profile key (initial examinations
/// and looks under an authorisation), in a form that stays small at millions of profiles.
///
/// A `[String: [EntryTime]]` costs about 150 bytes a profile (a heap string for the key, an
/// array for its times, the dictionary's slot), which at the bench's million profiles was most
/// of the replay's memory. Here every key's bytes sit end to end in one buffer, found through an
/// open-addressing table of indices; a profile's first time sits in a flat array, and only
/// profiles looked at more than once have a list of the rest. About 50 bytes a profile.
///
/// Keys are compared by their UTF-8 bytes, as the stored view rows are (SQLite compares text
/// byte for byte), which the live gate counts from; keys the normaliser makes are in NFC, where
/// equal bytes and equal strings are the same thing.
struct AllowedLooks {
    /// Every key's UTF-8, one after another; key `i` ends at `ends[i]`.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    /// Each key's first allowed look.
    private var firsts: [EntryTime] = []
    /// The later looks of keys looked at more than once, in order.
    private var laterLooks: [Int32: [EntryTime]] = [:]
    /// Open addressing with linear probing: a key's index, or -1 for an empty slot. The
    /// capacity is a power of two, kept at most three-quarters full.
    private var slots: [Int32] = []

    /// Records an allowed look at `key` at `time`.
    mutating func append(_ time: EntryTime, for key: String) {
        var key = key
        key.withUTF8 { utf8 in
            if let index = find(utf8).index {
                laterLooks[index, default: []].append(time)
                return
            }
            if (ends.count + 1) * 4 > slots.count * 3 { grow() }
            let index = Int32(ends.count)
            bytes.append(contentsOf: utf8)
            ends.append(bytes.count)
            firsts.append(time)
            slots[find(utf8).slot] = index
        }
    }

    /// How many allowed looks `key` has had at or after `since` (nil: ever).
    func count(for key: String, since: EntryTime?) -> Int {
        var key = key
        guard let index = key.withUTF8({ find($0).index }) else { return 0 }
        let later = laterLooks[index] ?? []
        guard let since else { return 1 + later.count }
        return (firsts[Int(index)] >= since ? 1 : 0) + later.count { $0 >= since }
    }

    /// The index of `utf8` if it is recorded, and the slot it is in or would go in.
    private func find(_ utf8: UnsafeBufferPointer<UInt8>) -> (index: Int32?, slot: Int) {
        guard !slots.isEmpty else { return (nil, 0) }
        let mask = slots.count - 1
        var slot = Self.hash(utf8) & mask
        while true {
            let index = slots[slot]
            if index < 0 { return (nil, slot) }
            if key(Int(index)).elementsEqual(utf8) { return (index, slot) }
            slot = (slot + 1) & mask
        }
    }

    private func key(_ index: Int) -> ArraySlice<UInt8> {
        bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
    }

    private static func hash(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(utf8))
        return hasher.finalize()
    }

    /// Doubles the table and puts every key back.
    private mutating func grow() {
        rehash(capacity: max(1024, slots.count * 2))
    }

    /// A table of `capacity` slots (a power of two) with every key put back.
    private mutating func rehash(capacity: Int) {
        slots = [Int32](repeating: -1, count: capacity)
        let mask = slots.count - 1
        bytes.withUnsafeBufferPointer { all in
            for index in 0..<ends.count {
                let start = index == 0 ? 0 : ends[index - 1]
                var slot = Self.hash(UnsafeBufferPointer(rebasing: all[start..<ends[index]])) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(index)
            }
        }
    }
}

/// Kept in a `verify --save-state` file: the keys' bytes (base64), where each ends, each key's
/// first look and the later ones, as milliseconds since 1970. The table of slots is not
/// written: it is rebuilt from the keys.
extension AllowedLooks: Codable {
    enum CodingKeys: String, CodingKey { case keys, ends, firsts, later }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let keys = Data(base64Encoded: try container.decode(String.self, forKey: .keys)) else {
            throw DecodingError.dataCorruptedError(forKey: .keys, in: container, debugDescription: "the profile keys are not base64")
        }
        bytes = Array(keys)
        ends = try container.decode([Int].self, forKey: .ends)
        firsts = try container.decode([Int64].self, forKey: .firsts).map { EntryTime(millisecondsSince1970: $0) }
        // Each key must end after the one before, within the bytes, with a first look: else
        // the rebuilt table would read outside them.
        guard firsts.count == ends.count, zip([0] + ends, ends).allSatisfy({ $0.0 < $0.1 }), (ends.last ?? 0) == bytes.count else {
            throw DecodingError.dataCorruptedError(forKey: .ends, in: container, debugDescription: "the profile keys' ends do not fit their bytes")
        }
        for (index, times) in try container.decode([String: [Int64]].self, forKey: .later) {
            guard let key = Int32(index), key >= 0, Int(key) < ends.count else {
                throw DecodingError.dataCorruptedError(forKey: .later, in: container, debugDescription: "later looks for key \(index), which is not recorded")
            }
            laterLooks[key] = times.map { EntryTime(millisecondsSince1970: $0) }
        }
        guard !ends.isEmpty else { return }
        var capacity = 1024
        while ends.count * 4 > capacity * 3 { capacity *= 2 }
        rehash(capacity: capacity)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Data(bytes).base64EncodedString(), forKey: .keys)
        try container.encode(ends, forKey: .ends)
        try container.encode(firsts.map(\.millisecondsSince1970), forKey: .firsts)
        try container.encode(Dictionary(uniqueKeysWithValues: laterLooks.map { (String($0.key), $0.value.map(\.millisecondsSince1970)) }), forKey: .later)
    }
}
