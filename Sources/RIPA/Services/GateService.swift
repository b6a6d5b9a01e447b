/// Looking at profiles through the viewing gate.
public struct GateService: Sendable {
    let register: Register
}
