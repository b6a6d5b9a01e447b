import Foundation
import Ledger
import RegisterStorage

/// An inspector's public key (X25519), to which an export bundle seals the data keys of the
/// cases it hands over (`ripa export bundle --for KEY`, docs/bundles.md).
///
/// Text form: `ripa-inspector-v1+<base64 of the 32-byte key>`, one line, which the inspector
/// gives the council; the secret half (`InspectorSecretKey`) never leaves the inspector.
public struct InspectorKey: Sendable, Hashable, CustomStringConvertible {
    static let prefix = "ripa-inspector-v1+"

    /// The raw X25519 public key.
    public let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads the text form (surrounding white space ignored).
    ///
    /// - Throws: `RIPAError.badInput` for anything else.
    public init(parsing text: String) throws(RIPAError) {
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix(Self.prefix), let bytes = Data(base64Encoded: String(line.dropFirst(Self.prefix.count))),
              bytes.count == SealedBox.keyByteCount
        else {
            throw RIPAError(.badInput, "an inspector key is one line '\(Self.prefix)<base64 of 32 bytes>', as a new inspector key pair prints it", reason: "bundle.inspectorKeyMalformed")
        }
        self.bytes = Array(bytes)
    }

    public var description: String { Self.prefix + Data(bytes).base64EncodedString() }
}

/// An inspector's secret key, kept in a file of their own (mode 0600) and given to
/// `ripa verify --bundle FILE --inspector-key FILE` to read the personal data a bundle seals.
///
/// File form: one line `ripa-inspector-secret-v1+<base64 of the 32-byte secret key>`.
public struct InspectorSecretKey: Sendable {
    static let prefix = "ripa-inspector-secret-v1+"

    let secret: [UInt8]
    /// The public half, to give the council.
    public let publicKey: InspectorKey

    /// A new key pair.
    public static func generate() -> InspectorSecretKey {
        let (publicKey, secretKey) = SealedBox.keyPair()
        return InspectorSecretKey(secret: secretKey, publicKey: InspectorKey(bytes: publicKey))
    }

    private init(secret: [UInt8], publicKey: InspectorKey) {
        self.secret = secret
        self.publicKey = publicKey
    }

    /// Reads the file form.
    ///
    /// - Throws: `RIPAError.badInput` for anything else.
    public init(parsing text: String) throws(RIPAError) {
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix(Self.prefix), let bytes = Data(base64Encoded: String(line.dropFirst(Self.prefix.count))),
              let publicKey = SealedBox.publicKey(of: Array(bytes))
        else {
            throw RIPAError(.badInput, "an inspector's secret key file holds one line '\(Self.prefix)<base64 of 32 bytes>', as a new inspector key pair writes it", reason: "bundle.inspectorKeyMalformed")
        }
        self.init(secret: Array(bytes), publicKey: InspectorKey(bytes: publicKey))
    }

    /// The file's text.
    public var fileText: String { Self.prefix + Data(secret).base64EncodedString() + "\n" }
}

/// The data keys a bundle hands to its inspector, as sealed in `inspector-keys.sealed`: bound
/// to the register and the bundle's size, so keys sealed for one bundle cannot be passed off
/// as another's.
struct InspectorKeys: Sendable, Hashable, Codable {
    var origin: String
    var size: UInt64
    /// Data key name → base64 of the 32-byte key.
    var keys: [String: String]

    func sealed(to recipient: InspectorKey) throws -> [UInt8] {
        SealedBox.seal(try JSONValue(encoding: self).canonicalBytes, to: recipient.bytes)
    }

    /// The keys, opened with the inspector's secret key.
    ///
    /// - Throws: `RIPAError.badInput` when the box was not sealed to this key or was altered.
    static func open(_ box: [UInt8], with secret: InspectorSecretKey) throws -> InspectorKeys {
        guard let plain = SealedBox.open(box, publicKey: secret.publicKey.bytes, secretKey: secret.secret),
              let keys = try? JSONValue(parsing: plain).decode(InspectorKeys.self)
        else {
            throw RIPAError(
                .badInput, "the bundle's data keys do not open with this inspector key: the bundle was made for another inspector (\(secret.publicKey) is yours), or its sealed keys were altered",
                reason: "bundle.inspectorKeyWrong")
        }
        return keys
    }

    /// The opened keys, each 32 bytes.
    func opened() throws -> [String: [UInt8]] {
        var opened: [String: [UInt8]] = [:]
        for (name, text) in keys {
            guard let key = Data(base64Encoded: text), key.count == SecretBox.keyByteCount else {
                throw RIPAError(.badInput, "the bundle's data key of \(name) is malformed", reason: "bundle.inspectorKeyWrong")
            }
            opened[name] = Array(key)
        }
        return opened
    }
}
