import Foundation
import Ledger
import RegisterStorage

/// What the live register knows of a case's retention, read inside one transaction.
struct RetentionView {
    let reader: RegisterReader
    let ledger: RetentionLedger
    /// The last look under each name a look was sealed under (a URN cited, or `case:<ref>`).
    let lastLooks: [String: EntryTime]

    init(reader: RegisterReader) throws {
        self.reader = reader
        ledger = try RetentionLedger.fromLog(reader)
        var looks: [String: EntryTime] = [:]
        // One pass over the looks: the views table is keyed by profile, not by case.
        for view in try reader.views() {
            let name = view.urn ?? "case:\(view.caseRef)"
            if let last = looks[name], last >= view.time { continue }
            looks[name] = view.time
        }
        lastLooks = looks
    }

    var context: LiveCaseContext { LiveCaseContext(reader: reader) }

    func lastLook(_ name: String) -> EntryTime? { lastLooks[name] }

    /// The active administrators (two-person control).
    func administrators() throws -> [String] {
        try reader.users().filter { $0.isActive && $0.roles.contains(Role.administrator.rawValue) }.map(\.userID)
    }

    /// Every name whose personal data the register holds or held: the data keys, the cases and
    /// the looks' case references, in name order.
    func names() throws -> [String] {
        var names = Set(try reader.dataKeyRows().map(\.name))
        names.formUnion(try reader.authorisations().map(\.urn))
        names.formUnion(lastLooks.keys)
        // The case index's tag key (`tags:index`) goes with the cases' own rows, not on a schedule.
        names = names.filter { !$0.hasPrefix("tags:") || RetentionSchedule.tagYear($0) != nil }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The retention of `name` at `time` under `rules`.
    func due(_ name: String, at time: EntryTime, rules: PolicyRules) throws -> RetentionDue? {
        try RetentionSchedule.due(name, at: time, rules: rules, context: context, lastLook: lastLook)
    }

    /// The cases due at `time` and not destroyed, each with the holds that stop it.
    func dueCases(at time: EntryTime, rules: PolicyRules) throws -> [(due: RetentionDue, holds: [RetentionLedger.Hold])] {
        try names().compactMap { name in
            guard ledger.destroyed[name] == nil, let due = try due(name, at: time, rules: rules), due.isDue(at: time, in: rules.zone) else { return nil }
            return (due, ledger.standingHolds(on: name))
        }
    }
}

extension Register {
    /// "personal data destroyed on DATE under RULE" for every case destroyed, by name: read
    /// from the data keys' tombstones and the entries that recorded them (no scan of the log).
    func destructionStatements(in zone: TimeZone) async throws -> [String: String] {
        try await store.read { reader in
            var statements: [String: String] = [:]
            var records: [UInt64: (EntryTime, DestructionRecord)] = [:]
            for row in try reader.dataKeyRows() {
                guard row.sealed == nil, let seq = row.destroyedSeq else { continue }
                if records[seq] == nil {
                    let entry = try reader.entry(at: seq)
                    guard entry.kind == EntryKind.personalDataDestroyed.rawValue else { continue }
                    records[seq] = (entry.time, try entry.body.decode(DestructionRecord.self))
                }
                guard let (time, record) = records[seq], let item = record.cases.first(where: { $0.caseName == row.name }) else { continue }
                statements[row.name] = "personal data destroyed on \(CivilDate.containing(time.date, in: zone)) under \(item.rule.rawValue)"
            }
            return statements
        }
    }

    /// Appends a retention entry and checks it with `RetentionLedger`, in one transaction: a
    /// refusal writes nothing.
    func appendRetention<T: Sendable>(
        _ kind: EntryKind, by actor: Actor, body: @escaping @Sendable (RetentionView, RegisterWriter) throws -> JSONValue,
        then effect: @escaping @Sendable (Entry, [RetentionItem], RegisterWriter) throws -> T
    ) async throws -> T {
        let testRegister = isTestRegister
        return try await write { writer in
            let view = try RetentionView(reader: writer.reader)
            let administrators = try view.administrators()
            var ledger = view.ledger
            let entry = try writer.append(kind, json: try body(view, writer), by: actor)
            let destroyed = try ledger.apply(
                entry, kind: kind, signer: actor.user.userID, administrators: administrators, testRegister: testRegister,
                context: view.context, lastLook: view.lastLook)
            return try effect(entry, destroyed, writer)
        }
    }

    /// Destroys the cases' data keys (every entry sealed under them can no longer be opened by
    /// anyone) and their projections' personal data, inside the destruction's own transaction.
    static func destroy(_ items: [RetentionItem], recordedBy entry: Entry, in writer: RegisterWriter) throws {
        for item in items {
            // Read while the key still opens the sealed projection; stored again once it is
            // gone, in the clear with the personal fields as destroyed (`AuthorisationDocument`),
            // under its last case entry, as a rebuild from the log projects it.
            let record = try writer.reader.authorisation(urn: item.caseName)
            let authorisation = try record.map { try writer.reader.openedAuthorisation($0) }
            // Its JPs' orders are sealed under its key: they go with it (`DocumentSealing`).
            if record != nil { try DocumentSealing.destroy(urn: item.caseName, writer: writer) }
            try writer.destroyDataKey(item.caseName, seq: entry.seq)
            if let record, let authorisation {
                try DomainProjector.save(authorisation.withPersonalDataDestroyed(), try writer.reader.entry(at: record.updatedSeq), to: writer)
            }
        }
        // Aliases are sealed under their year's tag key: with one destroyed, the alias
        // projection is made again from those still readable (`AliasIndex`).
        if items.contains(where: { RetentionSchedule.tagYear($0.caseName) != nil }) { try AliasIndex.reproject(writer: writer) }
    }
}
