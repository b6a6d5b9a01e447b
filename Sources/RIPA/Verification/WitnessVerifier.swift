import Foundation
import Ledger
import RegisterStorage

/// What `ripa verify` found of the register's witnessing (docs/witnesses.md).
///
/// JSON: `{"policy_seq", "quorum", "witnesses", "latest_size", "latest_cosigners", "quorum_met",
/// "newest_quorum_size", "cosignatures_checked", "cosignatures_ignored", "summary"}`.
public struct WitnessingReport: Sendable, Hashable, Codable {
    /// The `witness.policy-adopted` entry in force, or nil if none was adopted.
    public var policySeq: UInt64?
    /// The quorum in words, or nil without a policy.
    public var quorum: String?
    /// The policy's witnesses.
    public var witnesses: [String] = []
    /// The size of the latest checkpoint.
    public var latestSize: UInt64
    /// The witnesses whose cosignatures of the latest checkpoint verify.
    public var latestCosigners: [String] = []
    /// Whether the latest checkpoint meets the quorum (nil without a policy).
    public var quorumMet: Bool?
    /// The largest checkpoint size that meets the quorum, if any.
    public var newestQuorumSize: UInt64?
    /// Kept cosignatures by the policies' witnesses, each verified against the register's tree.
    public var cosignaturesChecked: Int = 0
    /// Kept cosignatures by keys no adopted policy names (not counted for anything).
    public var cosignaturesIgnored: Int = 0

    /// One line for people; a quorum not met starts with WARNING.
    public var summary: String {
        guard let quorum else { return "no witness policy adopted: the checkpoints are not witnessed" }
        let by = latestCosigners.isEmpty ? "no witness" : latestCosigners.joined(separator: ", ")
        if quorumMet == true {
            return "witnessed: the latest checkpoint (size \(latestSize)) is cosigned by \(by), meeting the quorum (\(quorum)); \(cosignaturesChecked) cosignatures checked"
        }
        let newest = newestQuorumSize.map { "the newest checkpoint meeting it is size \($0)" } ?? "no checkpoint meets it"
        return "WARNING: the latest checkpoint (size \(latestSize)) is short of its witness quorum (\(quorum)): cosigned by \(by); \(newest); the witnesses have not cosigned it yet: sync the register with them"
    }

    enum CodingKeys: String, CodingKey {
        case policySeq = "policy_seq", quorum, witnesses, latestSize = "latest_size", latestCosigners = "latest_cosigners",
            quorumMet = "quorum_met", newestQuorumSize = "newest_quorum_size", cosignaturesChecked = "cosignatures_checked",
            cosignaturesIgnored = "cosignatures_ignored", summary
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(policySeq, forKey: .policySeq)
        try c.encode(quorum, forKey: .quorum)
        try c.encode(witnesses, forKey: .witnesses)
        try c.encode(latestSize, forKey: .latestSize)
        try c.encode(latestCosigners, forKey: .latestCosigners)
        try c.encode(quorumMet, forKey: .quorumMet)
        try c.encode(newestQuorumSize, forKey: .newestQuorumSize)
        try c.encode(cosignaturesChecked, forKey: .cosignaturesChecked)
        try c.encode(cosignaturesIgnored, forKey: .cosignaturesIgnored)
        try c.encode(summary, forKey: .summary)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        policySeq = try c.decodeIfPresent(UInt64.self, forKey: .policySeq)
        quorum = try c.decodeIfPresent(String.self, forKey: .quorum)
        witnesses = try c.decode([String].self, forKey: .witnesses)
        latestSize = try c.decode(UInt64.self, forKey: .latestSize)
        latestCosigners = try c.decode([String].self, forKey: .latestCosigners)
        quorumMet = try c.decodeIfPresent(Bool.self, forKey: .quorumMet)
        newestQuorumSize = try c.decodeIfPresent(UInt64.self, forKey: .newestQuorumSize)
        cosignaturesChecked = try c.decode(Int.self, forKey: .cosignaturesChecked)
        cosignaturesIgnored = try c.decode(Int.self, forKey: .cosignaturesIgnored)
    }

    init(latestSize: UInt64) {
        self.latestSize = latestSize
    }
}

/// The witness checks of `ripa verify`, run after the walk has verified the log up to `size`
/// with root `root`:
///
/// - every `witness.policy-adopted` body's hash matches its text, and the text parses;
/// - every kept cosignature by a witness of an adopted policy is for a size the register
///   holds (else: a rollback the witness saw) and verifies over the register's own checkpoint
///   body at that size, whose root is proved consistent with the verified root (else: a fork);
/// - no entry included in a cosigned checkpoint is dated after the cosignature's time (more
///   than `RegisterVerifier.allowedClockSkewMilliseconds`, for clocks on different machines);
/// - the latest checkpoint's cosigners against the quorum of the policy in force (reported).
///
/// Everything is read from one snapshot, and each root, entry and proof read from stored nodes
/// is tied to the verified root by an inclusion or consistency proof, so an edited node cannot
/// make a cosignature pass.
enum WitnessVerifier {
    static func check(store: RegisterStore, size: UInt64, root: Hash) async throws -> WitnessingReport {
        let snapshot = try await store.snapshot()
        let (origin, stored, policyEntries, kept) = try await snapshot.read { reader in
            (try reader.origin(), try reader.size(), try reader.entries(kind: EntryKind.witnessPolicyAdopted.rawValue), try reader.cosignatures())
        }
        var report = WitnessingReport(latestSize: size)
        // The policies, checked; every witness any of them named, by key.
        var names: [String: (name: String, key: CosignatureVerifierKey)] = [:]
        var inForce: WitnessPolicy?
        for entry in policyEntries where entry.seq < size {
            let body: WitnessPolicyAdoption
            do { body = try entry.body.decode(WitnessPolicyAdoption.self) } catch {
                throw VerificationFailure(index: entry.seq, check: .format, "the witness.policy-adopted body is malformed: \(error.message)")
            }
            guard Hash.sha256(Array(body.policy.utf8)).hex == body.sha256 else {
                throw VerificationFailure(index: entry.seq, check: .witness, "the witness policy's sha256 does not match its text")
            }
            let policy: WitnessPolicy
            do { policy = try WitnessPolicy(parsing: body.policy) } catch {
                throw VerificationFailure(index: entry.seq, check: .witness, "the adopted witness policy does not parse: \(error.message)")
            }
            for witness in policy.witnesses { names[witness.key.description] = (witness.name, witness.key) }
            inForce = policy
            report.policySeq = entry.seq
        }
        // Each cosigned size, checked once against the verified tree.
        var bodies: [UInt64: String] = [:]
        var verifiedLines: [UInt64: [Cosignature]] = [:]
        for cosignature in kept {
            guard let witness = names[cosignature.witness] else {
                report.cosignaturesIgnored += 1
                continue
            }
            guard cosignature.size <= stored else {
                throw VerificationFailure(index: stored, check: .witness, "rollback: witness \(witness.name) cosigned a checkpoint of \(cosignature.size) entries, but the register holds only \(stored): entries were removed after the witness saw them")
            }
            // Appended while the walk ran: the next verify checks it.
            guard cosignature.size <= size else { continue }
            let line: Cosignature
            do { line = try Cosignature(line: cosignature.line) } catch {
                throw VerificationFailure(index: nil, check: .witness, "the kept cosignature of size \(cosignature.size) by \(witness.name) is malformed: \(error.message)")
            }
            let body: String
            if let known = bodies[cosignature.size] {
                body = known
            } else {
                body = try await checkpointBody(snapshot, origin: origin, at: cosignature.size, verifiedSize: size, verifiedRoot: root)
                bodies[cosignature.size] = body
            }
            guard line.isClaimed(by: witness.key), line.timestamp == cosignature.timestamp, line.verifies(checkpointText: body, key: witness.key) else {
                throw VerificationFailure(index: cosignature.size == 0 ? nil : cosignature.size - 1, check: .witness, "fork: the cosignature of size \(cosignature.size) by witness \(witness.name) is not for this register's tree at that size: the witness saw another history, or the kept line was altered")
            }
            if cosignature.size > 0 {
                try await checkTime(snapshot, below: cosignature.size, cosignedAt: line.timestamp, by: witness.name, verifiedSize: size, verifiedRoot: root)
            }
            verifiedLines[cosignature.size, default: []].append(line)
            report.cosignaturesChecked += 1
        }
        guard let inForce else { return report }
        report.quorum = inForce.quorumDescription
        report.witnesses = inForce.witnesses.map(\.name)
        func cosigners(_ at: UInt64) -> Set<String> {
            guard let body = bodies[at] else { return [] }
            return inForce.cosigners(of: body, among: verifiedLines[at] ?? [])
        }
        let latest = cosigners(size)
        report.latestCosigners = inForce.witnesses.map(\.name).filter(latest.contains)
        report.quorumMet = inForce.isSatisfied(by: latest)
        report.newestQuorumSize = verifiedLines.keys.sorted(by: >).first { inForce.isSatisfied(by: cosigners($0)) }
        return report
    }

    /// The register's checkpoint body at `at`, its root read from stored nodes and proved
    /// consistent with the verified root.
    static func checkpointBody(_ snapshot: RegisterSnapshot, origin: String, at: UInt64, verifiedSize: UInt64, verifiedRoot: Hash) async throws -> String {
        let rootAt: Hash = try await snapshot.read { reader in
            let rootAt = at == 0 ? RFC6962.emptyRoot : try reader.root(size: at)
            let consistent: Bool
            if at == 0 {
                consistent = true
            } else if at == verifiedSize {
                consistent = rootAt == verifiedRoot
            } else {
                consistent = try reader.consistencyProof(oldSize: at, newSize: verifiedSize).verify(oldRoot: rootAt, newRoot: verifiedRoot)
            }
            guard consistent else {
                throw VerificationFailure(index: nil, check: .treeNodes, "the stored tree nodes give a root at size \(at) that is not consistent with the verified root")
            }
            return rootAt
        }
        return Checkpoint(origin: origin, size: at, root: rootAt).text
    }

    /// The first entry below `size` dated after `timestamp` (times never go backwards, so a
    /// binary search), each entry read proved by an inclusion proof to the verified root.
    static func checkTime(_ snapshot: RegisterSnapshot, below size: UInt64, cosignedAt timestamp: UInt64, by witness: String, verifiedSize: UInt64, verifiedRoot: Hash) async throws {
        let limit = Int64(clamping: timestamp) * 1000 + 999 + RegisterVerifier.allowedClockSkewMilliseconds
        func time(_ seq: UInt64) async throws -> EntryTime {
            try await snapshot.read { reader in
                guard let leaf = try reader.leafData(at: seq) else {
                    throw VerificationFailure(index: seq, check: .sequence, "entry \(seq) is missing")
                }
                guard try reader.inclusionProof(index: seq, size: verifiedSize).verify(leafHash: RFC6962.leafHash(leaf), root: verifiedRoot) else {
                    throw VerificationFailure(index: seq, check: .treeNodes, "entry \(seq) as stored is not the one the verified root includes")
                }
                return try Entry(leafData: leaf).time
            }
        }
        guard try await time(size - 1).millisecondsSince1970 > limit else { return }
        var low: UInt64 = 0
        var high = size - 1
        while low < high {
            let middle = low + (high - low) / 2
            if try await time(middle).millisecondsSince1970 > limit { high = middle } else { low = middle + 1 }
        }
        let dated = try await time(low)
        throw VerificationFailure(index: low, check: .cosignedTime, "dated \(dated), after witness \(witness) cosigned at \(WitnessService.time(timestamp)) a checkpoint of \(size) entries that includes it (allowing \(RegisterVerifier.allowedClockSkewMilliseconds / 60_000) minutes' skew): the entry was not written when it claims")
    }
}
