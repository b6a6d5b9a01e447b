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
        slots = [Int32](repeating: -1, count: max(1024, slots.count * 2))
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
