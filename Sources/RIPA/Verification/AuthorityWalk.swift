import Ledger

/// Who may sign what, replayed entry by entry during verification: the register key in
/// force (following rotations) and each person's account — invitation, acceptance, key in
/// force, roles in force and awaiting approval, revocation — under the same `Accounts` rules
/// the live register runs.
///
/// It reads only the log, never the projections, so a tampered projection cannot vouch
/// for a forged entry.
struct AuthorityWalk {
    private(set) var registerKey: NoteVerifierKey?
    private(set) var keyHistory: [String] = []
    private(set) var book = AccountBook()
    private(set) var kindCounts: [String: Int] = [:]
    /// Documents entries cite (a JP's order), with the citing entry: `verify` checks each is kept.
    private(set) var documents: [(seq: UInt64, hash: String)] = []

    var activeUsers: Int { book.activeCount }

    /// Checks that the entry's signer may write its kind at this point, then applies the
    /// entry's effect on authority.
    ///
    /// - Returns: the accounts the entry changed (for the replay's own users).
    @discardableResult
    mutating func admit(_ entry: Entry, origin: String) throws -> [Account] {
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
            let founders = body.administrators ?? []
            guard body.testRegister == true || founders.count >= 2 else {
                throw VerificationFailure(index: 0, check: .authority, "a real register must name at least two founding administrators (it names \(founders.count)): no one person founds it")
            }
            registerKey = key
            keyHistory.append(key.description)
            book.found(body)
            return []
        }
        let byRegisterKey = entry.signer == registerKey?.publicKey
        if byRegisterKey {
            guard kind.permitsRegisterKey(at: seq, founders: book.founderIDs.count) else {
                throw VerificationFailure(index: seq, check: .authority, "the register key may not sign \(entry.kind) here")
            }
            if kind == .registerKeyRotated, !book.open { try authority(seq) { try Accounts.requireOpen(book) } }
        } else if kind != .userAccepted {
            try requireSigner(entry, kind)
        }
        return try apply(kind, entry, origin: origin, byRegisterKey: byRegisterKey)
    }

    /// The signer must hold a key in force and be active (which key signed is known only here);
    /// then the register must be open and the signer hold a role in force that may write the
    /// kind, as `Accounts` rules.
    private func requireSigner(_ entry: Entry, _ kind: EntryKind) throws {
        let seq = entry.seq
        guard let userID = book.owners[entry.signer], let signer = book.byID[userID] else {
            if let owner = book.retired[entry.signer] {
                throw VerificationFailure(index: seq, check: .authority, "signed with a key of \(owner) that had been replaced (a passphrase change): only the key in force signs")
            }
            throw VerificationFailure(index: seq, check: .authority, "signed by a key that is not enrolled (\(entry.signer.base64))")
        }
        guard signer.revokedSeq == nil else {
            throw VerificationFailure(index: seq, check: .authority, "signed by \(userID), who had been revoked")
        }
        // The same rules, and words, the live register refuses with.
        try authority(seq) {
            if !book.open { try Accounts.requireOpen(book) }
            try Accounts.requireRole(kind, userID: userID, roles: signer.roles, pending: signer.pending)
        }
    }

    /// Runs an `Accounts` rule, reporting its refusal as an authority failure of the entry.
    private func authority(_ seq: UInt64, _ rule: () throws -> Void) throws {
        do { try rule() } catch let error as RIPAError {
            throw VerificationFailure(index: seq, check: .authority, error.message)
        }
    }

    private mutating func apply(_ kind: EntryKind, _ entry: Entry, origin: String, byRegisterKey: Bool) throws -> [Account] {
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
        case .policyAdopted:
            let body = try decode(PolicyAdoption.self, entry)
            book.rule = body.policy.rules.twoPersonControl
        case .judicialDecision:
            if case .string(let hash)? = entry.body["order"] { documents.append((seq, hash)) }
        case .userInvited, .userAccepted, .userApproved, .userRolesChanged, .userRevoked, .userKeyReplaced:
            let changed: [Account]
            do {
                changed = try Accounts.apply(entry, kind: kind, byRegisterKey: byRegisterKey, context: book)
            } catch let error as RIPAError {
                throw VerificationFailure(index: seq, check: .authority, "\(entry.kind) breaks the account rules: \(error.message)")
            } catch let error as LedgerError {
                throw VerificationFailure(index: seq, check: .format, "the \(entry.kind) body is malformed: \(error.message)")
            }
            book.update(changed)
            return changed
        default:
            break
        }
        return []
    }

    private func decode<T: Decodable>(_ type: T.Type, _ entry: Entry) throws -> T {
        do {
            return try entry.body.decode(type)
        } catch {
            throw VerificationFailure(index: entry.seq, check: .format, "the \(entry.kind) body is malformed: \(error.message)")
        }
    }
}

/// Kept in a `verify --save-state` file (`VerificationState`): the walk goes on from the
/// saved entry with the same authority it had reached.
extension AuthorityWalk: Codable {
    enum CodingKeys: String, CodingKey {
        case registerKey = "register_key", keyHistory = "key_history", book = "accounts", kindCounts = "kinds", documents
    }

    private struct CitedDocument: Codable {
        var seq: UInt64
        var sha256: String
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try container.decodeIfPresent(String.self, forKey: .registerKey) {
            do { registerKey = try NoteVerifierKey(parsing: text) } catch {
                throw DecodingError.dataCorruptedError(forKey: .registerKey, in: container, debugDescription: error.message)
            }
        }
        keyHistory = try container.decode([String].self, forKey: .keyHistory)
        book = try container.decode(AccountBook.self, forKey: .book)
        kindCounts = try container.decode([String: Int].self, forKey: .kindCounts)
        documents = try container.decode([CitedDocument].self, forKey: .documents).map { ($0.seq, $0.sha256) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(registerKey?.description, forKey: .registerKey)
        try container.encode(keyHistory, forKey: .keyHistory)
        try container.encode(book, forKey: .book)
        try container.encode(kindCounts, forKey: .kindCounts)
        try container.encode(documents.map { CitedDocument(seq: $0.seq, sha256: $0.hash) }, forKey: .documents)
    }
}
