import Foundation
import RIPA

/// Verifications an auditor or administrator asked for from the Verify page, run in the
/// background so the request returns at once: at most one runs per server (asking again
/// while one runs gives that one), and the last few are kept for their result pages.
actor VerificationJobs {
    /// One verification, as its page shows it.
    struct Job: Sendable {
        let id: String
        let replay: Bool
        let requestedBy: String
        let started: Date
        var done: UInt64 = 0
        var total: UInt64 = 0
        var finished: Date?
        var result: VerificationResult?
        /// Why it could not run (the store could not be read).
        var error: String?

        var running: Bool { finished == nil }
    }

    private let services: RegisterServices
    private var jobs: [String: Job] = [:]
    private var order: [String] = []
    private var current: String?
    /// Finished jobs kept for their pages.
    private let kept = 20

    init(services: RegisterServices) { self.services = services }

    /// Starts a verification, or returns the one already running; its id.
    func start(replay: Bool, by userID: String) -> String {
        if let current, jobs[current]?.running == true { return current }
        let id = Token.random()
        jobs[id] = Job(id: id, replay: replay, requestedBy: userID, started: Date())
        order.append(id)
        while order.count > kept, let oldest = order.first, oldest != id {
            order.removeFirst()
            jobs[oldest] = nil
        }
        current = id
        let services = services
        Task {
            do {
                let result = try await services.verification.verify(replay: replay) { done, total in
                    Task { await self.progress(id, done: done, total: total) }
                }
                self.finish(id, result: result, error: nil)
            } catch {
                self.finish(id, result: nil, error: "the register could not be read: \(error)")
            }
        }
        return id
    }

    /// A job by id.
    func job(_ id: String) -> Job? { jobs[id] }

    /// Waits until the job has finished (tests).
    func wait(_ id: String) async -> Job? {
        while let job = jobs[id], job.running { try? await Task.sleep(for: .milliseconds(20)) }
        return jobs[id]
    }

    private func progress(_ id: String, done: UInt64, total: UInt64) {
        guard var job = jobs[id], job.running else { return }
        job.done = max(job.done, done)
        job.total = total
        jobs[id] = job
    }

    private func finish(_ id: String, result: VerificationResult?, error: String?) {
        guard var job = jobs[id] else { return }
        job.finished = Date()
        job.result = result
        job.error = error
        if let size = result?.report?.size { job.done = size; job.total = size }
        jobs[id] = job
        if current == id { current = nil }
    }
}
