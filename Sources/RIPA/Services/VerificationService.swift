/// Checking the register: verify, replay, rebuild, the log, checkpoints and proofs.
public struct VerificationService: Sendable {
    let register: Register
}
