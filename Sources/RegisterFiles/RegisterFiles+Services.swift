import Foundation
import Ledger
import RIPA

/// A register just created in files (`RegisterFiles.create(databasePath:origin:founders:…)`),
/// as `ripa init --json` prints it.
public struct RegisterCreated: Sendable, Hashable, Codable {
    /// Whether it is a test register.
    public var testRegister: Bool
    /// The database.
    public var db: String
    /// The register key file beside it.
    public var keyFile: String
    /// The checkpoint origin.
    public var origin: String
    /// The verifier key, to publish.
    public var verifierKey: String
    /// Each founding administrator's invitation, with its one-time code (shown once).
    public var invitations: [InvitationIssued]

    enum CodingKeys: String, CodingKey {
        case testRegister = "test_register", db, keyFile = "key_file", origin, verifierKey = "verifier_key", invitations
    }
}

/// A founding administrator named at creation; what is not given takes the register's defaults.
public struct Founder: Sendable, Hashable {
    /// The user id.
    public var userID: String
    /// Full name (default: the user id).
    public var name: String?
    /// Rank or grade (default: Administrator).
    public var rank: String?

    /// Names a founder.
    public init(userID: String, name: String? = nil, rank: String? = nil) {
        self.userID = userID
        self.name = name
        self.rank = rank
    }

    var newUser: NewUser {
        NewUser(userID: userID, name: name ?? userID, roles: [.administrator], rank: rank ?? "Administrator")
    }
}

extension RegisterFiles {
    /// Opens an existing register's services (see `open(databasePath:readOnly:clock:)`).
    public static func services(databasePath: String, readOnly: Bool = false, clock: RegisterClock = .system) async throws -> RegisterServices {
        RegisterServices(register: try await open(databasePath: databasePath, readOnly: readOnly, clock: clock))
    }

    /// Creates a register in files (see `create(databasePath:origin:administrators:policy:testRegister:clock:)`)
    /// with the pack read from `policyFiles`, or the shipped `Policies/` pack when none are named.
    ///
    /// - Returns: the new register's services and what was created, to print.
    public static func create(
        databasePath: String, origin: String, founders: [Founder], policyFiles: [String] = [],
        testRegister: Bool = false, clock: RegisterClock = .system
    ) async throws -> (services: RegisterServices, created: RegisterCreated) {
        let files = policyFiles.isEmpty ? try ShippedPolicy.paths() : policyFiles
        let loaded = try PolicyLoader.load(paths: files)
        let (register, verifierKey, invitations) = try await create(
            databasePath: databasePath, origin: origin, administrators: founders.map(\.newUser),
            policy: (loaded, files.map { URL(fileURLWithPath: $0).lastPathComponent }), testRegister: testRegister, clock: clock)
        let created = RegisterCreated(
            testRegister: testRegister, db: databasePath, keyFile: keyFile(databasePath: databasePath).path, origin: origin,
            verifierKey: verifierKey.description, invitations: invitations.map(InvitationIssued.init))
        return (RegisterServices(register: register), created)
    }
}
