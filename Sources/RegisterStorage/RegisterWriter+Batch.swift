import Dispatch
import Ledger
import Synchronization

extension RegisterWriter {
    /// An entry to append: its kind and body.
    public typealias PendingEntry = (kind: String, body: JSONValue)

    /// Signs and appends entries in order, all signed by `key`, calling `project` for each
    /// stored entry (to write its projection rows) before the next is stored.
    ///
    /// The result is exactly what appending them one by one gives; it is faster because the
    /// work runs on two cores. Each entry's `prev` is the previous entry's leaf hash, which
    /// covers its signature, so the signatures form a chain that one core works through
    /// (canonical form, signature, leaf hash) while this thread stores each finished entry,
    /// its tree nodes and its projection. The signing side touches no database.
    ///
    /// If storing or `project` throws, signing stops and the error propagates: the caller's
    /// transaction rolls back, so none of the batch is kept.
    ///
    /// - Returns: the entries as stored.
    @discardableResult
    public func append(contentsOf pending: [PendingEntry], signedBy key: SigningKey, project: (Entry) throws -> Void = { _ in }) throws -> [Entry] {
        guard !pending.isEmpty else { return [] }
        let chain = SigningChain(count: pending.count)
        let (start, time, prev) = (size, nextTime, lastLeafHash)
        DispatchQueue.global(qos: .userInitiated).async {
            var prev = prev
            for (offset, item) in pending.enumerated() {
                if chain.isCancelled { return }
                let entry = Entry.sign(seq: start + UInt64(offset), time: time, kind: item.kind, prev: prev, body: item.body, with: key)
                prev = entry.leafHash
                chain.deliver(entry, leafHash: prev, at: offset)
            }
        }
        var stored: [Entry] = []
        stored.reserveCapacity(pending.count)
        do {
            for offset in pending.indices {
                let (entry, leafHash) = chain.take(at: offset)
                try insert(entry, leafHash: leafHash)
                try project(entry)
                stored.append(entry)
            }
        } catch {
            chain.cancel()
            throw error
        }
        return stored
    }
}

/// The hand-over between the signing side and the storing side of a batch: slot `i` holds
/// entry `i` once signed; `take` waits for it.
private final class SigningChain: Sendable {
    private let slots: Mutex<[(Entry, Hash)?]>
    private let signed = DispatchSemaphore(value: 0)
    private let cancelled = Atomic<Bool>(false)

    init(count: Int) {
        slots = Mutex([(Entry, Hash)?](repeating: nil, count: count))
    }

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    func cancel() { cancelled.store(true, ordering: .relaxed) }

    func deliver(_ entry: Entry, leafHash: Hash, at offset: Int) {
        slots.withLock { $0[offset] = (entry, leafHash) }
        signed.signal()
    }

    /// Waits for entry `offset`; entries are delivered in order, so one signal per take.
    func take(at offset: Int) -> (Entry, Hash) {
        signed.wait()
        return slots.withLock { slots in
            let slot = slots[offset]!
            slots[offset] = nil
            return slot
        }
    }
}
