import ArgumentParser
import RIPA

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Adopt and show the policy pack the register enforces.",
        subcommands: [Adopt.self, Show.self])

    struct Adopt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Adopt a policy pack and offence catalogue (a policy.adopted entry with the canonical content and its hash).",
            discussion: "Give the pack file and one or more catalogue files (see Policies/ and Schemas/policy.schema.json). Every later decision is checked against the pack in force when it was taken. A pack below the statute (threshold under 6 months, durations over s.43(3), no judicial approval, urgent oral authorisations) is refused, and its version must be greater than the one in force.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The YAML files: one policy pack and at least one offence catalogue.") var files: [String]

        func run() async throws {
            let policy = try PolicyLoader.load(paths: files)
            let services = try await register.services()
            let adopted = try await services.policy.adopt(policy, readFrom: files, by: try await actor.unlock(services))
            print("Adopted \(adopted.title) version \(adopted.version) (\(adopted.offences) offences) at entry \(adopted.seq)")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the pack in force.")
        @OptionGroup var register: RegisterOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let adopted = try await register.servicesForReading().policy.inForce()
            if output.json {
                try Output.json(adopted)
                return
            }
            let rules = adopted.policy.rules
            print("\(rules.title) — version \(rules.version), adopted at entry \(adopted.seq)")
            print("Hash: \(adopted.hash)")
            print("Time zone: \(rules.timeZone)")
            let threshold = rules.seriousCrimeThreshold
            print("Serious crime threshold: \(threshold.minimumCustodyMonths) months' imprisonment for \(threshold.appliesTo.map(\.title).joined(separator: ", ")); exempt: \(threshold.exemptOffences.joined(separator: ", ")) [\(threshold.source)]")
            for type in AuthorisationType.allCases {
                print("Duration, \(type.title): \(rules.durations[type].months) months [\(rules.durations[type].source)]")
            }
            print("Judicial approval required: \(rules.judicialApproval.required ? "yes" : "no") [\(rules.judicialApproval.source)]")
            print("Urgent oral authorisations: \(rules.urgentOralAuthorisations.allowed ? "allowed" : "not allowed") [\(rules.urgentOralAuthorisations.source)]")
            print("Default review interval: \(rules.reviews.defaultIntervalDays) days [\(rules.reviews.source)]")
            print("Retention: \(rules.retention.years) years [\(rules.retention.source)]")
            let viewing = rules.openSourceViewing
            print("Open-source viewing: \(viewing.unauthorisedViewsAllowed) unauthorised view(s) per profile\(viewing.windowDays.map { " per \($0) days" } ?? "") [\(viewing.source)]")
            print("Confidential information: only the \(rules.confidentialInformation.authoriser.rawValue) may authorise [\(rules.confidentialInformation.source)]")
            print("")
            let rows = try adopted.offenceThresholds().map { [$0.offenceID, $0.citation, $0.maximum, $0.finding?.rawValue ?? "-"] }
            Output.table(["OFFENCE", "STATUTE", "MAXIMUM", "THRESHOLD"], rows)
        }
    }
}
