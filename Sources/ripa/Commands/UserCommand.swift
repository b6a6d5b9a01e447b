import ArgumentParser
import Ledger
import RIPA
import RegisterStore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Enrol, list, show, change and revoke users.",
        subcommands: [Add.self, List.self, Show.self, Roles.self, Revoke.self, Passwd.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enrol a user (a user.enrolled entry signed by an administrator).",
            discussion: "The new user's passphrase comes from --new-passphrase-file, $RIPA_NEW_PASSPHRASE, or is asked for twice.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The new user's id (lower-case letters, digits, . _ -).") var userID: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Comma-separated roles: investigator, monitoring-officer, administrator, auditor.") var roles: String
        @Option(help: "Rank or grade (the central record names the authorising officer's rank).") var rank: String
        @Flag(help: "The head of paid service (chief executive): may authorise where confidential information is likely.")
        var headOfPaidService = false
        @Option(help: ArgumentHelp("Read the new user's passphrase from this file.", valueName: "FILE")) var newPassphraseFile: String?

        func run() async throws {
            let roles = try Role.parseList(roles)
            let register = try register.open()
            let admin = try actor.unlock(register)
            // Refuse a user without the role before asking for the new user's passphrase.
            guard EntryKind.userEnrolled.permits(roles: admin.roles) else {
                throw RIPAError(.notPermitted, "\(admin.user.userID) may not enrol users: \(EntryKind.userEnrolled.rawValue) needs \(EntryKind.userEnrolled.rolesText)")
            }
            let passphrase = try Passphrase.readNew(file: newPassphraseFile, environment: "RIPA_NEW_PASSPHRASE", prompt: "New passphrase for \(userID): ")
            let entry = try register.enrol(
                NewUser(userID: userID, name: name, roles: roles, rank: rank, headOfPaidService: headOfPaidService),
                passphrase: passphrase, by: admin)
            print("Enrolled \(userID) (\(roles.map(\.rawValue).joined(separator: ", "))) at entry \(entry.seq)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let users = try register.open().store.read { try $0.users() }
            if output.json {
                Output.json(.array(users.map(UserCommand.json)))
            } else {
                Output.table(
                    ["USER", "NAME", "ROLES", "RANK", "STATUS"],
                    users.map { [$0.userID, $0.name, $0.roles.joined(separator: ","), $0.rank, $0.isActive ? "active" : "revoked at \($0.revokedSeq!)"] })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one user.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The user id.") var userID: String

        func run() async throws {
            guard let user = try register.open().store.read({ try $0.user(id: userID) }) else {
                throw RIPAError(.unknownUser, "no user '\(userID)' is enrolled; `ripa user list` shows who is")
            }
            if output.json {
                Output.json(UserCommand.json(user))
            } else {
                print("User:        \(user.userID)")
                print("Name:        \(TextField.escaped(user.name))")
                print("Rank:        \(TextField.escaped(user.rank))")
                print("Roles:       \(user.roles.joined(separator: ", "))")
                print("Head of paid service: \(user.headOfPaidService ? "yes" : "no")")
                print("Public key:  \(user.publicKey.base64)")
                print("Enrolled:    entry \(user.enrolledSeq)")
                print("Status:      \(user.isActive ? "active" : "revoked at entry \(user.revokedSeq!)")")
            }
        }
    }

    struct Roles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a user's roles (user.roles-changed). Administrators cannot change their own.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The user id.") var userID: String
        @Option(help: "The full new comma-separated list of roles.") var roles: String

        func run() async throws {
            let roles = try Role.parseList(roles)
            let register = try register.open()
            let entry = try register.changeRoles(of: userID, to: roles, by: try actor.unlock(register))
            print("\(userID) now holds \(roles.map(\.rawValue).joined(separator: ", ")) (entry \(entry.seq))")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a user (user.revoked): they can sign nothing more.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The user id.") var userID: String
        @Option(help: "Why.") var reason: String

        func run() async throws {
            let register = try register.open()
            let entry = try register.revoke(userID, reason: reason, by: try actor.unlock(register))
            print("Revoked \(userID) at entry \(entry.seq)")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change your passphrase (re-seals your key; no entry is written).",
            discussion: "The new passphrase comes from --new-passphrase-file, $RIPA_NEW_PASSPHRASE, or is asked for twice.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("Read the new passphrase from this file.", valueName: "FILE")) var newPassphraseFile: String?

        func run() async throws {
            let register = try register.open()
            let me = try actor.unlock(register)
            let passphrase = try Passphrase.readNew(file: newPassphraseFile, environment: "RIPA_NEW_PASSPHRASE", prompt: "New passphrase: ")
            try register.changePassphrase(of: me, to: passphrase)
            print("Passphrase changed for \(me.user.userID)")
        }
    }

    static func json(_ user: UserRecord) -> JSONValue {
        [
            "user_id": .string(user.userID), "name": .string(user.name),
            "roles": .array(user.roles.map { .string($0) }), "rank": .string(user.rank),
            "head_of_paid_service": .bool(user.headOfPaidService), "public_key": .string(user.publicKey.base64),
            "enrolled_seq": .integer(Int64(user.enrolledSeq)),
            "revoked_seq": user.revokedSeq.map { .integer(Int64($0)) } ?? .null,
        ]
    }
}
