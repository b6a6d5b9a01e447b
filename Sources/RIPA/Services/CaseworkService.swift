/// Applications and the decisions on them (RIPA ss.28-32A, 43-45).
public struct CaseworkService: Sendable {
    let register: Register
}
