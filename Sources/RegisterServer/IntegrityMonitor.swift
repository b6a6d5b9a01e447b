import Foundation
import Logging
import RIPA

/// Fail closed: the register is verified (with replay) when the server starts and again
/// after entries land. While the last verification failed, `finding` says why, every write
/// is refused (`ServerState.write`) and administrators see it; reads go on.
actor IntegrityMonitor {
    private let services: RegisterServices
    private let logger: Logger
    /// Why the register failed verification, or nil while it passes.
    private(set) var finding: String?
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
    /// after it, so a burst of writes costs at most two verifications.
    func check() {
        guard enabled else { return }
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
                finding = failure.description
            } else {
                finding = nil
            }
        } catch {
            finding = "the register could not be read: \(error)"
            logger.critical("verification could not read the register", metadata: ["error": .string("\(error)")])
        }
    }
}
