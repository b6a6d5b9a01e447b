import Ledger

/// Who may sign what, replayed entry by entry during verification: the register key in
/// force (following rotations) and each user's enrolment, roles and revocation.
///
/// It reads only the log, never the projections, so a tampered projection cannot vouch
/// for a forged entry.
struct AuthorityWalk {
    struct Signer {
        var userID: String
        var roles: [Role]
        var active: Bool
    }

    private(set) var registerKey: NoteVerifierKey?
    private(set) var keyHistory: [String] = []
    private var signers: [PublicKey: Signer] = [:]
    private var keyOfUser: [String: PublicKey] = [:]
    private(set) var kindCounts: [String: Int] = [:]

    var activeUsers: Int { signers.values.filter(\.active).count }

    /// The user id behind a key, for replay.
    func userID(of key: PublicKey) -> String? { signers[key]?.userID }

    /// Checks that the entry's signer may write its kind at this point, then applies the
    /// entry's effect on authority.
    mutating func admit(_ entry: Entry, origin: String) throws {
        let seq = entry.seq
        guard let kind = EntryKind(rawValue: entry.kind) else {
            throw VerificationFailure(index: seq, check: .format, "unknown entry kind '\(entry.kind)'")
        }
        kindCounts[entry.kind, default: 0] += 1
        if seq == 0 {
            guard kind == .registerCreated else {
                throw VerificationFailure(index: 0, check: .authority, "the first entry must be register.created, not \(entry.kind)")
            }
            let body = try decode(RegisterCreation.self, entry)
            let key: NoteVerifierKey
            do { key = try NoteVerifierKey(parsing: body.verifierKey) } catch {
                throw VerificationFailure(index: 0, check: .format, "the genesis verifier key is malformed: \(error.message)")
            }
            guard key.publicKey == entry.signer, key.name == origin, body.origin == origin else {
                throw VerificationFailure(index: 0, check: .authority, "the genesis entry is not signed by the register key it names for origin \(origin)")
            }
            registerKey = key
            keyHistory.append(key.description)
            return
        }
        if entry.signer == registerKey?.publicKey {
            guard kind.permitsRegisterKey(at: seq) else {
                throw VerificationFailure(index: seq, check: .authority, "the register key may not sign \(entry.kind) here")
            }
        } else {
            guard let signer = signers[entry.signer] else {
                throw VerificationFailure(index: seq, check: .authority, "signed by a key that is not enrolled (\(entry.signer.base64))")
            }
            guard signer.active else {
                throw VerificationFailure(index: seq, check: .authority, "signed by \(signer.userID), who had been revoked")
            }
            guard kind.permits(roles: signer.roles) else {
                throw VerificationFailure(index: seq, check: .authority, "\(signer.userID) held \(signer.roles.map(\.rawValue).joined(separator: ", ")) but \(entry.kind) needs \(kind.rolesText)")
            }
        }
        try apply(kind, entry, origin: origin)
    }

    private mutating func apply(_ kind: EntryKind, _ entry: Entry, origin: String) throws {
        let seq = entry.seq
        switch kind {
        case .registerCreated:
            throw VerificationFailure(index: seq, check: .authority, "a second register.created entry")
        case .registerKeyRotated:
            let body = try decode(RegisterKeyRotation.self, entry)
            let key: NoteVerifierKey
            do { key = try NoteVerifierKey(parsing: body.verifierKey) } catch {
                throw VerificationFailure(index: seq, check: .format, "the new verifier key is malformed: \(error.message)")
            }
            guard key.name == origin, body.previousVerifierKey == registerKey?.description else {
                throw VerificationFailure(index: seq, check: .authority, "the rotation does not name this register's current key and origin")
            }
            registerKey = key
            keyHistory.append(key.description)
        case .userEnrolled:
            let body = try decode(UserEnrolment.self, entry)
            let key: PublicKey
            do { key = try PublicKey(base64: body.publicKey) } catch {
                throw VerificationFailure(index: seq, check: .format, "the enrolled public key is malformed")
            }
            guard keyOfUser[body.userID] == nil, signers[key] == nil, key != registerKey?.publicKey else {
                throw VerificationFailure(index: seq, check: .authority, "user id or key of '\(body.userID)' is already in use")
            }
            signers[key] = Signer(userID: body.userID, roles: body.roles, active: true)
            keyOfUser[body.userID] = key
        case .userRolesChanged:
            let body = try decode(UserRolesChange.self, entry)
            guard let key = keyOfUser[body.userID], signers[key]?.active == true, key != entry.signer else {
                throw VerificationFailure(index: seq, check: .authority, "roles changed for '\(body.userID)', who is not an active user other than the signer")
            }
            signers[key]?.roles = body.roles
        case .userRevoked:
            let body = try decode(UserRevocation.self, entry)
            guard let key = keyOfUser[body.userID], signers[key]?.active == true else {
                throw VerificationFailure(index: seq, check: .authority, "revokes '\(body.userID)', who is not an active user")
            }
            signers[key]?.active = false
        default:
            break
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ entry: Entry) throws -> T {
        do {
            return try entry.body.decode(type)
        } catch {
            throw VerificationFailure(index: entry.seq, check: .format, "the \(entry.kind) body is malformed: \(error.message)")
        }
    }
}
