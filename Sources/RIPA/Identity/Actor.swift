import Ledger
import RegisterStorage

/// A user who has unlocked their key and may sign entries as themselves.
public struct Actor: Sendable {
    /// The user, as enrolled.
    public let user: UserRecord
    /// Their unsealed signing key.
    public let key: SigningKey
    /// When the user last proved their passphrase: the moment `Register.unlock` unsealed this
    /// key (the CLI's unlock with the passphrase just typed, the web's sign-in or step-up), on
    /// the register's clock. Every decision that commits the authority records it as
    /// `authenticated_at` (`SignerAuthentication`), so a key unsealed in the morning and left
    /// in memory cannot sign a grant in the afternoon. `nil` for an actor made by hand: such an
    /// actor signs no decision.
    public let authenticatedAt: EntryTime?

    /// Makes an actor from a user, their key and when they gave their passphrase.
    public init(user: UserRecord, key: SigningKey, authenticatedAt: EntryTime? = nil) {
        self.user = user
        self.key = key
        self.authenticatedAt = authenticatedAt
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
