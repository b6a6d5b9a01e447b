import Foundation
import Ledger

/// The policy pack in force and adopting a new one.
public struct PolicyService: Sendable {
    let register: Register

    /// The pack in force, where it was adopted and its hash.
    public func inForce() async throws -> PolicyInForce {
        PolicyInForce(try await register.policyInForce())
    }

    /// Reads a pack and offence catalogues from YAML files (the shipped `Policies/` when none
    /// are named) and adopts it. The statutory floors and the version rule are checked when
    /// the files are read and again inside the append.
    ///
    /// - Throws: `PolicyError` for a pack that does not load or falls below the statute;
    ///   `RIPAError` for an actor who may not adopt.
    public func adopt(files paths: [String], by actor: Actor) async throws -> PolicyAdopted {
        try await adopt(PolicyLoader.load(paths: paths), readFrom: paths, by: actor)
    }

    /// Adopts a pack already read from `paths` (their file names are recorded, for people).
    public func adopt(_ policy: Policy, readFrom paths: [String], by actor: Actor) async throws -> PolicyAdopted {
        try await adopt(policy, files: paths.map { URL(fileURLWithPath: $0).lastPathComponent }, by: actor)
    }

    /// Adopts a pack already read (`policy.adopted`): in force for every later decision.
    ///
    /// - Parameter files: the names it was read from, for people.
    public func adopt(_ policy: Policy, files: [String], by actor: Actor) async throws -> PolicyAdopted {
        let entry = try await register.adopt(policy, files: files, by: actor)
        return PolicyAdopted(
            seq: entry.seq, hash: try PolicyAdoption.hash(of: policy), title: policy.rules.title,
            version: policy.rules.version, offences: policy.offences.offences.count)
    }
}
