import Foundation
/// Rules for user ids: short, lower-case, unambiguous in logs and on the command line.
public enum UserID {
    /// Checks a user id: 1–32 characters from a–z, 0–9, `.`, `_`, `-`, starting with a letter.
    ///
    /// - Throws: `RIPAError.badInput` saying what is allowed.
    public static func validate(_ id: String) throws(RIPAError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (1...32).contains(id.count), let first = id.first, first.isLetter, first.isLowercase,
              id.allSatisfy({ allowed.contains($0) })
        else {
            throw RIPAError(.badInput, "user id '\(id)' is not allowed: use 1-32 lower-case letters, digits, '.', '_' or '-', starting with a letter")
        }
    }
}
