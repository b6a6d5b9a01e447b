import Foundation
import Yams

/// An application as an investigator writes it, in YAML or JSON (JSON is YAML): the Home
/// Office form's fields (RIPA.md §4) with online identities as plain addresses.
public struct ApplicationForm: Sendable, Hashable, Codable {
    /// A subject as written.
    public struct SubjectForm: Sendable, Hashable, Codable {
        /// Name, or "unknown".
        public var name: String
        /// Postal address.
        public var address: String?
        /// Date of birth.
        public var dateOfBirth: String?
        /// Profile addresses.
        public var onlineIdentities: [String]?
        enum CodingKeys: String, CodingKey { case name, address, dateOfBirth = "date_of_birth", onlineIdentities = "online_identities" }
        /// Makes a subject.
        public init(name: String, address: String? = nil, dateOfBirth: String? = nil, onlineIdentities: [String]? = nil) {
            self.name = name
            self.address = address
            self.dateOfBirth = dateOfBirth
            self.onlineIdentities = onlineIdentities
        }
    }

    public var type: AuthorisationType
    public var operation: String
    public var purpose: String
    public var details: String?
    public var informationSought: String?
    public var subjects: [SubjectForm]
    public var offences: [String]
    public var necessity: String
    public var proportionality: String
    public var collateralIntrusion: String
    public var confidentialInformationLikely: Bool?
    public var team: [String]?
    public var requestedDurationMonths: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, operation, purpose, details, informationSought = "information_sought", subjects, offences, necessity,
            proportionality, collateralIntrusion = "collateral_intrusion",
            confidentialInformationLikely = "confidential_information_likely", team,
            requestedDurationMonths = "requested_duration_months"
    }

    /// Makes a form.
    public init(
        type: AuthorisationType, operation: String, purpose: String, details: String? = nil, informationSought: String? = nil,
        subjects: [SubjectForm], offences: [String], necessity: String, proportionality: String, collateralIntrusion: String,
        confidentialInformationLikely: Bool? = nil, team: [String]? = nil, requestedDurationMonths: Int? = nil
    ) {
        self.type = type
        self.operation = operation
        self.purpose = purpose
        self.details = details
        self.informationSought = informationSought
        self.subjects = subjects
        self.offences = offences
        self.necessity = necessity
        self.proportionality = proportionality
        self.collateralIntrusion = collateralIntrusion
        self.confidentialInformationLikely = confidentialInformationLikely
        self.team = team
        self.requestedDurationMonths = requestedDurationMonths
    }

    /// Reads a form from a YAML or JSON file.
    ///
    /// - Throws: `RIPAError.badInput` naming the file and the field that is missing,
    ///   unknown or of the wrong type.
    public static func read(path: String) throws(RIPAError) -> ApplicationForm {
        let text = try InputFile.text(path, limit: InputLimits.applicationFileBytes, what: "application file")
        let loaded: Node?
        do { loaded = try UserYAML.compose(text) } catch let found as UserYAML.AnchorFound {
            throw RIPAError(.badInput, "application file \(path)\(found.line.map { " line \($0)" } ?? ""): YAML anchors and aliases (& and *) are not accepted; write each value out in full")
        } catch {
            throw RIPAError(.badInput, "application file \(path) is not valid YAML or JSON: \(String(describing: error).split(separator: "\n").joined(separator: " "))")
        }
        guard let loaded, case .mapping(let mapping) = loaded else {
            throw RIPAError(.badInput, "application file \(path) must be a mapping of the form's fields")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = mapping.keys.compactMap(\.string).sorted().first(where: { !known.contains($0) }) {
            throw RIPAError(.badInput, "application file \(path): unknown field '\(TextField.escaped(unknown))'; fields are \(known.sorted().joined(separator: ", "))")
        }
        do {
            return try YAMLDecoder().decode(ApplicationForm.self, from: loaded)
        } catch let error as DecodingError {
            throw RIPAError(.badInput, "application file \(path): \(Self.describe(error))")
        } catch {
            throw RIPAError(.badInput, "application file \(path): \(error)")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = path(context.codingPath)
            return "missing field '\(at.isEmpty ? "" : at + ".")\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field '\(path(context.codingPath))' has the wrong type: \(context.debugDescription)"
        case .dataCorrupted(let context):
            let at = path(context.codingPath)
            if at == "type" || at.hasSuffix(".type") {
                return "unknown type; use \(AuthorisationType.allCases.map(\.rawValue).joined(separator: ", "))"
            }
            return "field '\(at)': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// The application, with every online identity normalised.
    ///
    /// - Throws: `RIPAError.badInput` for an address that names no account.
    public func application() throws(RIPAError) -> Application {
        var subjects: [Subject] = []
        for form in self.subjects {
            var identities: [OnlineIdentity] = []
            for address in form.onlineIdentities ?? [] { identities.append(try OnlineIdentity(address: address)) }
            subjects.append(Subject(name: form.name, address: form.address, dateOfBirth: form.dateOfBirth, onlineIdentities: identities))
        }
        let application = Application(
            type: type, operation: operation, purpose: purpose, details: details ?? "", informationSought: informationSought ?? "",
            subjects: subjects, offences: offences, necessity: necessity, proportionality: proportionality,
            collateralIntrusion: collateralIntrusion, confidentialInformationLikely: confidentialInformationLikely ?? false,
            team: team ?? [], requestedDurationMonths: requestedDurationMonths)
        try application.validate()
        return application
    }
}
