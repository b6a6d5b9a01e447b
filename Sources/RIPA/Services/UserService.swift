/// People, their roles and keys, and the register key.
public struct UserService: Sendable {
    let register: Register
}
