import Ledger

extension RegisterReader {
    /// The profile keys recorded as one account with `profileKey` (its alias group), itself
    /// included, sorted; just `[profileKey]` when it has no alias.
    ///
    /// In a write transaction (the gate deciding) each row's tag is checked: a row edited to
    /// split a group or pull another profile into one would change what is counted and covered.
    public func aliasGroup(profileKey: String) throws -> [String] {
        guard let own = try storage.row(.profileAliases, key: [.text(profileKey)]) else { return [profileKey] }
        let group = try checked(.profileAliases, own, what: "the alias of \(profileKey)").values[1]
        let members = try storage.rows(.profileAliases, where: "group_key", is: group).map { row in
            try checked(.profileAliases, row, what: "the alias of \(row.values[0])").values[0].text("a profile_aliases row")
        }
        return members.isEmpty ? [profileKey] : members
    }

    /// The rows of `profileKey`'s alias group, or nil when it has none: each member's stored
    /// key (a profile key, or a keyed tag standing for it) and the entry that first named it.
    ///
    /// In a write transaction each row's tag is checked, as `aliasGroup(profileKey:)` does.
    public func aliasGroupRows(profileKey: String) throws -> [(key: String, seq: UInt64)]? {
        guard let own = try storage.row(.profileAliases, key: [.text(profileKey)]) else { return nil }
        let group = try checked(.profileAliases, own, what: "the alias of \(profileKey)").values[1]
        return try storage.rows(.profileAliases, where: "group_key", is: group).map { row in
            let values = try checked(.profileAliases, row, what: "the alias of \(row.values[0])").values
            return (try values[0].text("a profile_aliases row"), UInt64(clamping: try values[2].integer("a profile_aliases row")))
        }
    }

    /// Every alias row: (stored key, group key, entry that first named it), in key order.
    public func aliasRows() throws -> [(key: String, group: String, seq: UInt64)] {
        try storage.rows(.profileAliases, after: nil, limit: Int.max).map { row in
            (try row.values[0].text("a profile_aliases row"), try row.values[1].text("a profile_aliases row"),
             UInt64(clamping: try row.values[2].integer("a profile_aliases row")))
        }
    }

    /// Every alias group, each sorted, ordered by their first key.
    public func aliasGroups() throws -> [[String]] {
        var groups: [String: [String]] = [:]
        for row in try storage.rows(.profileAliases, after: nil, limit: Int.max) {
            groups[try row.values[1].text("a profile_aliases row"), default: []].append(try row.values[0].text("a profile_aliases row"))
        }
        return groups.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map(\.value)
    }

    /// Looks at this profile or any key recorded as the same account that the gate allowed —
    /// initial examinations and looks under an authorisation alike — since `since` (all time
    /// if nil). Refused looks were not looks and are not counted.
    ///
    /// The alias lookup is a key read and each member's views one contiguous run of the views
    /// table; in a write transaction every row's tag is checked as it is counted.
    public func allowedViewCount(profileKey: String, since: EntryTime?) throws -> Int {
        let earliest = since ?? EntryTime(millisecondsSince1970: Int64.min)
        var count = 0
        for key in try aliasGroup(profileKey: profileKey) {
            count += try views(ofProfile: key).count { $0.outcome != .refused && $0.time >= earliest }
        }
        return count
    }

    /// Allowed looks stored under any of `keys` (a profile's keys and keyed tags, its alias
    /// group's already included) since `since` (all time if nil).
    public func allowedViewCount(lookupKeys keys: [String], since: EntryTime?) throws -> Int {
        let earliest = since ?? EntryTime(millisecondsSince1970: Int64.min)
        var count = 0
        for key in keys {
            count += try views(ofProfile: key).count { $0.outcome != .refused && $0.time >= earliest }
        }
        return count
    }

    /// Allowed views (initial and authorised), across all profiles.
    public func allowedViewCount() throws -> Int {
        try storage.count(.views, where: []) - storage.count(.views, where: [("outcome", .text(ViewRecord.Outcome.refused.rawValue))])
    }
}

extension RegisterWriter {
    /// Records that two stored keys are one account: their groups merge, keyed by the
    /// smallest key of the union. A member keeps the entry that first named it (its row's
    /// `seq`), so every row points at an entry that names its member.
    public func saveAlias(_ first: String, _ second: String, seq: UInt64) throws {
        var firstNamed: [String: UInt64] = [:]
        for key in [first, second] {
            for row in try reader.aliasGroupRows(profileKey: key) ?? [(key, seq)] { firstNamed[row.key] = row.seq }
        }
        // Byte order, as a key column sorts, so the group key is the first key of the group as read.
        let members = firstNamed.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        guard let group = members.first else { return }
        for member in members {
            try put(.profileAliases, [.text(member), .text(group), .integer(Int64(firstNamed[member] ?? seq))])
        }
    }

    /// Removes every alias row (before the aliases still readable are projected again, once a
    /// key some were sealed under is destroyed).
    public func clearAliases() throws {
        for group in Set(try reader.aliasRows().map(\.group)) {
            try transaction.delete(.profileAliases, where: "group_key", is: .text(group))
        }
    }
}
