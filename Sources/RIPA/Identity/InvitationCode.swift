import Ledger

/// The one-time code an invitation gives the person (shown once, to the administrator who
/// enrols them, to hand over): 160 random bits, written as 32 Crockford base32 characters in
/// groups of four.
///
/// Neither the code nor anything that accepts without it is written: the invitation carries
/// `hash` = SHA-256(`proof`), the acceptance carries `proof` = SHA-256 of the code, so
/// `ripa verify` can check that whoever accepted knew the code, and a log reader learns nothing
/// that could accept another invitation.
public struct InvitationCode: Sendable, Hashable, CustomStringConvertible {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    static let length = 32

    /// The code without separators, upper case.
    public let normalised: String

    /// A fresh random code.
    public static func generate() -> InvitationCode {
        let bytes = Random.bytes(20)
        var bits = 0, value = 0
        var text = ""
        for byte in bytes {
            value = (value << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                text.append(alphabet[(value >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        return InvitationCode(normalised: text)
    }

    private init(normalised: String) { self.normalised = normalised }

    /// Reads a code as typed: case, spaces and hyphens do not matter; I and L read as 1, O as 0.
    ///
    /// - Throws: `RIPAError.badInput` for anything that is not a code.
    public init(parsing text: String) throws(RIPAError) {
        var out = ""
        for c in text.uppercased() where c != "-" && c != " " {
            let mapped: Character = switch c { case "I", "L": "1"; case "O": "0"; default: c }
            guard Self.alphabet.contains(mapped) else {
                throw RIPAError(
                    .badInput, "that is not an invitation code: it has '\(c)'; codes are 32 letters and digits in groups of four, as given at the invitation",
                    reason: .userBadCode, values: ["problem": "character"])
            }
            out.append(mapped)
        }
        guard out.count == Self.length else {
            throw RIPAError(
                .badInput, "that is not an invitation code: it has \(out.count) characters, not \(Self.length); copy it exactly as given at the invitation",
                reason: .userBadCode, values: ["problem": "length"])
        }
        normalised = out
    }

    /// Grouped for reading aloud: `ABCD-EFGH-…`.
    public var description: String {
        stride(from: 0, to: normalised.count, by: 4).map { start in
            let from = normalised.index(normalised.startIndex, offsetBy: start)
            return String(normalised[from..<normalised.index(from, offsetBy: 4)])
        }.joined(separator: "-")
    }

    /// What the acceptance carries: lower-case hex SHA-256 of `ripa-invitation-code/v1:` and the code.
    public var proof: String { Hash.sha256(Array("ripa-invitation-code/v1:\(normalised)".utf8)).hex }

    /// What the invitation carries.
    public var hash: String { Self.hash(ofProof: proof) }

    /// The invitation's `code_hash` for an acceptance's `code_proof`.
    public static func hash(ofProof proof: String) -> String { Hash.sha256(Array(proof.utf8)).hex }
}
