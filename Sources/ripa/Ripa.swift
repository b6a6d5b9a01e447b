import ArgumentParser

/// `ripa`: the command-line front of the register. Thin: parse, call the RIPA library, print.
@main
struct Ripa: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ripa",
        abstract: "The RIPA register: an append-only, signed record of covert surveillance authorisations and profile views.",
        discussion: """
            Every write is an Ed25519-signed entry in a hash-chained log, published as signed
            RFC 6962 checkpoints an auditor can verify with the register's public key alone.

            The database is --db (default $RIPA_DB, else ./register.db); the register key lives
            beside it (register.key, mode 0600). Writers act --as USER and unlock their key with
            a passphrase from --passphrase-file, $RIPA_PASSPHRASE, or a terminal prompt.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, UserCommand.self, KeyCommand.self, PolicyCommand.self,
            ApplyCommand.self, GrantCommand.self, RefuseCommand.self, JudicialCommand.self, ReviewCommand.self,
            RenewCommand.self, CancelCommand.self, StatusCommand.self, DueCommand.self, RecordCommand.self,
            ViewCommand.self, ViewsCommand.self, AliasCommand.self, AliasesCommand.self, DocumentCommand.self, RebuildCommand.self,
            LogCommand.self, CheckpointCommand.self, InfoCommand.self, ProofCommand.self, VerifyCommand.self,
        ]
    )
}
