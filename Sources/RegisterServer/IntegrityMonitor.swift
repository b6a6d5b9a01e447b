import Foundation
import Logging
import RIPA
import Synchronization

/// Fail closed: the register is verified (with replay) when the server starts and again
/// after entries land. While the last verification failed, `finding` says why, every write
/// is refused (`ServerState.write`) and administrators see it; reads go on.
actor IntegrityMonitor {
    private let services: RegisterServices
    private let logger: Logger
    /// Why the register failed verification, or nil while it passes. Read by every request
    /// (every page shows it, every write checks it), so behind a lock rather than the actor:
    /// no hop to the actor and back for a read.
    private let currentFinding = Mutex<String?>(nil)
    nonisolated var finding: String? { currentFinding.withLock { $0 } }
    /// The last verification's result.
    private(set) var last: VerificationResult?
    private(set) var lastChecked: Date?
    private var running: Task<Void, Never>?
    private var again = false
    private let enabled: Bool

    init(services: RegisterServices, logger: Logger, enabled: Bool = true) {
        self.services = services
        self.logger = logger
        self.enabled = enabled
    }

    /// Verifies now and waits for the result (at start, before the first request).
    func verifyNow() async {
        guard enabled else { return }
        await run()
    }

    /// Verifies again in the background; a request while one runs is folded into one more run
    /// after it, so a burst of writes costs at most two verifications. Nonisolated, so a
    /// server that does not verify continuously costs a write no hop to the actor.
    nonisolated func check() async {
        guard enabled else { return }
        await requestCheck()
    }

    private func requestCheck() {
        if running != nil { again = true; return }
        running = Task { await self.loop() }
    }

    /// Waits for any background verification to finish (tests, shutdown).
    func settle() async {
        while let task = running { await task.value }
    }

    private func loop() async {
        repeat {
            again = false
            await run()
        } while again
        running = nil
    }

    private func run() async {
        do {
            let result = try await services.verification.verify(replay: true)
            last = result
            lastChecked = Date()
            if let failure = result.failure {
                if finding == nil { logger.critical("verification failed: writes refused", metadata: ["finding": .string(failure.description)]) }
                currentFinding.withLock { $0 = failure.description }
            } else {
                currentFinding.withLock { $0 = nil }
            }
        } catch {
            currentFinding.withLock { $0 = "the register could not be read: \(error)" }
            logger.critical("verification could not read the register", metadata: ["error": .string("\(error)")])
        }
    }
}
