import Ledger
import RegisterStorage

/// The keyed tag a look records instead of its profile in the clear: BLAKE2b-256 of the
/// profile key under the tag key of the look's year (data key `tags:<year>`, UTC).
///
/// The gate counts looks at a profile by these tags: it computes the profile's tag under every
/// year's key still kept and counts the looks that carry one. A year's looks link to each other
/// and to later looks only while that year's tag key is kept; destroying it when the year's
/// retention ends leaves the tags in the log unlinkable (docs/personal-data.md).
enum ProfileTag {
    static func name(year: Int) -> String { "tags:\(year)" }

    static func year(of time: EntryTime) -> Int {
        let year = time.utcYear
        // Entry times have four-digit years; outside them, the text's first four characters as before.
        return (0...9999).contains(year) ? year : Int(time.description.prefix(4)) ?? EntryTime.registerYears.lowerBound
    }

    /// Whether a views row's key is a tag (a look recorded sealed) rather than a profile key.
    static func isTag(_ key: String) -> Bool { key.hasPrefix("t1:") }

    static func tag(_ profile: String, key: [UInt8]) -> String {
        "t1:" + Hash(bytes: KeyedHash(key: key).tag(Array(profile.utf8), count: 32))!.hex
    }

    /// The tag of a look at `profile` made at `time`, making that year's key if need be.
    static func tag(_ profile: String, at time: EntryTime, writer: RegisterWriter) throws -> String {
        tag(profile, key: try writer.dataKey(making: name(year: year(of: time))))
    }

    /// Every key a look at `profile` may be stored under in the views projection, for looks
    /// made from `since` (nil: ever) to `now`: the profile itself (looks recorded before
    /// sealing) and its tag under each year's key still kept.
    ///
    /// Only the years from the register's first entry are tried: a tag key is made for the
    /// year of the look it tags, and no entry is older than the first.
    static func lookupKeys(_ profile: String, since: EntryTime?, now: EntryTime, keys source: some DataKeySource) throws -> [String] {
        var keys = [profile]
        let last = year(of: now)
        guard try source.dataKey(AuthorisationIndex.name, absenceIsFinal: false) != nil else { return keys }
        let floor = try source.firstEntryTime().map(year(of:)) ?? EntryTime.registerYears.lowerBound
        let first = max(since.map(year(of:)) ?? floor, floor)
        guard first <= last else { return keys }
        for year in first...last {
            if case .key(let key)? = try source.dataKey(name(year: year), absenceIsFinal: year < last) {
                keys.append(tag(profile, key: key))
            }
        }
        return keys
    }
}
