import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// How the register reaches a witness: one `POST <prefix>/add-checkpoint` (C2SP tlog-witness).
/// A protocol so tests can stand a witness in without a network.
public protocol WitnessClient: Sendable {
    /// Posts `body` to `<prefix>/add-checkpoint` and returns the status and body, or throws
    /// `WitnessClientError` if no answer came within `timeout`.
    func addCheckpoint(prefix: String, body: [UInt8], timeout: Duration) async throws -> (status: Int, body: [UInt8])
}

/// Why a witness gave no HTTP answer.
public struct WitnessClientError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in a few words ("did not answer within 5 s", "connection refused").
    public let description: String
}

/// The HTTP client (Foundation's URLSession): keep-alive connections, a per-request timeout.
public struct HTTPWitnessClient: WitnessClient {
    /// A client.
    public init() {}

    /// The most bytes read of an answer: a few signature lines.
    static let maximumAnswer = 64 * 1024

    public func addCheckpoint(prefix: String, body: [UInt8], timeout: Duration) async throws -> (status: Int, body: [UInt8]) {
        let trimmed = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        guard let url = URL(string: trimmed + "/add-checkpoint"), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw WitnessClientError(description: "\(prefix) is not an http(s) URL")
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        var built = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: seconds)
        built.httpMethod = "POST"
        built.httpBody = Data(body)
        built.setValue("text/plain; charset=utf-8", forHTTPHeaderField: "Content-Type")
        let request = built
        // Raced with a timer as well: a witness that accepts the connection and then says
        // nothing must not hold the register's sync past its timeout, whatever URLSession does.
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(status: Int, body: [UInt8]), any Error>) in
            let once = ResumeOnce(continuation)
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = seconds
            configuration.timeoutIntervalForResource = seconds
            let session = URLSession(configuration: configuration)
            let task = session.dataTask(with: request) { data, response, error in
                if let error {
                    let text = (error as NSError).code == NSURLErrorTimedOut
                        ? "did not answer within \(Int(seconds.rounded())) s" : error.localizedDescription
                    once.resume(with: .failure(WitnessClientError(description: text)))
                } else if let http = response as? HTTPURLResponse {
                    once.resume(with: .success((http.statusCode, Array((data ?? Data()).prefix(Self.maximumAnswer)))))
                } else {
                    once.resume(with: .failure(WitnessClientError(description: "gave no HTTP answer")))
                }
                session.finishTasksAndInvalidate()
            }
            task.resume()
            Task {
                try? await Task.sleep(for: timeout + .milliseconds(250))
                if once.resume(with: .failure(WitnessClientError(description: "did not answer within \(Int(seconds.rounded())) s"))) {
                    task.cancel()
                    session.invalidateAndCancel()
                }
            }
        }
    }
}

/// Resumes a continuation once, from whichever of the answer and the timer comes first.
final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = Mutex(continuation)
    }

    /// Resumes if nobody has; returns whether this call did.
    @discardableResult
    func resume(with result: Result<T, any Error>) -> Bool {
        guard let continuation = continuation.withLock({ value in defer { value = nil }; return value }) else { return false }
        continuation.resume(with: result)
        return true
    }
}
