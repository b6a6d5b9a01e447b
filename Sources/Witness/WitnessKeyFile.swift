import Foundation
import Ledger
import RIPA

/// A witness's key file: the Go note signer text `PRIVATE+KEY+<name>+<id>+<base64(0x01 ‖ seed)>`
/// (the register key's form), mode 0600. Its cosignature key (type 0x04) is derived from it.
public enum WitnessKeyFile {
    /// Makes a new key named `name` and writes it to `path`, refusing to overwrite a file.
    /// - Returns: the new key.
    /// - Throws: `RIPAError.keyFile` if the file exists or cannot be written; `.badInput` for a bad name.
    public static func create(path: String, name: String) throws(RIPAError) -> NoteSignerKey {
        let key: NoteSignerKey
        do { key = try NoteSignerKey(name: name, signingKey: SigningKey()) } catch {
            throw RIPAError(.badInput, "the witness name \(TextField.escaped(name)) cannot name a key: \(error.message)", reason: .witnessNameInvalid,
                            values: ["name": name])
        }
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw RIPAError(.keyFile, "cannot create the witness key file \(path): \(String(cString: strerror(errno)))", reason: .keyFileExists, values: ["path": path])
        }
        let bytes = Array((key.description + "\n").utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        Foundation.close(fd)
        guard written == bytes.count, synced == 0 else {
            unlink(path)
            throw RIPAError(.keyFile, "cannot write the witness key file \(path)")
        }
        return key
    }

    /// Reads the key at `path`.
    /// - Throws: `RIPAError.keyFile` if it is missing, unreadable or malformed.
    public static func load(path: String) throws(RIPAError) -> NoteSignerKey {
        let text: String
        do { text = try InputFile.text(path, limit: InputLimits.keyFileBytes, what: "witness key file") } catch {
            throw RIPAError(.keyFile, error.message)
        }
        do {
            return try NoteSignerKey(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw RIPAError(.keyFile, "witness key file \(path) is malformed: \(error.message)")
        }
    }
}
