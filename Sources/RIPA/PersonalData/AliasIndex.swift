import Ledger
import RegisterStorage

/// How a `profile.aliased` entry keeps its profile keys and evidence sealed, and how the alias
/// projection (`profile_aliases`) is keyed without them (docs/personal-data.md).
///
/// An alias belongs to no single case: it is sealed under the profile-tag key of the year it
/// was recorded in (data key `tags:<year>`, UTC), the key the looks of that year are counted
/// by, and goes with it. The projection stores each member under its tag under the case
/// index's key (`tags:index`) and points at the entry that first named it; the gate reads the
/// member's profile key back from that entry, opened. When a year's tag key is destroyed the
/// projection is made again from the aliases still readable, so no row links what is gone.
enum AliasIndex {
    /// The data key an alias recorded at `time` is sealed under.
    static func keyName(at time: EntryTime) -> String { ProfileTag.name(year: ProfileTag.year(of: time)) }

    /// The body to sign: both profile keys and the evidence sealed under the tag key of the
    /// entry's year, as `BodySealing` seals a case's fields (the associated data binds the box
    /// to `profile.aliased` and the key's name); in the clear on a register with no keyring.
    static func sealed(_ alias: ProfileAliasing, writer: RegisterWriter) throws -> JSONValue {
        guard writer.keyring != nil else { return alias.json }
        let name = keyName(at: writer.nextTime)
        let key = try writer.dataKey(making: name)
        let box = SecretBox.seal(
            alias.json.canonicalBytes, key: key,
            additionalData: BodySealing.additionalData(kind: EntryKind.profileAliased.rawValue, name: name))
        return .object([BodySealing.member: .object(["case": .string(name), "box": .string(box.base64)])])
    }

    /// The key `profile` is stored under in the alias projection: the key of its row if it
    /// has one (a row written in the clear before sealing keeps its key), else its tag under
    /// the index key, or the profile itself on a register with no keyring.
    static func storedKey(_ profile: String, writer: RegisterWriter) throws -> String {
        for key in try AuthorisationIndex.lookupKeys(profile, reader: writer.reader) where try writer.reader.aliasGroupRows(profileKey: key) != nil {
            return key
        }
        guard writer.keyring != nil else { return profile }
        return ProfileTag.tag(profile, key: try writer.dataKey(making: AuthorisationIndex.name))
    }

    /// Projects an alias recorded by entry `seq`.
    static func save(_ alias: ProfileAliasing, seq: UInt64, writer: RegisterWriter) throws {
        try writer.saveAlias(try storedKey(alias.first, writer: writer), try storedKey(alias.second, writer: writer), seq: seq)
    }

    /// The profile keys recorded as one account with `profile`, itself included, sorted by
    /// bytes; just `[profile]` when it has no alias.
    static func group(of profile: String, reader: RegisterReader) throws -> [String] {
        for key in try AuthorisationIndex.lookupKeys(profile, reader: reader) {
            guard let rows = try reader.aliasGroupRows(profileKey: key) else { continue }
            var members = Set([profile])
            for row in rows {
                if let member = try member(row.key, seq: row.seq, reader: reader) { members.insert(member) }
            }
            return members.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
        return [profile]
    }

    /// The profile a stored key stands for: the key itself, or for a tag the profile named by
    /// the entry at `seq` whose tag it is; nil when that entry cannot be opened here.
    static func member(_ key: String, seq: UInt64, reader: RegisterReader) throws -> String? {
        guard ProfileTag.isTag(key) else { return key }
        guard case .key(let index)? = try reader.dataKey(AuthorisationIndex.name) else { return nil }
        let entry = try reader.entry(at: seq)
        guard entry.kind == EntryKind.profileAliased.rawValue else { return nil }
        let (opened, state) = try reader.opened(entry)
        guard state.isReadable, let alias = try? ProfileAliasing(json: opened.body) else { return nil }
        return alias.profiles.first { ProfileTag.tag($0, key: index) == key }
    }

    /// The stored alias groups with every member read back as its profile key, each sorted,
    /// ordered by their first key (as `verify --replay` holds them); nil when some member is
    /// a tag and this process cannot open the entries (no data-protection key here).
    ///
    /// - Throws: `RIPAError.badInput` for a row whose tag matches no profile of its entry.
    static func storedGroups(_ reader: RegisterReader) throws -> [[String]]? {
        let rows = try reader.aliasRows()
        if rows.contains(where: { ProfileTag.isTag($0.key) }) {
            guard case .key? = try reader.dataKey(AuthorisationIndex.name) else { return nil }
        }
        var groups: [String: [String]] = [:]
        for row in rows {
            guard let member = try member(row.key, seq: row.seq, reader: reader) else {
                throw RIPAError(.badInput, "the alias row \(row.key) names no profile of entry \(row.seq)")
            }
            groups[row.group, default: []].append(member)
        }
        return groups.values
            .map { $0.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
            .sorted { $0[0].utf8.lexicographicallyPrecedes($1[0].utf8) }
    }

    /// Projects every alias again from the log, leaving out those whose key is destroyed:
    /// after a destruction, no row may link profiles only a destroyed alias linked.
    static func reproject(writer: RegisterWriter) throws {
        try writer.clearAliases()
        for entry in try writer.reader.entries(kind: EntryKind.profileAliased.rawValue) {
            let (opened, state) = try writer.reader.opened(entry)
            guard state.isReadable, let alias = try? ProfileAliasing(json: opened.body) else { continue }
            try save(alias, seq: entry.seq, writer: writer)
        }
    }
}
