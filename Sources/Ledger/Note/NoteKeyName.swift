/// Rules shared by note key names and signature lines (C2SP signed-note; Go's `isValidName`).
enum NoteKeyName {
    /// Why `name` cannot be a key name, or nil if it can: it must be non-empty and contain no
    /// whitespace, no `+` (the verifier-key separator) and no control characters.
    static func problem(with name: String) -> String? {
        if name.isEmpty { return "key name is empty" }
        for scalar in name.unicodeScalars {
            if scalar.properties.isWhitespace { return "key name \"\(name)\" contains whitespace" }
            if scalar == "+" { return "key name \"\(name)\" contains '+'" }
            if scalar.value < 0x20 || scalar.value == 0x7F { return "key name contains a control character" }
        }
        return nil
    }

    /// The C2SP key ID: the first 4 bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ key), where `key` is
    /// the algorithm byte followed by the public key.
    static func keyID(name: String, algorithmAndKey: [UInt8]) -> UInt32 {
        var hasher = SHA256()
        hasher.update(Array(name.utf8))
        hasher.update(0x0A as UInt8)
        hasher.update(algorithmAndKey)
        let digest = hasher.finalize().bytes
        return UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
    }

    /// Eight lowercase hex digits.
    static func hex(_ id: UInt32) -> String {
        let s = String(id, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }

    /// Parses exactly eight hex digits (either case, as Go's `strconv.ParseUint(…, 16, 32)` does).
    static func parseHex(_ text: Substring) -> UInt32? {
        guard text.utf8.count == 8, text.utf8.allSatisfy({ $0 < 0x80 && Character(Unicode.Scalar($0)).isHexDigit }) else {
            return nil
        }
        return UInt32(text, radix: 16)
    }

    /// The algorithm byte for Ed25519 keys in C2SP signed-note.
    static let ed25519: UInt8 = 0x01
}
