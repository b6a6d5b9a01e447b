import Ledger
import RegisterStore

/// Derives the projections (users, the current register key, cases, views) from entries.
///
/// The same function runs when an entry is appended and when the projections are rebuilt
/// from the log, so the two cannot drift apart.
public enum Projector {
    static let verifierKeyMeta = "verifier_key"
    static let policyMeta = "policy_seq"
    static let policyHashMeta = "policy_hash"

    /// Applies one entry's effect to the projections.
    public static func apply(_ entry: Entry, to writer: RegisterWriter) throws {
        guard let kind = EntryKind(rawValue: entry.kind) else {
            throw RIPAError(.badInput, "entry \(entry.seq) has unknown kind \(entry.kind)")
        }
        switch kind {
        case .registerCreated:
            let body = try entry.body.decode(RegisterCreation.self)
            try writer.setMeta(verifierKeyMeta, body.verifierKey)
        case .registerKeyRotated:
            let body = try entry.body.decode(RegisterKeyRotation.self)
            try writer.setMeta(verifierKeyMeta, body.verifierKey)
        case .userEnrolled:
            let body = try entry.body.decode(UserEnrolment.self)
            try writer.saveUser(UserRecord(
                userID: body.userID, name: body.name, roles: body.roles.map(\.rawValue), rank: body.rank,
                headOfPaidService: body.headOfPaidService, publicKey: try PublicKey(base64: body.publicKey),
                enrolledSeq: entry.seq))
        case .userRolesChanged:
            let body = try entry.body.decode(UserRolesChange.self)
            guard var user = try writer.reader.user(id: body.userID) else { return }
            user.roles = body.roles.map(\.rawValue)
            try writer.saveUser(user)
        case .userRevoked:
            let body = try entry.body.decode(UserRevocation.self)
            guard var user = try writer.reader.user(id: body.userID) else { return }
            user.revokedSeq = entry.seq
            try writer.saveUser(user)
        default:
            try DomainProjector.apply(kind, entry, to: writer)
        }
    }

    /// Rebuilds every projection from the log, in one transaction.
    public static func rebuild(_ register: Register) throws {
        try register.store.append(checkpointSigners: [], now: register.clock()) { writer in
            try writer.clearProjections()
            var seq: UInt64 = 0
            while true {
                let batch = try writer.reader.leaves(from: seq, limit: 4096)
                if batch.isEmpty { break }
                for (stored, leaf) in batch {
                    let entry = try Entry(leafData: leaf)
                    try apply(entry, to: writer)
                    seq = stored + 1
                }
            }
        }
    }
}

/// The projections of the RIPA case kinds, from `Casework`'s effects.
enum DomainProjector {
    static func apply(_ kind: EntryKind, _ entry: Entry, to writer: RegisterWriter) throws {
        switch try Casework.apply(entry, kind: kind, context: LiveCaseContext(reader: writer.reader)) {
        case .none:
            break
        case .policy(let adopted):
            try writer.setMeta(Projector.policyMeta, String(adopted.seq))
            try writer.setMeta(Projector.policyHashMeta, adopted.hash)
        case .authorisation(let authorisation):
            try writer.saveAuthorisation(AuthorisationRecord(
                urn: authorisation.urn, type: authorisation.type.rawValue, year: Casework.year(ofURN: authorisation.urn),
                document: try JSONValue(encoding: authorisation), profiles: authorisation.application.profileKeys,
                updatedSeq: entry.seq))
        case .view(let view):
            try writer.saveView(view)
        case .alias(let alias):
            try writer.saveAlias(alias.first, alias.second, seq: entry.seq)
        }
    }
}
