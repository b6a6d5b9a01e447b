import Foundation
import Ledger
import Synchronization

/// The verification baseline: libsodium's `crypto_sign_verify_detached` (through
/// `PublicKey.isValidSignature`, which adds nothing but the buffer hand-over) over the
/// register's own entries, with nothing else around it: no reading, parsing, hashing or walking.
enum RawVerify {
    /// One entry's signature check, prepared beforehand so that only the check is timed.
    struct Signed: Sendable {
        let signer: PublicKey
        let signature: [UInt8]
        let message: [UInt8]

        init(_ entry: Entry) {
            signer = entry.signer
            signature = entry.signature
            message = entry.signedMessage
        }
    }

    /// Signatures checked per second of wall clock, with `threads` threads started at once,
    /// each checking its contiguous share of `sample`.
    ///
    /// With one thread per core this is the most a verifier on this machine can reach if it
    /// did nothing but check signatures.
    /// - Throws: `BenchError` if a signature does not verify (the sample must be genuine).
    static func rate(_ sample: [Signed], threads: Int) throws -> Double {
        let failures = Atomic<Int>(0)
        let share = (sample.count + threads - 1) / threads
        let done = DispatchGroup()
        let start = Measure.now()
        for t in 0..<threads {
            let part = sample[min(sample.count, t * share)..<min(sample.count, (t + 1) * share)]
            done.enter()
            Thread {
                for item in part where !item.signer.isValidSignature(item.signature, for: item.message) {
                    failures.add(1, ordering: .relaxed)
                }
                done.leave()
            }.start()
        }
        done.wait()
        let seconds = Measure.now() - start
        guard failures.load(ordering: .relaxed) == 0 else { throw BenchError("a bench entry's signature does not verify") }
        return Double(sample.count) / seconds
    }
}
