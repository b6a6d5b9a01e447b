import Foundation
import Ledger

/// Who an administrator is enrolling (or who `init` invites as a founding administrator).
public struct NewUser: Sendable, Hashable {
    /// The id used with `--as`.
    public var userID: String
    /// Full name.
    public var name: String
    /// Roles.
    public var roles: [Role]
    /// Rank or grade.
    public var rank: String
    /// Head of paid service (chief executive).
    public var headOfPaidService: Bool

    /// Makes a description of a user to enrol.
    public init(userID: String, name: String, roles: [Role], rank: String, headOfPaidService: Bool = false) {
        self.userID = userID
        self.name = name
        self.roles = roles
        self.rank = rank
        self.headOfPaidService = headOfPaidService
    }

    /// Checks the id, name and rank.
    public func validate() throws(RIPAError) {
        try UserID.validate(userID)
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RIPAError(.badInput, "give the user's full name", reason: .inputMissing, values: ["field": "name"])
        }
        guard !roles.isEmpty else { throw RIPAError(.badInput, "give at least one role", reason: .inputMissing, values: ["field": "roles"]) }
        // Single-line text: a line break in a name or rank would forge a row of `user list`
        // or the central record. `Accounts` runs this on every invitation, live and in replay.
        try TextField.check(name, "name")
        try TextField.check(rank, "rank")
    }
}
