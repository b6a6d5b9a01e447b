import ArgumentParser
import RIPA

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
            let services = try await register.services()
            let invitation = try await services.users.invite(
                userID: userID, name: name, roles: roles, rank: rank, headOfPaidService: headOfPaidService,
                by: try await actor.unlock(services))
            if output.json {
                try Output.json(invitation)
            } else {
                print("Invited \(userID) (\(roles.map(\.rawValue).joined(separator: ", "))) at entry \(invitation.seq)")
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
            let services = try await register.services()
            try UserService.checkCodeForm(code)
            let passphrase = try Passphrase.readNew(file: newPassphraseFile, environment: "RIPA_NEW_PASSPHRASE", prompt: "New passphrase for \(userID): ")
            let accepted = try await services.users.accept(userID: userID, code: code, passphrase: passphrase)
            print("\(userID) accepted the invitation at entry \(accepted.seq); the key is yours alone, sealed under your passphrase")
            if !accepted.registerOpen {
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
            let services = try await register.services()
            let approved = try await services.users.approve(userID, by: try await actor.unlock(services))
            if let pending = approved.awaitingApproval {
                print("Approved at entry \(approved.seq): \(pending.approvals.count) of \(pending.required) approvals for \(userID)'s \(pending.roles.map(\.rawValue).joined(separator: ", "))")
            } else {
                print("Approved at entry \(approved.seq): \(userID) now holds \(approved.roles.map(\.rawValue).joined(separator: ", "))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users and open invitations.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let users = try await register.servicesForReading().users.list()
            if output.json {
                try Output.json(users)
            } else {
                Output.table(
                    ["USER", "NAME", "ROLES", "RANK", "STATUS"],
                    users.map { [$0.userID, $0.name, $0.roles.map(\.rawValue).joined(separator: ","), $0.rank, $0.status] })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one user.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The user id.") var userID: String

        func run() async throws {
            let account = try await register.servicesForReading().users.user(userID)
            if output.json {
                try Output.json(account)
            } else {
                print("User:        \(account.userID)")
                print("Name:        \(TextField.escaped(account.name))")
                print("Rank:        \(TextField.escaped(account.rank))")
                print("Roles:       \(account.roles.map(\.rawValue).joined(separator: ", "))")
                if let pending = account.awaitingApproval {
                    print("Awaiting approval: \(pending.roles.map(\.rawValue).joined(separator: ", ")) (asked by \(pending.requestedBy) at entry \(pending.requestSeq); \(pending.approvals.count) of \(pending.required) approvals)")
                }
                print("Head of paid service: \(account.headOfPaidService ? "yes" : "no")")
                print("Public key:  \(account.publicKey ?? "none yet")")
                print("Invited:     entry \(account.enrolledSeq) by \(account.invitedBy ?? "the register key (founding administrator)")")
                if let accepted = account.acceptedSeq { print("Accepted:    entry \(accepted)") }
                if account.keysReplaced > 0 { print("Keys replaced: \(account.keysReplaced)") }
                print("Status:      \(account.status)")
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
            let services = try await register.services()
            let changed = try await services.users.changeRoles(of: userID, to: roles, by: try await actor.unlock(services))
            print("\(userID) now holds \(changed.roles.map(\.rawValue).joined(separator: ", ")) (entry \(changed.seq))")
            if let pending = changed.awaitingApproval {
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
            let services = try await register.services()
            let revoked = try await services.users.revoke(userID, reason: reason, by: try await actor.unlock(services))
            print("Revoked \(userID) at entry \(revoked.seq)")
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
            let services = try await register.services()
            let me = try await actor.unlock(services)
            let passphrase = try Passphrase.readNew(file: newPassphraseFile, environment: "RIPA_NEW_PASSPHRASE", prompt: "New passphrase: ")
            let changed = try await services.users.changePassphrase(of: me, to: passphrase)
            print("Passphrase changed for \(changed.userID): a new key replaces the old one at entry \(changed.seq)")
        }
    }
}
