import ArgumentParser
import Foundation
import Ledger
import RIPA
import RegisterFiles

/// `ripa export bundle`: the evidence an IPCO inspector takes away (docs/bundles.md).
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write evidence to take away: an export bundle an inspector verifies offline.",
        subcommands: [BundleExport.self])

    struct BundleExport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bundle",
            abstract: "Write a self-contained bundle (a tar file): every entry, checkpoint and cosignature, the key history, witness policy and packs, the central record (CSV), the annual statistics and a manifest of hashes.",
            discussion: """
                The inspector checks it on their own machine with `ripa verify --bundle FILE
                --replay`, with no database. --since CHECKPOINT-FILE writes only the entries after
                a checkpoint an earlier bundle ended at (its checkpoint.txt); the inspector then
                verifies `--bundle EARLIER --bundle THIS`. --for KEY seals the data keys of the
                cases given by --case (or of every case whose personal data the register still
                holds) to the inspector's key (`ripa inspector-key new` makes one), so the inspector
                reads that personal data and nobody else who gets the bundle can; it is a disclosure,
                so an administrator (--as) records it first, with --purpose, as a data-keys.disclosed
                entry the bundle itself holds. Without --for the bundle holds no personal data
                anyone can read.
                """)
        @OptionGroup var register: RegisterOptions
        @OptionGroup var output: OutputOptions
        @Option(help: ArgumentHelp("Where to write the bundle (replaced if it exists).", valueName: "FILE")) var out: String
        @Option(help: ArgumentHelp("A checkpoint an earlier bundle ended at: write only the entries after it.", valueName: "CHECKPOINT-FILE"))
        var since: String?
        @Option(name: .customLong("for"), help: ArgumentHelp("The inspector's public key (the line, or a file holding it): seal the cases' data keys to it.", valueName: "KEY"))
        var recipient: String?
        @Option(name: .customLong("case"), help: ArgumentHelp("A case whose data key to hand over (a URN, or case:REF); repeat for more. Default: every case still held.", valueName: "URN"))
        var cases: [String] = []
        @Option(help: ArgumentHelp("With --for: why the data keys are handed over, recorded in the register (e.g. \"IPCO inspection, March 2027\").", valueName: "TEXT"))
        var purpose: String?
        @Option(name: .customLong("as"), help: ArgumentHelp("With --for: the administrator who records the disclosure (a data-keys.disclosed entry).", valueName: "USER"))
        var userID: String?
        @Option(help: ArgumentHelp("Read the passphrase from this file (first line) instead of $RIPA_PASSPHRASE or a prompt.", valueName: "FILE"))
        var passphraseFile: String?

        func run() async throws {
            guard recipient != nil || (cases.isEmpty && purpose == nil && userID == nil) else {
                throw RIPAError(.badInput, "--case, --purpose and --as go with --for KEY, which hands data keys to an inspector: give --for KEY too")
            }
            guard recipient == nil || (userID != nil && purpose != nil) else {
                throw RIPAError(.badInput, "--for hands personal data to an inspector, a disclosure recorded in the register: give --as ADMIN and --purpose TEXT (why) too")
            }
            let continuing = try since.map { try InputFile.text($0, limit: InputLimits.checkpointFileBytes, what: "checkpoint file") }
            let key = try recipient.map { text in
                try InspectorKey(parsing: FileManager.default.fileExists(atPath: text) ? InputFile.text(text, limit: 4096, what: "inspector key") : text)
            }
            // Read-only unless a disclosure is to be recorded.
            let services = try await userID == nil ? register.servicesForReading() : register.services()
            var actor: Actor?
            if let userID {
                let passphrase = try Passphrase.read(file: passphraseFile, environment: "RIPA_PASSPHRASE", prompt: "Passphrase for \(userID): ")
                actor = try await services.users.unlock(userID: userID, passphrase: passphrase)
            }
            let bundle = try await services.bundles.export(
                continuing: continuing, for: key, cases: cases, purpose: purpose, disclosedBy: actor, scratch: RegisterFiles.bundleScratch)
            try RegisterFiles.writeBundle(bundle, to: out)
            if output.json { try Output.json(bundle.manifest); return }
            Output.banner(services)
            let manifest = bundle.manifest
            print("Wrote \(out): \(manifest.entriesDescription) of \(manifest.origin), root \(manifest.root), \(bundle.archive.count) bytes")
            if let handed = manifest.handedOverDescription {
                print(handed.prefix(1).uppercased() + handed.dropFirst())
            } else {
                print("No data keys handed over: the personal data in it stays sealed")
            }
            print("Check it offline: ripa verify --bundle \(out) --replay")
        }
    }
}

/// `ripa inspector-key`: an inspector's key pair for bundles that hand over data keys.
struct InspectorKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspector-key",
        abstract: "Make or show an inspector's key for export bundles (`ripa export bundle --for`).",
        subcommands: [New.self, Show.self])

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a key pair: write the secret key to FILE (mode 0600, never replaced) and print the public key to give the council.")
        @Option(help: ArgumentHelp("Where to keep the secret key.", valueName: "FILE")) var out: String

        func run() async throws {
            let key = InspectorSecretKey.generate()
            try RegisterFiles.writeInspectorKey(key, to: out)
            print(key.publicKey)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the public key of a secret key file.")
        @Argument(help: ArgumentHelp("The secret key file.", valueName: "FILE")) var file: String

        func run() async throws {
            print(try InspectorSecretKey(parsing: try InputFile.text(file, limit: 4096, what: "inspector key file")).publicKey)
        }
    }
}

/// Read an export bundle instead of a database (the reading commands).
struct BundleOptions: ParsableArguments {
    @Option(name: .customLong("bundle"), help: ArgumentHelp("Read this export bundle instead of --db (repeat, in order, for incremental ones). It is verified first.", valueName: "FILE"))
    var paths: [String] = []
    @Option(help: ArgumentHelp("With --bundle: your inspector secret key file, to read the personal data sealed to you.", valueName: "FILE"))
    var inspectorKey: String?

    /// The bundles' register once they verify, else (without --bundle) the database's, read-only.
    func servicesForReading(or register: RegisterOptions) async throws -> RegisterServices {
        if let services = try await services() { return services }
        return try await register.servicesForReading()
    }

    /// The bundles' register, once they verify; nil without --bundle.
    func services(replay: Bool = false) async throws -> RegisterServices? {
        guard !paths.isEmpty else {
            if inspectorKey != nil { throw RIPAError(.badInput, "--inspector-key opens an export bundle: give --bundle FILE too") }
            return nil
        }
        let opened = try await RegisterFiles.openBundles(paths: paths, inspectorKeyFile: inspectorKey, replay: replay, clock: RegisterOptions.testClock())
        if let failure = opened.verification.failure {
            throw RIPAError(.badInput, "the bundle does not verify, so it is not read: \(failure)")
        }
        return opened.services
    }
}
