import ArgumentParser
import Ledger
import RIPA
import RegisterStorage

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Invite, accept, approve, list, show, change and revoke users; change your passphrase.",
        subcommands: [Add.self, Accept.self, Approve.self, List.self, Show.self, Roles.self, Revoke.self, Passwd.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enrol a person: a user.invited entry and a one-time code, shown once, to hand to them.",
            discussion: """
                The person accepts with `ripa user accept ID --code CODE`, choosing their own passphrase:
                their key is made then, so no administrator ever knows it. Until then they can sign
                nothing. The code is valid for the pack's two_person_control.invitation_days (7).
                A privileged role (monitoring-officer, administrator) takes effect only once another
                administrator approves it (`ripa user approve ID --as OTHER-ADMIN`).
                """)
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The new user's id (lower-case letters, digits, . _ -).") var userID: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Comma-separated roles: investigator, monitoring-officer, administrator, auditor.") var roles: String
        @Option(help: "Rank or grade (the central record names the authorising officer's rank).") var rank: String
        @Flag(help: "The head of paid service (chief executive): may authorise where confidential information is likely.")
        var headOfPaidService = false

        func run() async throws {
            let roles = try Role.parseList(roles)
            let register = try await register.open()
            let admin = try await actor.unlock(register)
            let invitation = try await register.invite(
                NewUser(userID: userID, name: name, roles: roles, rank: rank, headOfPaidService: headOfPaidService), by: admin)
            if output.json {
                Output.json(UserCommand.json(invitation))
            } else {
                print("Invited \(userID) (\(roles.map(\.rawValue).joined(separator: ", "))) at entry \(invitation.entry.seq)")
                print("One-time code (shown once; hand it to \(userID) only): \(invitation.code)")
                print("Valid until \(invitation.expiresAt). They accept with: ripa user accept \(userID) --code \(invitation.code)")
                if !invitation.awaitingApproval.isEmpty {
                    print("\(invitation.awaitingApproval.map(\.rawValue).joined(separator: ", ")) awaits another administrator's approval: ripa user approve \(userID) --as OTHER-ADMIN")
                }
            }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept your invitation: makes your key, seals it under your new passphrase (user.accepted, signed by that key).",
            discussion: "Your new passphrase comes from --new-passphrase-file, $RIPA_NEW_PASSPHRASE, or is asked for twice.")
        @OptionGroup var register: RegisterOptions
        @Argument(help: "Your user id.") var userID: String
        @Option(help: "The one-time code the administrator gave you.") var code: String
        @Option(help: ArgumentHelp("Read your new passphrase from this file.", valueName: "FILE")) var newPassphraseFile: String?

        func run() async throws {
            let register = try await register.open()
            _ = try InvitationCode(parsing: code)
            let passphrase = try Passphrase.readNew(file: newPassphraseFile, environment: "RIPA_NEW_PASSPHRASE", prompt: "New passphrase for \(userID): ")
            let entry = try await register.acceptInvitation(userID: userID, code: code, passphrase: passphrase)
            print("\(userID) accepted the invitation at entry \(entry.seq); the key is yours alone, sealed under your passphrase")
            if try await !register.isOpen() {
                print("The register opens once every founding administrator has accepted.")
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a user's privileged roles awaiting approval (user.approved): two-person control.",
            discussion: "Only an administrator other than the one who asked, and other than the person, may approve.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The user id.") var userID: String

        func run() async throws {
            let register = try await register.open()
            let (entry, account) = try await register.approve(userID, by: try actor.unlock(register))
            if let pending = account.pending {
                print("Approved at entry \(entry.seq): \(pending.approvals.count) of \(pending.required) approvals for \(userID)'s \(pending.roles.map(\.rawValue).joined(separator: ", "))")
            } else {
                print("Approved at entry \(entry.seq): \(userID) now holds \(account.roles.map(\.rawValue).joined(separator: ", "))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users and open invitations.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let register = try await register.openForReading()
            let (accounts, open) = await (try register.accounts(), try register.isOpen())
            let now = register.clock()
            if output.json {
                Output.json(.array(accounts.map { UserCommand.json($0, open: open, at: now) }))
            } else {
                Output.table(
                    ["USER", "NAME", "ROLES", "RANK", "STATUS"],
                    accounts.map { [$0.userID, $0.name, $0.roles.map(\.rawValue).joined(separator: ","), $0.rank, $0.status(registerOpen: open, at: now)] })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one user.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The user id.") var userID: String

        func run() async throws {
            let register = try await register.openForReading()
            guard let account = try await register.accounts().first(where: { $0.userID == userID }) else {
                throw RIPAError(.unknownUser, "no user '\(userID)' is enrolled", reason: .userUnknown, values: ["user_id": userID])
            }
            let open = try await register.isOpen()
            if output.json {
                Output.json(UserCommand.json(account, open: open, at: register.clock()))
            } else {
                print("User:        \(account.userID)")
                print("Name:        \(TextField.escaped(account.name))")
                print("Rank:        \(TextField.escaped(account.rank))")
                print("Roles:       \(account.roles.map(\.rawValue).joined(separator: ", "))")
                if let pending = account.pending {
                    print("Awaiting approval: \(pending.roles.map(\.rawValue).joined(separator: ", ")) (asked by \(pending.requestedBy) at entry \(pending.seq); \(pending.approvals.count) of \(pending.required) approvals)")
                }
                print("Head of paid service: \(account.headOfPaidService ? "yes" : "no")")
                print("Public key:  \(account.publicKey ?? "none yet")")
                print("Invited:     entry \(account.invitedSeq) by \(account.invitedBy ?? "the register key (founding administrator)")")
                if let accepted = account.acceptedSeq { print("Accepted:    entry \(accepted)") }
                if !account.retiredKeys.isEmpty { print("Keys replaced: \(account.retiredKeys.count)") }
                print("Status:      \(account.status(registerOpen: open, at: register.clock()))")
            }
        }
    }

    struct Roles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a user's roles (user.roles-changed). Administrators cannot change their own.",
            discussion: "A privileged role (monitoring-officer, administrator) not already held takes effect only once another administrator approves it.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The user id.") var userID: String
        @Option(help: "The full new comma-separated list of roles.") var roles: String

        func run() async throws {
            let roles = try Role.parseList(roles)
            let register = try await register.open()
            let (entry, account) = try await register.changeRoles(of: userID, to: roles, by: try actor.unlock(register))
            let held = account?.roles ?? roles
            print("\(userID) now holds \(held.map(\.rawValue).joined(separator: ", ")) (entry \(entry.seq))")
            if let pending = account?.pending {
                print("\(pending.roles.map(\.rawValue).joined(separator: ", ")) awaits another administrator's approval: ripa user approve \(userID) --as OTHER-ADMIN")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a user, or withdraw an unaccepted invitation (user.revoked): they can sign nothing more.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The user id.") var userID: String
        @Option(help: "Why.") var reason: String

        func run() async throws {
            let register = try await register.open()
            let entry = try await register.revoke(userID, reason: reason, by: try actor.unlock(register))
            print("Revoked \(userID) at entry \(entry.seq)")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change your passphrase: replaces your key (user.key-replaced, signed by the old key); the old key signs nothing after.",
            discussion: "The new passphrase comes from --new-passphrase-file, $RIPA_NEW_PASSPHRASE, or is asked for twice.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @Option(help: ArgumentHelp("Read the new passphrase from this file.", valueName: "FILE")) var newPassphraseFile: String?

        func run() async throws {
            let register = try await register.open()
            let me = try await actor.unlock(register)
            let passphrase = try Passphrase.readNew(file: newPassphraseFile, environment: "RIPA_NEW_PASSPHRASE", prompt: "New passphrase: ")
            let entry = try await register.changePassphrase(of: me, to: passphrase)
            print("Passphrase changed for \(me.user.userID): a new key replaces the old one at entry \(entry.seq)")
        }
    }

    static func json(_ invitation: IssuedInvitation) -> JSONValue {
        [
            "user_id": .string(invitation.userID), "code": .string(invitation.code.description),
            "expires_at": .string(invitation.expiresAt.description), "seq": .integer(Int64(invitation.entry.seq)),
            "awaiting_approval": .array(invitation.awaitingApproval.map { .string($0.rawValue) }),
        ]
    }

    static func json(_ account: Account, open: Bool, at time: EntryTime) -> JSONValue {
        [
            "user_id": .string(account.userID), "name": .string(account.name),
            "roles": .array(account.roles.map { .string($0.rawValue) }), "rank": .string(account.rank),
            "head_of_paid_service": .bool(account.headOfPaidService),
            "public_key": account.publicKey.map { .string($0) } ?? .null,
            "enrolled_seq": .integer(Int64(account.invitedSeq)),
            "invited_by": account.invitedBy.map { .string($0) } ?? .null,
            "accepted_seq": account.acceptedSeq.map { .integer(Int64($0)) } ?? .null,
            "revoked_seq": account.revokedSeq.map { .integer(Int64($0)) } ?? .null,
            "awaiting_approval": account.pending.map { pending in
                ["roles": .array(pending.roles.map { .string($0.rawValue) }), "requested_by": .string(pending.requestedBy),
                 "request_seq": .integer(Int64(pending.seq)), "approvals": .array(pending.approvals.map { .string($0) }),
                 "required": .integer(Int64(pending.required))]
            } ?? .null,
            "keys_replaced": .integer(Int64(account.retiredKeys.count)),
            "status": .string(account.status(registerOpen: open, at: time)),
        ]
    }
}
