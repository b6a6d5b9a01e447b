import Foundation
/// The roles a user can hold (DESIGN.md "Users"; RIPA.md §3).
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    /// Applies for authorisations and records views of profiles.
    case investigator
    /// The authorising officer in RIPA's terms: grants, refuses, reviews, renews, cancels.
    case monitoringOfficer = "monitoring-officer"
    /// Enrols and revokes users, adopts policy, rotates the register key.
    case administrator
    /// Verifies integrity and compliance; writes nothing.
    case auditor

    /// Whether granting the role needs a second administrator's approval (two-person control,
    /// RIPA.md §3): the authorising officer's role and the administrator's, which between them
    /// could run a case or make accounts alone.
    public var isPrivileged: Bool { self == .monitoringOfficer || self == .administrator }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses a comma-separated list such as `investigator,auditor`.
    ///
    /// - Throws: `RIPAError.badInput` naming the unknown role and the known ones.
    public static func parseList(_ text: String) throws(RIPAError) -> [Role] {
        var roles: [Role] = []
        for part in text.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let role = Role(rawValue: name) else {
                throw RIPAError(.badInput, "unknown role '\(name)'; roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !roles.contains(role) { roles.append(role) }
        }
        guard !roles.isEmpty else {
            throw RIPAError(.badInput, "give at least one role: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return roles.sorted()
    }
}
