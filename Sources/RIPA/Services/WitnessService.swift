import Foundation
import Ledger
import RegisterStorage

/// Witness cosigning (C2SP tlog-witness, tlog-cosignature, tlog-policy; docs/witnesses.md): the
/// register's witness policy as entries, sending each new checkpoint to the witnesses, keeping
/// their cosignatures, and the cosigned checkpoint and proof files built from them.
///
/// A witness cosigns a checkpoint only if it extends the last one it cosigned, so once a
/// quorum of independent witnesses holds a size, even someone with the register key cannot
/// roll the log back or fork it without the witnesses refusing and `verify` noticing.
public struct WitnessService: Sendable {
    let register: Register
    /// How witnesses are reached.
    let client: any WitnessClient

    /// The service over `register`, reaching witnesses through `client`.
    public init(register: Register, client: any WitnessClient = HTTPWitnessClient()) {
        self.register = register
        self.client = client
    }

    /// How long `sync` waits for one witness by default.
    public static let defaultTimeout: Duration = .seconds(10)

    // MARK: The policy

    /// Adopts a witness policy (`witness.policy-adopted`, signed by an administrator): from this
    /// entry on, the register's checkpoints need the policy's quorum of cosignatures.
    ///
    /// - Throws: `RIPAError.badInput` (`witness.policyMalformed`) for a text that does not parse
    ///   or does not list the register's key; `RIPAError.notPermitted` unless an administrator.
    public func adopt(text: String, by actor: Actor) async throws -> WitnessPolicyAdopted {
        let key = try await register.verifierKey()
        let body = try WitnessPolicyAdoption(text: text, logKey: key)
        let policy = try WitnessPolicyAdoption.parse(text)
        let entry = try await register.write { writer in try writer.append(.witnessPolicyAdopted, body, by: actor) }
        return WitnessPolicyAdopted(seq: entry.seq, sha256: body.sha256, quorum: policy.quorumDescription, witnesses: policy.witnesses.map(\.name))
    }

    /// The witness policy in force, or nil if none was adopted.
    public func policyInForce() async throws -> WitnessPolicyInForce? {
        guard let found = try await Self.policies(register.store.read { try $0.entries(kind: EntryKind.witnessPolicyAdopted.rawValue) }).last else {
            return nil
        }
        return WitnessPolicyInForce(
            seq: found.seq, sha256: found.body.sha256, quorum: found.policy.quorumDescription, witnesses: found.policy.witnesses.map(\.name),
            policy: found.body.policy)
    }

    /// The adopted policies in log order, each parsed.
    static func policies(_ entries: [Entry]) throws -> [(seq: UInt64, body: WitnessPolicyAdoption, policy: WitnessPolicy)] {
        try entries.map { entry in
            let body = try entry.body.decode(WitnessPolicyAdoption.self)
            return (entry.seq, body, try WitnessPolicyAdoption.parse(body.policy))
        }
    }

    func currentPolicy() async throws -> WitnessPolicy? {
        try await Self.policies(register.store.read { try $0.entries(kind: EntryKind.witnessPolicyAdopted.rawValue) }).last?.policy
    }

    // MARK: Sync

    /// Sends the latest checkpoint to every witness of the policy in force, each with a
    /// consistency proof from the size it last cosigned (as the register knows it), resending
    /// from the size a witness names on 409; keeps every cosignature that verifies.
    ///
    /// A witness that is down, slow (no answer within `timeout`) or refuses is reported, not
    /// an error: the others are still asked, and the result says whether the quorum is met.
    ///
    /// - Throws: `RIPAError.badInput` (`witness.noPolicy`) when no policy is in force.
    public func sync(timeout: Duration = defaultTimeout) async throws -> WitnessSyncResult {
        guard let policy = try await currentPolicy() else {
            throw RIPAError(.badInput, "the register has no witness policy; adopt one first", reason: .witnessNoPolicy)
        }
        guard let noteText = try await register.store.read({ try $0.latestCheckpoint() }) else {
            throw RIPAError(.badInput, "the register has no checkpoint yet")
        }
        let note = try SignedNote(parsing: noteText)
        let checkpoint = try Checkpoint(parsing: note.text)
        let asked = await withTaskGroup(of: (Int, WitnessSyncOutcome, StoredCosignature?).self) { group in
            for (i, witness) in policy.witnesses.enumerated() {
                group.addTask {
                    let (outcome, kept) = await ask(witness, note: note, size: checkpoint.size, timeout: timeout)
                    return (i, outcome, kept)
                }
            }
            var out: [(Int, WitnessSyncOutcome, StoredCosignature?)] = []
            for await item in group { out.append(item) }
            return out.sorted { $0.0 < $1.0 }
        }
        try await register.store.keepCosignatures(asked.compactMap(\.2))
        let kept = try await register.store.read { try $0.cosignatures(atSize: checkpoint.size) }
        let cosigners = policy.cosigners(of: note.text, among: kept.compactMap { try? Cosignature(line: $0.line) })
        return WitnessSyncResult(
            size: checkpoint.size, quorum: policy.quorumDescription, quorumMet: policy.isSatisfied(by: cosigners),
            cosigners: policy.witnesses.map(\.name).filter(cosigners.contains), witnesses: asked.map(\.1))
    }

    /// Asks one witness, following 409s (at most three requests).
    private func ask(_ witness: WitnessPolicy.Witness, note: SignedNote, size: UInt64, timeout: Duration) async -> (WitnessSyncOutcome, StoredCosignature?) {
        func outcome(_ kind: WitnessSyncOutcome.Outcome, _ message: String) -> (WitnessSyncOutcome, StoredCosignature?) {
            (WitnessSyncOutcome(witness: witness.name, url: witness.url, outcome: kind, size: size, message: message), nil)
        }
        guard let url = witness.url else { return outcome(.noURL, "the policy gives \(witness.name) no URL, so it cannot be asked") }
        let keyText = witness.key.description
        let store = register.store
        do {
            if try await store.read({ try $0.cosignatures(atSize: size) }).contains(where: { $0.witness == keyText }) {
                return outcome(.alreadyCosigned, "\(witness.name) has already cosigned size \(size)")
            }
            var old = try await store.read { try $0.latestCosignedSize(witness: keyText) } ?? 0
            for _ in 0..<3 {
                if old > size {
                    return outcome(.refused, "\(witness.name) has cosigned size \(old), but the register holds only \(size) entries: the log was rolled back, or this is not the register it witnessed")
                }
                let from = old
                let proof = from == 0 || from == size ? [] : try await store.read { try $0.consistencyProof(oldSize: from, newSize: size).path }
                let body = Array(AddCheckpointRequest(oldSize: from, proof: proof, checkpoint: note).description.utf8)
                let answer: (status: Int, body: [UInt8])
                do {
                    answer = try await client.addCheckpoint(prefix: url, body: body, timeout: timeout)
                } catch {
                    return outcome(.unreachable, "\(witness.name) at \(url) \(error)")
                }
                switch answer.status {
                case 200:
                    let lines = (try? AddCheckpointRequest.cosignatures(fromResponse: answer.body)) ?? []
                    guard let line = lines.first(where: { $0.verifies(checkpointText: note.text, key: witness.key) }) else {
                        return outcome(.unreachable, "\(witness.name) answered 200 but with no cosignature by its key \(keyText) that verifies")
                    }
                    let kept = StoredCosignature(size: size, witness: keyText, timestamp: line.timestamp, line: line.line)
                    return (WitnessSyncOutcome(witness: witness.name, url: url, outcome: .cosigned, size: size, message: "\(witness.name) cosigned size \(size) at \(Self.time(line.timestamp))"), kept)
                case 409:
                    guard let named = try? AddCheckpointRequest.size(fromConflictBody: answer.body) else {
                        return outcome(.unreachable, "\(witness.name) answered 409 without its size in the body")
                    }
                    guard named != from else {
                        return outcome(.unreachable, "\(witness.name) answered 409 naming the size \(named) it was sent")
                    }
                    old = named
                default:
                    return outcome(.refused, "\(witness.name) refused size \(size) from \(from) with HTTP \(answer.status): \(Self.excerpt(answer.body))")
                }
            }
            return outcome(.unreachable, "\(witness.name) kept answering 409")
        } catch {
            return outcome(.unreachable, "could not prepare the request to \(witness.name): \(error)")
        }
    }

    /// The first line of a witness's answer, escaped and bounded, for a message.
    static func excerpt(_ body: [UInt8]) -> String {
        let first = String(decoding: body.prefix(300), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "(no explanation)"
        return TextField.escaped(first)
    }

    /// A POSIX time as the register writes times.
    static func time(_ seconds: UInt64) -> String {
        EntryTime(millisecondsSince1970: Int64(clamping: seconds) * 1000).description
    }

    // MARK: The cosigned checkpoint

    /// The checkpoint of `size` (default: the latest) with every kept cosignature of it: the
    /// register's signature line, then the witnesses' lines (C2SP signed note).
    ///
    /// - Throws: `RIPAError.badInput` for a size with no checkpoint.
    public func cosignedCheckpoint(size: UInt64? = nil) async throws -> CosignedCheckpoint {
        let (noteText, kept) = try await register.store.read { reader -> (String?, [StoredCosignature]) in
            let latest = try reader.latestCheckpoint()
            let latestSize = try latest.map { try Checkpoint(parsing: SignedNote(parsing: $0).text).size }
            let wanted = size ?? latestSize ?? 0
            let text = wanted == latestSize ? latest : try reader.checkpoints().first { $0.size == wanted }?.note
            return (text, try reader.cosignatures(atSize: wanted))
        }
        guard let noteText else {
            throw RIPAError(.badInput, size.map { "the register has no checkpoint of size \($0)" } ?? "the register has no checkpoint yet",
                            reason: .inputOutOfRange, values: ["field": "size", "value": size.map(String.init) ?? ""])
        }
        let note = try SignedNote(parsing: noteText)
        let checkpoint = try Checkpoint(parsing: note.text)
        let policy = try await currentPolicy()
        var lines = kept.compactMap { try? Cosignature(line: $0.line) }
        // Only lines for this very body are printed; a line kept for another body is verify's to report.
        if let policy { lines = lines.filter { line in policy.witnesses.contains { line.isClaimed(by: $0.key) } } }
        var text = noteText
        for line in lines where !note.signatures.contains(line.noteSignature) { text += line.line + "\n" }
        let cosigners = policy?.cosigners(of: note.text, among: lines) ?? []
        return CosignedCheckpoint(
            size: checkpoint.size, note: text, cosigners: policy?.witnesses.map(\.name).filter(cosigners.contains) ?? [],
            quorum: policy?.quorumDescription, quorumMet: policy?.isSatisfied(by: cosigners))
    }

    // MARK: Proof files

    /// A `c2sp.org/tlog-proof@v1` file for entry `index`: its inclusion proof in the newest
    /// checkpoint that includes it and meets the witness quorum (or the latest checkpoint,
    /// when there is no policy or no such checkpoint; the result then says so).
    ///
    /// - Throws: `RIPAError.badInput` for an index beyond the register.
    public func proofFile(index: UInt64) async throws -> ProofFileResult {
        let latest = try await cosignedCheckpoint()
        guard index < latest.size else {
            throw RIPAError(.badInput, "entry \(index) is beyond the register, which holds \(latest.size) entries", reason: .inputOutOfRange,
                            values: ["field": "index", "value": String(index), "highest": String(latest.size == 0 ? 0 : latest.size - 1)])
        }
        var chosen = latest
        if latest.quorumMet == false {
            // The newest cosigned size that meets the quorum and still includes the entry.
            let sizes = Set(try await register.store.read { try $0.cosignatures(from: index + 1) }.map(\.size)).sorted(by: >)
            for size in sizes where size < latest.size {
                let candidate = try await cosignedCheckpoint(size: size)
                if candidate.quorumMet == true { chosen = candidate; break }
            }
        }
        let size = chosen.size
        let path = try await register.store.read { try $0.inclusionProof(index: index, size: size).path }
        let proof = TlogProof(index: index, path: path, checkpoint: try SignedNote(parsing: chosen.note))
        let warning: String? = switch chosen.quorumMet {
        case nil: "the register has no witness policy: the proof rests on the register key alone"
        case false?: "no checkpoint including entry \(index) meets the witness quorum (\(chosen.quorum ?? "")) yet: run a witness sync, then write the proof again"
        case true?: nil
        }
        return ProofFileResult(index: index, size: size, text: proof.description, cosigners: chosen.cosigners, quorumMet: chosen.quorumMet, warning: warning)
    }
}

/// A proof file written by `WitnessService.proofFile`: `{"index", "size", "cosigners", "quorum_met", "warning", "text"}`.
public struct ProofFileResult: Sendable, Hashable, Codable {
    /// The entry's index.
    public var index: UInt64
    /// The size of the checkpoint it is proved in.
    public var size: UInt64
    /// The file's text (`c2sp.org/tlog-proof@v1`).
    public var text: String
    /// The witnesses whose cosignatures it carries.
    public var cosigners: [String]
    /// Whether they meet the quorum, or nil without a policy.
    public var quorumMet: Bool?
    /// What the proof lacks, if anything.
    public var warning: String?

    enum CodingKeys: String, CodingKey { case index, size, text, cosigners, quorumMet = "quorum_met", warning }
}

extension RegisterServices {
    /// Witness cosigning, over HTTP.
    public var witnesses: WitnessService { WitnessService(register: register) }

    /// Witness cosigning through another client (tests).
    public func witnesses(client: any WitnessClient) -> WitnessService { WitnessService(register: register, client: client) }
}
