import Foundation
import Ledger
import RegisterStore

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

extension Register {
    /// One warning for each of the database and the key file that group or others can read
    /// (or write): the database holds every user's sealed key, open to an offline guess at
    /// their passphrase; the key file signs checkpoints. Both should be mode 0600.
    public func looseFileModes() -> [String] {
        [(store.path, "database"), (keyFile.path, "register key file")].compactMap { path, what in
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & 0o077 != 0 else { return nil }
            let mode = String(info.st_mode & 0o777, radix: 8)
            return "the \(what) \(path) is mode \(mode), readable by others: run chmod 600 \(path)"
        }
    }
}
