import Foundation
import Ledger
import RIPA

/// The data-protection key's file: `register.db` → `register.dpk`, mode 0600, beside the
/// register key file and never inside the database. It seals every case's data key
/// (docs/personal-data.md); whoever holds the database alone reads no personal data, and
/// whoever loses this file loses the personal data of every case (back it up with the
/// register key, separately from the database).
///
/// One line: `ripa-data-protection-key/v1 <base64 of 32 bytes>`.
extension RegisterKeyFile {
    static let dataProtectionPrefix = "ripa-data-protection-key/v1 "

    /// Where the data-protection key lives.
    public var dataProtectionPath: String {
        (path.hasSuffix(".key") ? String(path.dropLast(4)) : path) + ".dpk"
    }

    public func dataProtectionKey() throws -> [UInt8]? {
        let path = dataProtectionPath
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = try? InputFile.bytes(path, limit: 256, what: "data-protection key file"),
              let text = String(validating: data, as: UTF8.self)?.trimmingCharacters(in: .whitespacesAndNewlines),
              text.hasPrefix(Self.dataProtectionPrefix),
              let key = Data(base64Encoded: String(text.dropFirst(Self.dataProtectionPrefix.count))), key.count == SecretBox.keyByteCount
        else {
            throw RIPAError(.keyFile, "data-protection key file \(path) is unreadable or malformed (one line: \(Self.dataProtectionPrefix.trimmingCharacters(in: .whitespaces)) and 32 bytes of base64; mode 0600)")
        }
        return Array(key)
    }

    public func createDataProtectionKey() throws -> [UInt8] {
        let path = dataProtectionPath
        let key = Random.bytes(SecretBox.keyByteCount)
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw RIPAError(.keyFile, "cannot create data-protection key file \(path): \(String(cString: strerror(errno)))")
        }
        let bytes = Array((Self.dataProtectionPrefix + Data(key).base64EncodedString() + "\n").utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0 else {
            unlink(path)
            throw RIPAError(.keyFile, "cannot write data-protection key file \(path)")
        }
        return key
    }
}
