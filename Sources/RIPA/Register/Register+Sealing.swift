import Foundation
import Ledger

extension Register {
    /// The Argon2id cost users' keys are sealed at: `moderate` on a real register (an
    /// attacker with a copy of the database pays it for every guess); `interactive` on a
    /// test register, whose keys guard nothing real, so test suites stay fast.
    public var keySealingCost: SealedKey.Cost { Self.keySealingCost(testRegister: isTestRegister) }

    /// The sealing cost for a register that is, or is not, a test register.
    public static func keySealingCost(testRegister: Bool) -> SealedKey.Cost {
        testRegister ? .interactive : .moderate
    }

    /// Checks a new passphrase against `PassphraseRule` and seals `key` under it at the
    /// register's cost: the one path every new passphrase takes (init, enrolment, `user passwd`).
    ///
    /// - Throws: `RIPAError.badInput` for a passphrase the rule refuses.
    public func seal(_ key: SigningKey, passphrase: String, userID: String, name: String?) throws -> SealedKey {
        try Self.seal(key, passphrase: passphrase, userID: userID, name: name, testRegister: isTestRegister)
    }

    /// As `seal(_:passphrase:userID:name:)`, for a register not yet open (`create`).
    static func seal(_ key: SigningKey, passphrase: String, userID: String, name: String?, testRegister: Bool) throws -> SealedKey {
        try PassphraseRule.check(passphrase, userID: userID, name: name)
        return try SealedKey.seal(key, passphrase: passphrase, cost: keySealingCost(testRegister: testRegister))
    }

    /// Refuses a sealed key weaker than the register seals at: on a real register a key below
    /// `moderate` can only have been written in by hand, to make a passphrase cheap to guess.
    func requireSealingCost(_ sealed: SealedKey, userID: String) throws(RIPAError) {
        guard isTestRegister || sealed.meets(keySealingCost) else {
            throw RIPAError(.keyFile, "the sealed key of '\(userID)' is weaker (Argon2id ops=\(sealed.opsLimit), mem=\(sealed.memLimit / 1_048_576) MiB) than this register seals keys at (\(keySealingCost.rawValue)); it was not written by ripa: an administrator must revoke and re-enrol the user")
        }
    }
}
