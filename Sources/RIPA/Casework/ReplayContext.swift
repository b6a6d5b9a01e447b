import Ledger
import RegisterStore

/// `verify --replay`'s own view of the register, built only from the entries it has
/// walked, never from the stored projections: users, the pack in force, cases and views.
struct ReplayContext: CaseContext {
    private var usersByKey: [PublicKey: UserRecord] = [:]
    private var keysByID: [String: PublicKey] = [:]
    private var adopted: AdoptedPolicy?
    private var cases: [String: Authorisation] = [:]
    private var urnCounts: [String: Int] = [:]
    private var casesByProfile: [String: [String]] = [:]
    private var initialViews: [String: [EntryTime]] = [:]
    private(set) var decisions = 0

    func user(publicKey: PublicKey) throws -> UserRecord? { usersByKey[publicKey] }
    func user(id: String) throws -> UserRecord? { keysByID[id].flatMap { usersByKey[$0] } }
    func policy() throws -> AdoptedPolicy? { adopted }
    func authorisation(urn: String) throws -> Authorisation? { cases[urn] }
    func urnCount(type: AuthorisationType, year: Int) throws -> Int { urnCounts["\(type.rawValue)/\(year)"] ?? 0 }
    func authorisations(coveringProfile profile: String) throws -> [Authorisation] {
        (casesByProfile[profile] ?? []).compactMap { cases[$0] }
    }
    func initialViewCount(profile: String, since: EntryTime?) throws -> Int {
        let times = initialViews[profile] ?? []
        guard let since else { return times.count }
        return times.count { $0 >= since }
    }

    /// Checks the stored projections (cases, users, views) against this replay of the log:
    /// they are caches, and a cache that disagrees with the log misleads every later decision.
    ///
    /// - Throws: `VerificationFailure` (check `replay`) naming what differs.
    func compare(with reader: RegisterReader) throws {
        func differs(_ what: String) -> VerificationFailure {
            VerificationFailure(index: nil, check: .replay, "the stored projection of \(what) differs from a replay of the log; rebuild it with `ripa rebuild --as ADMIN`")
        }
        let stored = try reader.authorisations()
        guard stored.count == cases.count else { throw differs("the cases (\(stored.count) stored, \(cases.count) in the log)") }
        for record in stored {
            guard let replayed = cases[record.urn], try record.document.decode(Authorisation.self) == replayed,
                  record.profiles == replayed.application.profileKeys
            else { throw differs("case \(record.urn)") }
        }
        let users = try reader.users()
        guard users.count == usersByKey.count else { throw differs("the users") }
        for user in users {
            guard let replayed = keysByID[user.userID].flatMap({ usersByKey[$0] }), replayed.publicKey == user.publicKey,
                  replayed.roles == user.roles, (replayed.revokedSeq == nil) == (user.revokedSeq == nil)
            else { throw differs("user \(user.userID)") }
        }
        let initial = initialViews.values.reduce(0) { $0 + $1.count }
        guard try reader.initialViewCount() == initial else { throw differs("the views") }
    }

    /// Re-runs the entry's decision and takes in its effect.
    ///
    /// - Throws: `VerificationFailure` (check `replay`) naming the entry and the rule.
    mutating func replay(_ entry: Entry) throws {
        guard let kind = EntryKind(rawValue: entry.kind) else { return }
        switch kind {
        case .registerCreated, .registerKeyRotated:
            return
        case .userEnrolled:
            let body = try entry.body.decode(UserEnrolment.self)
            do { try body.checkText() } catch {
                throw VerificationFailure(index: entry.seq, check: .replay, "\(entry.kind) does not follow the rules in force: \(error.message)")
            }
            let key = try PublicKey(base64: body.publicKey)
            usersByKey[key] = UserRecord(
                userID: body.userID, name: body.name, roles: body.roles.map(\.rawValue), rank: body.rank,
                headOfPaidService: body.headOfPaidService, publicKey: key, enrolledSeq: entry.seq)
            keysByID[body.userID] = key
            return
        case .userRolesChanged:
            let body = try entry.body.decode(UserRolesChange.self)
            if let key = keysByID[body.userID] { usersByKey[key]?.roles = body.roles.map(\.rawValue) }
            return
        case .userRevoked:
            let body = try entry.body.decode(UserRevocation.self)
            if let key = keysByID[body.userID] { usersByKey[key]?.revokedSeq = entry.seq }
            return
        default:
            break
        }
        let effect: Casework.Effect
        do {
            effect = try Casework.apply(entry, kind: kind, context: self)
        } catch let error as RIPAError {
            throw VerificationFailure(index: entry.seq, check: .replay, "\(entry.kind) does not follow the rules in force: \(error.message)")
        } catch let error as LedgerError {
            throw VerificationFailure(index: entry.seq, check: .replay, "\(entry.kind) body is malformed: \(error.message)")
        }
        decisions += 1
        switch effect {
        case .none:
            break
        case .policy(let policy):
            adopted = policy
        case .authorisation(let authorisation):
            if cases[authorisation.urn] == nil {
                urnCounts["\(authorisation.type.rawValue)/\(Casework.year(ofURN: authorisation.urn))", default: 0] += 1
                for profile in authorisation.application.profileKeys { casesByProfile[profile, default: []].append(authorisation.urn) }
            }
            cases[authorisation.urn] = authorisation
        case .view(let view):
            if view.outcome == .initial { initialViews[view.profileKey, default: []].append(view.time) }
        }
    }
}
