import ArgumentParser
import Foundation
import Ledger
import RIPA

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply for an authorisation; the serious crime threshold is checked before the application is accepted.",
        discussion: """
            Give the Home Office form's fields as flags, or --file FORM.yaml (YAML or JSON with the
            same fields: type, operation, purpose, details, information_sought, subjects [{name,
            address, date_of_birth, online_identities}], offences, necessity, proportionality,
            collateral_intrusion, confidential_information_likely, team, requested_duration_months).

            Directed surveillance needs at least one offence punishable by 6 months' imprisonment
            or an exempt underage-sales offence (SI 2010/521 art. 7A). An application that fails
            is refused and the refusal recorded (exit status 2). Accepted applications get a URN
            such as DS-2026-0001.

            --online-identity URL attaches to the first subject; write NAME=URL to attach it to
            the subject named NAME.
            """)
    @OptionGroup var register: RegisterOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Read the application from a YAML or JSON file.", valueName: "FILE")) var file: String?
    @Option(help: "directed-surveillance, chis or juvenile-chis.") var type: String?
    @Option(help: "Operation name.") var operation: String?
    @Option(help: "Purpose of the investigation.") var purpose: String?
    @Option(help: "Details of the surveillance and its duration.") var details: String?
    @Option(help: "Information sought.") var informationSought: String?
    @Option(help: ArgumentHelp("A subject's name (repeatable).", valueName: "NAME")) var subject: [String] = []
    @Option(help: ArgumentHelp("A subject's profile address (repeatable; NAME=URL for a named subject).", valueName: "URL")) var onlineIdentity: [String] = []
    @Option(help: ArgumentHelp("An offence's catalogue id (repeatable; `ripa policy show` lists them).", valueName: "ID")) var offence: [String] = []
    @Option(help: "Why the surveillance is necessary.") var necessity: String?
    @Option(help: "Why it is proportionate.") var proportionality: String?
    @Option(help: "Collateral intrusion and how it will be minimised.") var collateralIntrusion: String?
    @Flag(help: "Confidential or journalistic material is likely (only the head of paid service may then authorise).")
    var confidentialInformationLikely = false
    @Option(help: ArgumentHelp("A team member's user id (repeatable; you are always on the team).", valueName: "USER")) var team: [String] = []
    @Option(help: "Requested duration in months, if shorter than the statutory period.") var durationMonths: Int?

    func form() throws -> ApplicationForm {
        if let file {
            // The file is the whole form: a flag beside it would be silently ignored.
            let texts = [type, operation, purpose, details, informationSought, necessity, proportionality, collateralIntrusion]
            let lists = [subject, onlineIdentity, offence, team]
            if texts.contains(where: { $0 != nil }) || lists.contains(where: { !$0.isEmpty }) || confidentialInformationLikely || durationMonths != nil {
                throw RIPAError(.badInput, "give the application either as --file \(file) or as flags, not both: put every field in the file")
            }
            return try ApplicationForm.read(path: file)
        }
        func required(_ value: String?, _ flag: String) throws -> String {
            guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw RIPAError(.badInput, "the application needs --\(flag) (or give --file FORM.yaml)")
            }
            return value
        }
        let typeName = try required(type, "type")
        guard let type = AuthorisationType(rawValue: typeName) else {
            throw RIPAError(.badInput, "unknown type '\(typeName)'; use \(AuthorisationType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard !subject.isEmpty else { throw RIPAError(.badInput, "the application needs at least one --subject NAME (or 'unknown')") }
        var subjects = subject.map { ApplicationForm.SubjectForm(name: $0, onlineIdentities: []) }
        for identity in onlineIdentity {
            var index = 0
            var address = identity
            if let eq = identity.firstIndex(of: "="), !identity[..<eq].contains("/"), !identity[..<eq].contains(":") {
                let name = String(identity[..<eq])
                guard let named = subjects.firstIndex(where: { $0.name == name }) else {
                    throw RIPAError(.badInput, "--online-identity \(identity) names subject '\(name)', who is not among the --subject names")
                }
                index = named
                address = String(identity[identity.index(after: eq)...])
            }
            subjects[index].onlineIdentities!.append(address)
        }
        return ApplicationForm(
            type: type, operation: try required(operation, "operation"), purpose: try required(purpose, "purpose"),
            details: details, informationSought: informationSought, subjects: subjects, offences: offence,
            necessity: try required(necessity, "necessity"), proportionality: try required(proportionality, "proportionality"),
            collateralIntrusion: try required(collateralIntrusion, "collateral-intrusion"),
            confidentialInformationLikely: confidentialInformationLikely, team: team, requestedDurationMonths: durationMonths)
    }

    func run() async throws {
        let application = try form().application()
        let services = try await register.services()
        let result = try await services.casework.apply(application, by: try actor.unlock(services))
        if output.json {
            try Output.json(encoding: result)
        } else if let urn = result.urn {
            print("Accepted \(urn) (entry \(result.seq)): \(result.threshold.summary)")
            print("Next: the monitoring officer decides with `ripa grant \(urn)` or `ripa refuse \(urn)`.")
        } else {
            print("Refused at the serious crime threshold (entry \(result.seq)):")
            for finding in result.threshold.findings {
                print("  \(finding.offenceID): \(finding.statute) \(finding.section), maximum \(finding.maximum.description) — \(finding.reason)")
            }
        }
        if !result.accepted {
            Output.error("application refused: \(result.threshold.summary)")
            throw ExitCode(2)
        }
    }
}
