import Foundation
import Ledger
import Testing

/// Loads the published test vectors copied into the test bundle (facts, not code; see CONVENTIONS.md).
enum Vectors {
    /// Parses `Vectors/<name>.json` with the library's own strict parser (the files hold no floats).
    static func load(_ name: String) throws -> JSONValue {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors") else {
            throw VectorError("vector file Vectors/\(name).json is missing from the test bundle")
        }
        return try JSONValue(parsing: Array(try Data(contentsOf: url)))
    }

    /// The raw bytes of a vector file, for tests that parse it with Foundation as an independent check.
    static func data(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors") else {
            throw VectorError("vector file Vectors/\(name).json is missing from the test bundle")
        }
        return try Data(contentsOf: url)
    }
}

struct VectorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension JSONValue {
    /// Member access that fails the test with a useful message instead of returning nil.
    func required(_ key: String) throws -> JSONValue {
        guard let value = self[key] else { throw VectorError("vector has no member \"\(key)\"") }
        return value
    }

    func requiredString(_ key: String) throws -> String {
        guard let s = try required(key).stringValue else { throw VectorError("vector member \"\(key)\" is not a string") }
        return s
    }

    func requiredInteger(_ key: String) throws -> Int64 {
        guard let n = try required(key).integerValue else { throw VectorError("vector member \"\(key)\" is not an integer") }
        return n
    }

    func requiredBool(_ key: String) throws -> Bool {
        guard let b = try required(key).boolValue else { throw VectorError("vector member \"\(key)\" is not a Boolean") }
        return b
    }

    func requiredArray(_ key: String) throws -> [JSONValue] {
        guard let a = try required(key).arrayValue else { throw VectorError("vector member \"\(key)\" is not an array") }
        return a
    }
}

/// Hex decoding for vectors written in hex.
func hexBytes(_ text: String) throws -> [UInt8] {
    let chars = Array(text.utf8)
    guard chars.count % 2 == 0 else { throw VectorError("odd-length hex \"\(text)\"") }
    var out: [UInt8] = []
    var i = 0
    while i < chars.count {
        guard let byte = UInt8(String(decoding: chars[i..<(i + 2)], as: UTF8.self), radix: 16) else {
            throw VectorError("bad hex \"\(text)\"")
        }
        out.append(byte)
        i += 2
    }
    return out
}

func hexHash(_ text: String) throws -> Hash {
    guard let hash = Hash(bytes: try hexBytes(text)) else { throw VectorError("\"\(text)\" is not a 32-byte hash") }
    return hash
}

/// The same hash with one bit of one byte flipped.
func flipped(_ hash: Hash, byte: Int = 0) -> Hash {
    var bytes = hash.bytes
    bytes[byte] ^= 0x01
    return Hash(bytes: bytes)!
}

/// Deterministic pseudo-random generator, so property tests are reproducible (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The error a throwing expression threw, as a LedgerError (nil if it did not throw one).
func ledgerError(_ body: () throws -> Void) -> LedgerError? {
    do {
        try body()
        return nil
    } catch let error as LedgerError {
        return error
    } catch {
        return nil
    }
}
