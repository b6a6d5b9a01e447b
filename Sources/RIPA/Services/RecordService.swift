import Foundation
import Ledger
import RegisterStorage

/// The central record (Code of Practice 2018 para 8.1) and the annual statistics for the
/// Investigatory Powers Commissioner, both computed from the signed entries only, in the
/// pack's time zone, as at the register's clock. Nothing is written.
public struct RecordService: Sendable {
    let register: Register

    /// The central record: one row per authorisation granted, with the Code's twelve fields,
    /// in URN order.
    ///
    /// - Parameters:
    ///   - from: only authorisations given on or after this date (inclusive).
    ///   - to: only those given on or before this date (inclusive).
    ///   - at: the moment the record is as at (default: the register's clock); an export
    ///     bundle's record is as at the bundle's making, so its verifier computes the same.
    /// - Throws: `RIPAError.badInput` when `from` is after `to`.
    public func central(from: CivilDate? = nil, to: CivilDate? = nil, at: EntryTime? = nil) async throws -> CentralRecordReport {
        try Self.requireRange(from: from, to: to)
        let zone = try await register.policyInForce().policy.rules.zone
        let time = at ?? register.clock()
        var rows = CentralRecord.rows(try await register.authorisations(), from: from, to: to, timeZone: zone, at: time)
        let destroyed = try await register.destructionStatements(in: zone)
        for index in rows.indices {
            guard let statement = destroyed[rows[index].urn] else { continue }
            rows[index].personalDataDestroyed = statement
            rows[index].investigation.purpose = statement
        }
        return CentralRecordReport(
            asAt: CentralRecord.dateTime(time, in: zone), timeZone: zone.identifier, from: from, to: to, authorisations: rows,
            testRegister: register.isTestRegister)
    }

    /// The counts for the annual return for one calendar year: the cases and every
    /// application refused at the serious crime threshold, as at now.
    ///
    /// - Throws: `RIPAError.badInput` for a year the register cannot hold.
    public func statistics(year: Int, at: EntryTime? = nil) async throws -> StatisticsReport {
        try Self.requireYear(year)
        let zone = try await register.policyInForce().policy.rules.zone
        let time = at ?? register.clock()
        let (cases, refusals) = try await register.store.read { reader in
            let refused = try reader.entries(kind: EntryKind.applicationRefused.rawValue).map { entry in
                (time: entry.time, body: try entry.body.decode(ApplicationRefusal.self))
            }
            return (try reader.authorisations().map { try reader.openedAuthorisation($0) }, refused)
        }
        let statistics = RecordStatistics.compute(cases: cases, refusedApplications: refusals, year: year, timeZone: zone, at: time)
        return StatisticsReport(asAt: CentralRecord.dateTime(time, in: zone), statistics: statistics)
    }
}

extension RecordService {
    /// Refuses a range of dates given whose start is after its end. `central` checks it; a
    /// front end may check it first, before it opens the register.
    ///
    /// - Throws: `RIPAError.badInput`.
    public static func requireRange(from: CivilDate?, to: CivilDate?) throws(RIPAError) {
        if let from, let to, from > to {
            throw RIPAError(.badInput, "the start date \(from) is after the end date \(to)", reason: .inputOutOfRange,
                            values: ["field": "from", "value": String(describing: from), "to": String(describing: to)])
        }
    }

    /// Refuses a year the register cannot hold. `statistics` checks it; a front end may check
    /// it first, before it opens the register.
    ///
    /// - Throws: `RIPAError.badInput`.
    public static func requireYear(_ year: Int) throws(RIPAError) {
        guard EntryTime.registerYears.contains(year) else {
            throw RIPAError(
                .badInput, "\(year) is not a year the register can hold (\(EntryTime.registerYears.lowerBound)-\(EntryTime.registerYears.upperBound)); use four digits, e.g. 2026",
                reason: .inputOutOfRange,
                values: ["field": "year", "value": String(year), "lowest": String(EntryTime.registerYears.lowerBound), "highest": String(EntryTime.registerYears.upperBound)])
        }
    }
}

// MARK: - Results

/// The central record as at a moment (`ripa record central --format json`).
public struct CentralRecordReport: Sendable, Hashable, Codable {
    /// The moment, `YYYY-MM-DD HH:MM` in the pack's time zone.
    public var asAt: String
    /// The pack's time zone.
    public var timeZone: String
    /// The first date given included, if bounded.
    public var from: CivilDate?
    /// The last date given included, if bounded.
    public var to: CivilDate?
    /// One row per authorisation granted, in URN order.
    public var authorisations: [CentralRecordRow]
    /// Whether the register is a test register.
    public var testRegister: Bool

    /// The record as RFC 4180 CSV with a header row of the twelve field titles.
    public var csv: String { CentralRecord.csv(authorisations) }

    enum CodingKeys: String, CodingKey {
        case asAt = "as_at", timeZone = "time_zone", from, to, authorisations, testRegister = "test_register"
    }

    /// Encodes every field, `null` for an open bound.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(asAt, forKey: .asAt)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(authorisations, forKey: .authorisations)
        try c.encode(testRegister, forKey: .testRegister)
    }
}

/// The annual statistics as at a moment (`ripa record statistics`; its `--json` is `statistics`).
public struct StatisticsReport: Sendable, Hashable, Codable {
    /// The moment, `YYYY-MM-DD HH:MM` in the pack's time zone.
    public var asAt: String
    /// The counts (with the year and time zone counted in).
    public var statistics: RecordStatistics

    enum CodingKeys: String, CodingKey { case asAt = "as_at", statistics }
}
