import Ledger
import Synchronization

/// The end of the log, as a writer needs it: the last entry (for `prev` and the time order)
/// and the tree's right edge (for the new nodes and the checkpoint's root).
///
/// A store keeps the tip its last committed transaction left, so the next append in the same
/// process need not re-parse the last entry and re-read the right edge; the writer reuses it
/// only if the log still ends with exactly that entry.
struct LogTip: Sendable {
    /// The last entry's stored bytes (empty for an empty log).
    var lastLeaf: [UInt8] = []
    /// Its leaf hash; `Hash.zero` for an empty log.
    var lastLeafHash: Hash = .zero
    /// Its time; nil for an empty log.
    var lastTime: EntryTime?
    /// The tree's right edge.
    var frontier = TreeFrontier()
}

/// The tip the store's last committed append left, shared by copies of the store.
final class KnownTip: Sendable {
    private let tip = Mutex<LogTip?>(nil)

    var value: LogTip? {
        get { tip.withLock { $0 } }
        set { tip.withLock { $0 = newValue } }
    }
}
