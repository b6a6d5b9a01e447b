import GRDB
import Ledger

extension RegisterReader {
    /// The profile keys recorded as one account with `profileKey` (its alias group), itself
    /// included, sorted; just `[profileKey]` when it has no alias.
    ///
    /// In a write transaction (the gate deciding) each row's tag is checked: a row edited to
    /// split a group or pull another profile into one would change what is counted and covered.
    public func aliasGroup(profileKey: String) throws -> [String] {
        var query = FastStatement(try db.cachedStatement(sql: """
            SELECT profile_key, group_key, seq, mac FROM profile_aliases
            WHERE group_key = (SELECT group_key FROM profile_aliases WHERE profile_key = ?)
            ORDER BY profile_key
            """))
        query.bind(profileKey)
        let authenticator = self.authenticator
        let count = Int32(ProjectionTable.profileAliases.columns.count)
        let members = try query.fetchAll(db) { row in
            if let authenticator {
                let values = (0..<count).map { ProjectionValue(row, $0) }
                try authenticator.check(.profileAliases, values, tag: row.isNull(count) ? nil : row.blob(count), row: "the alias of \(row.text(0))")
            }
            return row.text(0)
        }
        return members.isEmpty ? [profileKey] : members
    }

    /// Every alias group, each sorted, ordered by their first key.
    public func aliasGroups() throws -> [[String]] {
        let rows = try Row.fetchAll(db, sql: "SELECT profile_key, group_key FROM profile_aliases ORDER BY group_key, profile_key")
        var groups: [[String]] = []
        var current: String?
        for row in rows {
            let key: String = row[0]
            let group: String = row[1]
            if group != current { groups.append([]); current = group }
            groups[groups.count - 1].append(key)
        }
        return groups
    }

    /// Looks at this profile or any key recorded as the same account that the gate allowed —
    /// initial examinations and looks under an authorisation alike — since `since` (all time
    /// if nil). Refused looks were not looks and are not counted.
    ///
    /// One statement: the alias lookup is a primary-key read and each member's views are a
    /// contiguous run of the views table (clustered by profile).
    ///
    /// In a write transaction the tags of every view row of every key of the group are checked
    /// first (`authenticateViews`), so an edited or made-up row is caught before it is counted.
    public func allowedViewCount(profileKey: String, since: EntryTime?) throws -> Int {
        if authenticator != nil {
            // One pass per key: every row's tag is checked and the allowed looks counted together.
            var count = 0
            for key in try aliasGroup(profileKey: profileKey) {
                count += try authenticateViews(profileKey: key, countingAllowedSince: since)
            }
            return count
        }
        var query = FastStatement(try db.cachedStatement(sql: """
            SELECT COUNT(*) FROM views
            WHERE profile_key IN (
                SELECT ?1 UNION
                SELECT profile_key FROM profile_aliases
                WHERE group_key = (SELECT group_key FROM profile_aliases WHERE profile_key = ?1))
            AND outcome <> 'refused' AND time_ms >= ?2
            """))
        query.bind(profileKey)
        query.bind(since?.millisecondsSince1970 ?? Int64.min)
        return Int(try query.fetchOne(db) { $0.int64(0) } ?? 0)
    }

    /// Allowed views (initial and authorised), across all profiles.
    public func allowedViewCount() throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM views WHERE outcome <> 'refused'")) ?? 0
    }
}

extension RegisterWriter {
    /// Records that two profile keys are one account: their groups merge, keyed by the
    /// smallest key of the union.
    public func saveAlias(_ first: String, _ second: String, seq: UInt64) throws {
        // Byte order, as SQLite compares TEXT, so the group key is the first key of the group as read.
        let members = Set(try reader.aliasGroup(profileKey: first) + reader.aliasGroup(profileKey: second))
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        guard let group = members.first else { return }
        for member in members {
            let mac = try tag(.profileAliases, [.text(member), .text(group), .integer(Int64(seq))])
            var upsert = FastStatement(try db.cachedStatement(sql: """
                INSERT INTO profile_aliases (profile_key, group_key, seq, mac) VALUES (?, ?, ?, ?)
                ON CONFLICT (profile_key) DO UPDATE SET group_key = excluded.group_key, seq = excluded.seq, mac = excluded.mac
                """))
            upsert.bind(member)
            upsert.bind(group)
            upsert.bind(Int64(seq))
            upsert.bind(mac)
            try upsert.run(db)
        }
    }
}
