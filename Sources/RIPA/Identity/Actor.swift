import Ledger
import RegisterStorage

/// A user who has unlocked their key and may sign entries as themselves.
public struct Actor: Sendable {
    /// The user, as enrolled.
    public let user: UserRecord
    /// Their unsealed signing key.
    public let key: SigningKey

    /// Makes an actor from a user and their key.
    public init(user: UserRecord, key: SigningKey) {
        self.user = user
        self.key = key
    }

    /// The id the user acts under (`--as`).
    public var userID: String { user.userID }
    /// The user's full name.
    public var name: String { user.name }

    /// The user's roles, typed.
    public var roles: [Role] { user.roles.compactMap(Role.init(rawValue:)) }

    /// Whether the user holds the role.
    public func holds(_ role: Role) -> Bool { roles.contains(role) }
}
