import CSodium

/// A private key sealed under a passphrase, for storage at rest (DESIGN.md "Keys").
///
/// Argon2id (`crypto_pwhash`, `ALG_ARGON2ID13`, the limits of a `Cost`, 16-byte random salt) turns the
/// passphrase into a 32-byte key; XChaCha20-Poly1305-IETF (random 24-byte nonce) seals the 32-byte
/// seed, with the public key as associated data so the public half cannot be swapped unnoticed.
///
/// Text form (one line, fields separated by `$`, which base64 never uses):
/// `ripa-sealed-key/v1$argon2id$ops=<n>$mem=<bytes>$<salt>$<nonce>$<public key>$<ciphertext>`,
/// the last four in standard padded base64. The cost parameters are stored so they can be raised later
/// without breaking old keys.
public struct SealedKey: Sendable, Hashable {
    /// The public key of the sealed private key; readable without the passphrase.
    public let publicKey: PublicKey
    /// Argon2id passes (`opslimit`).
    public let opsLimit: UInt64
    /// Argon2id memory in bytes (`memlimit`).
    public let memLimit: UInt64
    /// The random Argon2id salt (16 bytes).
    public let salt: [UInt8]
    /// The random XChaCha20-Poly1305 nonce (24 bytes).
    public let nonce: [UInt8]
    /// The sealed seed: 32 bytes of ciphertext followed by the 16-byte Poly1305 tag.
    public let ciphertext: [UInt8]

    /// The first field of the text form; a new version gets a new tag.
    public static let formatTag = "ripa-sealed-key/v1"

    private static let saltBytes = Int(crypto_pwhash_SALTBYTES)
    private static let nonceBytes = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    private static let tagBytes = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)
    private static let keyBytes = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    private static let ciphertextBytes = SigningKey.seedByteCount + tagBytes

    /// Limits accepted when reading a sealed key, so a tampered file cannot make `unseal` spend
    /// unbounded time or memory.
    private static let maxOpsLimit: UInt64 = 64
    private static var maxMemLimit: UInt64 { UInt64(crypto_pwhash_memlimit_sensitive()) }

    private init(publicKey: PublicKey, opsLimit: UInt64, memLimit: UInt64, salt: [UInt8], nonce: [UInt8], ciphertext: [UInt8]) {
        self.publicKey = publicKey
        self.opsLimit = opsLimit
        self.memLimit = memLimit
        self.salt = salt
        self.nonce = nonce
        self.ciphertext = ciphertext
    }

    /// How much an Argon2id derivation costs: libsodium's named limits.
    ///
    /// Every guess an attacker holding a copy of the database makes at a passphrase costs one
    /// derivation. A real register seals at `moderate` (3 passes, 256 MiB) or stronger; a
    /// test register may seal at `interactive` (2 passes, 64 MiB) so test suites stay fast.
    public enum Cost: String, Sendable, CaseIterable, Comparable {
        /// `crypto_pwhash_OPSLIMIT_INTERACTIVE` / `MEMLIMIT_INTERACTIVE`: 2 passes, 64 MiB.
        case interactive
        /// `crypto_pwhash_OPSLIMIT_MODERATE` / `MEMLIMIT_MODERATE`: 3 passes, 256 MiB.
        case moderate
        /// `crypto_pwhash_OPSLIMIT_SENSITIVE` / `MEMLIMIT_SENSITIVE`: 4 passes, 1 GiB.
        case sensitive

        /// Argon2id passes.
        public var opsLimit: UInt64 {
            switch self {
            case .interactive: UInt64(crypto_pwhash_opslimit_interactive())
            case .moderate: UInt64(crypto_pwhash_opslimit_moderate())
            case .sensitive: UInt64(crypto_pwhash_opslimit_sensitive())
            }
        }

        /// Argon2id memory in bytes.
        public var memLimit: UInt64 {
            switch self {
            case .interactive: UInt64(crypto_pwhash_memlimit_interactive())
            case .moderate: UInt64(crypto_pwhash_memlimit_moderate())
            case .sensitive: UInt64(crypto_pwhash_memlimit_sensitive())
            }
        }

        public static func < (a: Cost, b: Cost) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// Whether this key was sealed at `cost` or more: both its passes and its memory at
    /// least the cost's. A key below the register's cost was not written by the tool.
    public func meets(_ cost: Cost) -> Bool {
        opsLimit >= cost.opsLimit && memLimit >= cost.memLimit
    }

    /// Seals `key` under `passphrase` with fresh random salt and nonce and the Argon2id limits of `cost`.
    /// - Throws: ``LedgerError/Code/cryptoFailure`` if libsodium cannot derive the key (out of memory).
    public static func seal(_ key: SigningKey, passphrase: String, cost: Cost) throws(LedgerError) -> SealedKey {
        Sodium.ensureInitialised()
        let ops = cost.opsLimit
        let mem = cost.memLimit
        let salt = Random.bytes(saltBytes)
        let nonce = Random.bytes(nonceBytes)
        let derived = try deriveKey(passphrase: passphrase, salt: salt, opsLimit: ops, memLimit: mem)
        var ciphertext = [UInt8](repeating: 0, count: ciphertextBytes)
        var length: UInt64 = 0
        let seed = key.seed
        let ad = key.publicKey.bytes
        let rc = crypto_aead_xchacha20poly1305_ietf_encrypt(
            &ciphertext, &length, seed, UInt64(seed.count), ad, UInt64(ad.count), nil, nonce, derived)
        guard rc == 0, length == UInt64(ciphertextBytes) else {
            throw LedgerError(.cryptoFailure, "libsodium failed to seal the key")
        }
        return SealedKey(publicKey: key.publicKey, opsLimit: ops, memLimit: mem, salt: salt, nonce: nonce, ciphertext: ciphertext)
    }

    /// Opens the sealed key with `passphrase`.
    /// - Throws: ``LedgerError/Code/wrongPassphrase`` if the passphrase is wrong (or the sealed text was
    ///   altered), ``LedgerError/Code/malformedSealedKey`` if the seed does not match the stored public key,
    ///   ``LedgerError/Code/cryptoFailure`` if key derivation runs out of memory.
    public func unseal(passphrase: String) throws(LedgerError) -> SigningKey {
        let derived = try Self.deriveKey(passphrase: passphrase, salt: salt, opsLimit: opsLimit, memLimit: memLimit)
        var seed = [UInt8](repeating: 0, count: SigningKey.seedByteCount)
        var length: UInt64 = 0
        let ad = publicKey.bytes
        let rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
            &seed, &length, nil, ciphertext, UInt64(ciphertext.count), ad, UInt64(ad.count), nonce, derived)
        // Authentication failure cannot tell a wrong passphrase from tampering; the passphrase is far
        // more likely, and the message says so.
        guard rc == 0, length == UInt64(SigningKey.seedByteCount) else {
            throw LedgerError(.wrongPassphrase, "wrong passphrase")
        }
        let key = try SigningKey(seed: seed)
        guard key.publicKey == publicKey else {
            throw LedgerError(.malformedSealedKey, "sealed key is inconsistent: its seed does not give its public key")
        }
        return key
    }

    private static func deriveKey(passphrase: String, salt: [UInt8], opsLimit: UInt64, memLimit: UInt64) throws(LedgerError) -> [UInt8] {
        Sodium.ensureInitialised()
        var key = [UInt8](repeating: 0, count: keyBytes)
        // Swift passes the String's UTF-8 (NUL-terminated) and we pass its exact length, so any
        // passphrase, even one containing NUL, is hashed as its UTF-8 bytes.
        let rc = crypto_pwhash(
            &key, UInt64(keyBytes), passphrase, UInt64(passphrase.utf8.count), salt,
            opsLimit, Int(memLimit), crypto_pwhash_alg_argon2id13())
        guard rc == 0 else {
            throw LedgerError(.cryptoFailure, "Argon2id key derivation failed (out of memory? it needs \(memLimit / 1_048_576) MiB)")
        }
        return key
    }

    /// The one-line text form described on the type.
    public var serialized: String {
        [
            Self.formatTag, "argon2id", "ops=\(opsLimit)", "mem=\(memLimit)",
            Base64.encode(salt), Base64.encode(nonce), publicKey.base64, Base64.encode(ciphertext),
        ].joined(separator: "$")
    }

    /// Parses the text form (surrounding whitespace, such as a trailing newline in a file, is ignored).
    /// - Throws: ``LedgerError/Code/malformedSealedKey`` saying which field is wrong.
    public init(serialized: String) throws(LedgerError) {
        func bad(_ what: String) -> LedgerError {
            LedgerError(.malformedSealedKey, "sealed key is damaged: \(what)")
        }
        let trimmed = serialized.trimmingASCIIWhitespace()
        let fields = trimmed.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard fields.first == Self.formatTag else {
            throw LedgerError(.malformedSealedKey, "not a sealed key: expected text starting \"\(Self.formatTag)$\"")
        }
        guard fields.count == 8 else { throw bad("expected 8 '$'-separated fields, found \(fields.count)") }
        guard fields[1] == "argon2id" else { throw bad("unknown key-derivation algorithm \"\(fields[1])\"") }
        guard fields[2].hasPrefix("ops="), let ops = UInt64(fields[2].dropFirst(4)),
              ops >= UInt64(crypto_pwhash_opslimit_min()), ops <= Self.maxOpsLimit
        else { throw bad("invalid \"ops=\" field") }
        guard fields[3].hasPrefix("mem="), let mem = UInt64(fields[3].dropFirst(4)),
              mem >= UInt64(crypto_pwhash_memlimit_min()), mem <= Self.maxMemLimit
        else { throw bad("invalid \"mem=\" field") }
        guard let salt = Base64.decode(fields[4]), salt.count == Self.saltBytes else {
            throw bad("salt is not base64 of \(Self.saltBytes) bytes")
        }
        guard let nonce = Base64.decode(fields[5]), nonce.count == Self.nonceBytes else {
            throw bad("nonce is not base64 of \(Self.nonceBytes) bytes")
        }
        guard let pk = Base64.decode(fields[6]), let publicKey = try? PublicKey(bytes: pk) else {
            throw bad("public key is not base64 of 32 bytes")
        }
        guard let ciphertext = Base64.decode(fields[7]), ciphertext.count == Self.ciphertextBytes else {
            throw bad("ciphertext is not base64 of \(Self.ciphertextBytes) bytes")
        }
        self.init(publicKey: publicKey, opsLimit: ops, memLimit: mem, salt: salt, nonce: nonce, ciphertext: ciphertext)
    }
}

extension String {
    /// Drops leading and trailing spaces, tabs, CR and LF without Foundation.
    fileprivate func trimmingASCIIWhitespace() -> String {
        let isSpace = { (c: Character) in c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
