import Foundation
import Ledger
import RIPA

/// A C2SP tlog-witness (https://c2sp.org/tlog-witness): checks each checkpoint a log submits
/// against the last one it cosigned for that origin and, if the log only grew, cosigns it
/// (`cosignature/v1`, Ed25519).
///
/// It never cosigns a checkpoint that is not consistent with the last one it cosigned: the
/// comparison and the save of the new state are one transaction (`WitnessStateStore.advance`).
public struct Witness: Sendable {
    /// The witness's signing key (its name is the witness's key name).
    public let key: NoteSignerKey
    /// The logs it witnesses.
    public let config: WitnessConfig
    /// What it last cosigned per log.
    public let state: WitnessStateStore
    /// The clock, in POSIX seconds (a test may fix it).
    let clock: @Sendable () -> UInt64

    /// A witness over its key, config and state.
    public init(key: NoteSignerKey, config: WitnessConfig, state: WitnessStateStore, clock: (@Sendable () -> UInt64)? = nil) {
        self.key = key
        self.config = config
        self.state = state
        self.clock = clock ?? { UInt64(Date().timeIntervalSince1970) }
    }

    /// The witness's public `cosignature/v1` key, for the register's policy.
    public var verifierKey: CosignatureVerifierKey { CosignatureVerifierKey(signer: key) }

    /// The answer to one request: an HTTP status, a content type and a body.
    public struct Answer: Sendable, Equatable {
        /// The HTTP status code.
        public let status: Int
        /// The `Content-Type`.
        public let contentType: String
        /// The body.
        public let body: String

        /// An answer.
        public init(status: Int, contentType: String, body: String) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }

        static func text(_ status: Int, _ message: String) -> Answer {
            Answer(status: status, contentType: "text/plain; charset=utf-8", body: message + "\n")
        }
    }

    /// `POST /add-checkpoint`: every status code of the spec.
    ///
    /// - 400: a body that does not parse, or an old size above the checkpoint's;
    /// - 404: an origin this witness does not witness;
    /// - 403: no signature by a trusted key for the origin, or one by a trusted key that fails;
    /// - 409: an old size other than the one last cosigned; the body is that size and a newline,
    ///   `Content-Type: text/x.tlog.size`;
    /// - 422: a size-0 checkpoint whose root is not the empty tree's, a proof given from size 0,
    ///   a consistency proof that does not verify, or the same size with another root;
    /// - 200: the cosignature line.
    public func addCheckpoint(_ body: [UInt8]) -> Answer {
        let request: AddCheckpointRequest
        let checkpoint: Checkpoint
        do {
            request = try AddCheckpointRequest(parsing: body)
            checkpoint = try Checkpoint(parsing: request.checkpoint.text)
        } catch {
            return .text(400, error.message)
        }
        guard let trusted = config.keys[checkpoint.origin] else {
            return .text(404, "this witness does not witness the log \(TextField.escaped(checkpoint.origin))")
        }
        do {
            _ = try request.checkpoint.verify(with: trusted)
        } catch {
            return .text(403, error.message)
        }
        guard request.oldSize <= checkpoint.size else {
            return .text(400, "the old size \(request.oldSize) is above the checkpoint's size \(checkpoint.size)")
        }
        let now = clock()
        do {
            let answer = try state.advance(origin: checkpoint.origin) { (last: WitnessStateStore.Witnessed?) -> (Answer, WitnessStateStore.Witnessed?) in
                let current = last?.size ?? 0
                guard request.oldSize == current else {
                    return (Answer(status: 409, contentType: AddCheckpointRequest.sizeContentType, body: "\(current)\n"), nil)
                }
                if let problem = Self.inconsistency(request: request, checkpoint: checkpoint, last: last) {
                    return (.text(422, problem), nil)
                }
                let cosignature = try Cosignature.sign(checkpointText: request.checkpoint.text, by: key, at: max(now, 1))
                let kept = request.checkpoint.description + cosignature.line + "\n"
                return (Answer(status: 200, contentType: "text/plain; charset=utf-8", body: cosignature.line + "\n"),
                        WitnessStateStore.Witnessed(size: checkpoint.size, root: checkpoint.root, note: kept))
            }
            // A validly signed checkpoint that does not follow from what was cosigned is evidence
            // of a fork or a rollback by the log: kept (after the transaction, which it does not affect).
            if answer.status == 422 {
                state.keepRefused(origin: checkpoint.origin, status: 422, reason: String(answer.body.dropLast()), request: body, at: now)
            }
            return answer
        } catch {
            return .text(500, "the witness could not record the checkpoint: \(error)")
        }
    }

    /// Why `checkpoint` does not follow from what was last cosigned, or nil if it does (the old
    /// size already matches the stored one).
    static func inconsistency(request: AddCheckpointRequest, checkpoint: Checkpoint, last: WitnessStateStore.Witnessed?) -> String? {
        if checkpoint.size == 0 && checkpoint.root != RFC6962.emptyRoot {
            return "a checkpoint of size 0 must have the empty tree's root"
        }
        guard let last, request.oldSize > 0 else {
            return request.proof.isEmpty ? nil : "a consistency proof from size 0 must be empty"
        }
        if checkpoint.size == last.size {
            guard checkpoint.root == last.root else {
                return "fork: size \(checkpoint.size) was cosigned with root \(last.root.base64), not \(checkpoint.root.base64)"
            }
            return request.proof.isEmpty ? nil : "a consistency proof between equal sizes must be empty"
        }
        let proof = ConsistencyProof(oldSize: last.size, newSize: checkpoint.size, path: request.proof)
        guard proof.verify(oldRoot: last.root, newRoot: checkpoint.root) else {
            return "the consistency proof from size \(last.size) to \(checkpoint.size) does not verify: the log is not an extension of the one cosigned"
        }
        return nil
    }

    /// `GET /<hex SHA-256 of the origin>/checkpoint`: the latest cosigned checkpoint with the
    /// log's signatures and the witness's cosignature, or 404.
    public func latestCheckpoint(originHash: String) -> Answer {
        for origin in config.keys.keys where Hash.sha256(Array(origin.utf8)).hex == originHash.lowercased() {
            if let witnessed = try? state.witnessed(origin: origin) {
                return Answer(status: 200, contentType: "text/plain; charset=utf-8", body: witnessed.note)
            }
        }
        return .text(404, "this witness has cosigned no checkpoint for that origin")
    }
}
