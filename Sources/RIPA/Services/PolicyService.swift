/// The policy pack in force and adopting a new one.
public struct PolicyService: Sendable {
    let register: Register
}
