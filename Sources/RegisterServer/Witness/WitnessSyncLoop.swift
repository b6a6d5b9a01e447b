import Foundation
import Logging
import RIPA

/// `ripa serve`'s witness sync: after entries land, the new checkpoint goes to the witnesses
/// in the background (`WitnessService.sync`), so the register is cosigned without anyone
/// running `ripa witness sync`. It watches the register's size rather than the write paths,
/// so appends by other processes (the CLI beside the server) are synced too.
actor WitnessSyncLoop {
    private let services: RegisterServices
    private let logger: Logger
    private let interval: Duration
    private let timeout: Duration
    private var syncedSize: UInt64?

    init(services: RegisterServices, logger: Logger, interval: Duration = .seconds(2), timeout: Duration = WitnessService.defaultTimeout) {
        self.services = services
        self.logger = logger
        self.interval = interval
        self.timeout = timeout
    }

    /// Runs until cancelled.
    func run() async {
        while !Task.isCancelled {
            await syncIfGrown()
            try? await Task.sleep(for: interval)
        }
    }

    /// One round: if the register grew since the last sync and a witness policy is in force, sync.
    func syncIfGrown() async {
        do {
            let size = try await services.verification.size()
            guard size != syncedSize, try await services.witnesses.policyInForce() != nil else { return }
            let result = try await services.witnesses.sync(timeout: timeout)
            syncedSize = result.size
            for witness in result.witnesses where witness.outcome != .cosigned && witness.outcome != .alreadyCosigned {
                logger.warning("witness sync", metadata: ["witness": .string(witness.witness), "outcome": .string(witness.outcome.rawValue), "message": .string(witness.message)])
            }
            if !result.quorumMet {
                logger.warning("checkpoint short of its witness quorum", metadata: ["size": "\(result.size)", "quorum": .string(result.quorum)])
                // Try again next round rather than waiting for the register to grow.
                syncedSize = nil
            }
        } catch {
            logger.error("witness sync failed", metadata: ["error": .string("\(error)")])
        }
    }
}
