import Ledger

/// Checks a `c2sp.org/tlog-proof@v1` file offline, with no register (`ripa verify-proof`): the
/// register key's signature on the checkpoint, the witnesses' cosignatures against a policy, and
/// — given the entry — its inclusion at the index. The verdict says plainly what was proved and
/// what was not.
public enum ProofFileCheck {
    /// Checks `text`.
    ///
    /// - Parameters:
    ///   - key: the register's verifier key, which the checkpoint must be signed by; its name is the origin.
    ///   - policy: a tlog-policy; if given, the cosignatures must meet its quorum and, if it lists
    ///     logs, `key` must be among them.
    ///   - entry: the entry's bytes (its canonical JSON, as `ripa log` prints it); if given, it
    ///     must be the leaf at the index.
    /// - Throws: `RIPAError.badInput` (`proof.fileInvalid`, `check`: format, signature,
    ///   policy, quorum, entry, inclusion) naming what does not hold.
    public static func verify(_ text: String, key: NoteVerifierKey, policy: WitnessPolicy?, entry: [UInt8]?) throws(RIPAError) -> ProofFileVerdict {
        func fail(_ check: String, _ message: String) -> RIPAError {
            RIPAError(.badInput, message, reason: .proofFileInvalid, values: ["check": check])
        }
        let proof: TlogProof
        let checkpoint: Checkpoint
        do {
            proof = try TlogProof(parsing: text)
            checkpoint = try Checkpoint(parsing: proof.checkpoint.text)
        } catch {
            throw fail("format", "the proof file is malformed: \(error.message)")
        }
        guard checkpoint.origin == key.name else {
            throw fail("signature", "the checkpoint is for the log \(TextField.escaped(checkpoint.origin)), not \(key.name) (the key's name)")
        }
        do {
            _ = try proof.checkpoint.verify(with: [key])
        } catch {
            throw fail("signature", "the checkpoint is not signed by the register key \(key): \(error.message)")
        }
        guard proof.index < checkpoint.size else {
            throw fail("inclusion", "the proof names entry \(proof.index), but the checkpoint covers only \(checkpoint.size) entries")
        }
        let cosignatures = proof.checkpoint.signatures.compactMap { try? Cosignature($0) }
        var verdict = ProofFileVerdict(
            origin: checkpoint.origin, index: proof.index, size: checkpoint.size, root: checkpoint.root.base64, registerKey: key.description)
        if let policy {
            if !policy.logs.isEmpty && !policy.logs.contains(where: { $0.key == key }) {
                throw fail("policy", "the policy does not list the key \(key) as a log")
            }
            let cosigners = policy.cosigners(of: proof.checkpoint.text, among: cosignatures)
            verdict.quorum = policy.quorumDescription
            verdict.witnesses = policy.witnesses.filter { cosigners.contains($0.name) }.map { witness in
                let time = cosignatures.filter { $0.verifies(checkpointText: proof.checkpoint.text, key: witness.key) }.map(\.timestamp).min() ?? 0
                return ProofFileVerdict.Witnessed(name: witness.name, key: witness.key.description, timestamp: time, time: WitnessService.time(time))
            }
            guard policy.isSatisfied(by: cosigners) else {
                let names = verdict.witnesses.map(\.name)
                throw fail("quorum", "the checkpoint's cosignatures do not meet the policy's quorum, \(policy.quorumDescription): valid cosignatures from \(names.isEmpty ? "no witness" : names.joined(separator: ", "))")
            }
            verdict.quorumMet = true
        } else {
            verdict.unverifiedCosignatures = cosignatures.count
        }
        if let entry {
            var leaf = entry
            // The entry as `ripa log` prints it: one line; a final newline is not part of it.
            if leaf.last == 0x0A { leaf.removeLast() }
            let parsed: Entry
            do { parsed = try Entry(leafData: leaf) } catch {
                throw fail("entry", "the entry file is not a register entry: \(error.message)")
            }
            guard parsed.seq == proof.index else {
                throw fail("entry", "the entry file holds entry \(parsed.seq), but the proof is for entry \(proof.index)")
            }
            guard parsed.hasValidSignature else {
                throw fail("entry", "the entry's own signature does not verify: it was altered")
            }
            let inclusion = InclusionProof(index: proof.index, size: checkpoint.size, path: proof.path)
            guard inclusion.verify(leafHash: RFC6962.leafHash(leaf), root: checkpoint.root) else {
                throw fail("inclusion", "the inclusion proof does not lead from entry \(proof.index) to the checkpoint's root: the entry, the index or a proof line was changed")
            }
            verdict.entry = ProofFileVerdict.ProvedEntry(seq: parsed.seq, kind: parsed.kind, time: parsed.time.description, signer: parsed.signer.base64)
        }
        return verdict
    }
}

/// What `ProofFileCheck.verify` proved. JSON: `{"origin", "index", "size", "root", "register_key",
/// "entry", "quorum", "quorum_met", "witnesses", "unverified_cosignatures", "statement"}`.
public struct ProofFileVerdict: Sendable, Hashable, Codable {
    /// The entry whose inclusion was proved.
    public struct ProvedEntry: Sendable, Hashable, Codable {
        /// Its index.
        public var seq: UInt64
        /// Its kind.
        public var kind: String
        /// Its time as recorded.
        public var time: String
        /// Its signer's public key.
        public var signer: String
    }

    /// A witness whose cosignature verified.
    public struct Witnessed: Sendable, Hashable, Codable {
        /// Its policy name.
        public var name: String
        /// Its key.
        public var key: String
        /// When it cosigned, POSIX seconds.
        public var timestamp: UInt64
        /// The same, as a time.
        public var time: String
    }

    /// The log.
    public var origin: String
    /// The entry's index.
    public var index: UInt64
    /// The checkpoint's size.
    public var size: UInt64
    /// The checkpoint's root.
    public var root: String
    /// The key that signed it.
    public var registerKey: String
    /// The entry, if it was given and proved included.
    public var entry: ProvedEntry?
    /// The quorum, if a policy was given.
    public var quorum: String?
    /// True if a policy was given (and met: otherwise the check fails).
    public var quorumMet: Bool?
    /// The witnesses whose cosignatures verified.
    public var witnesses: [Witnessed] = []
    /// Cosignature lines present but not checked (no policy given).
    public var unverifiedCosignatures: Int?

    init(origin: String, index: UInt64, size: UInt64, root: String, registerKey: String) {
        self.origin = origin
        self.index = index
        self.size = size
        self.root = root
        self.registerKey = registerKey
    }

    /// What was proved and what was not, in plain words.
    public var statement: [String] {
        var out: [String] = []
        if let entry {
            out.append("PROVED: entry \(entry.seq) (\(entry.kind), recorded \(entry.time)) is in the register \(origin) at index \(index), within its first \(size) entries (root \(root)).")
        } else {
            out.append("PROVED: the register \(origin) signed a tree of \(size) entries with root \(root).")
            out.append("NOT PROVED: which entry is at index \(index): give the entry itself to check its inclusion.")
        }
        out.append("The checkpoint is signed by the register key \(registerKey).")
        if let quorum {
            let names = witnesses.map { "\($0.name) at \($0.time)" }.joined(separator: ", ")
            out.append("WITNESSED: cosigned by \(names); the policy's quorum (\(quorum)) is met.")
            if let earliest = witnesses.map(\.timestamp).min() {
                out.append("So \(entry == nil ? "these entries were" : "the entry was") in the register no later than \(WitnessService.time(earliest)), and the witnesses saw no other history for it.")
            }
        } else {
            out.append("NOT CHECKED: the \(unverifiedCosignatures ?? 0) cosignature line\(unverifiedCosignatures == 1 ? "" : "s") (no witness policy given). Without witnesses, the proof rests on the register key alone, which the council holds.")
        }
        return out
    }

    enum CodingKeys: String, CodingKey {
        case origin, index, size, root, registerKey = "register_key", entry, quorum, quorumMet = "quorum_met", witnesses,
            unverifiedCosignatures = "unverified_cosignatures", statement
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(origin, forKey: .origin)
        try c.encode(index, forKey: .index)
        try c.encode(size, forKey: .size)
        try c.encode(root, forKey: .root)
        try c.encode(registerKey, forKey: .registerKey)
        try c.encode(entry, forKey: .entry)
        try c.encode(quorum, forKey: .quorum)
        try c.encode(quorumMet, forKey: .quorumMet)
        try c.encode(witnesses, forKey: .witnesses)
        try c.encode(unverifiedCosignatures, forKey: .unverifiedCosignatures)
        try c.encode(statement, forKey: .statement)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        origin = try c.decode(String.self, forKey: .origin)
        index = try c.decode(UInt64.self, forKey: .index)
        size = try c.decode(UInt64.self, forKey: .size)
        root = try c.decode(String.self, forKey: .root)
        registerKey = try c.decode(String.self, forKey: .registerKey)
        entry = try c.decodeIfPresent(ProvedEntry.self, forKey: .entry)
        quorum = try c.decodeIfPresent(String.self, forKey: .quorum)
        quorumMet = try c.decodeIfPresent(Bool.self, forKey: .quorumMet)
        witnesses = try c.decode([Witnessed].self, forKey: .witnesses)
        unverifiedCosignatures = try c.decodeIfPresent(Int.self, forKey: .unverifiedCosignatures)
    }
}
