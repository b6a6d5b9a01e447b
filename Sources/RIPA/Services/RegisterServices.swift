/// The register's application services: the one API every front end (the CLI, the web
/// server) uses. Each service takes typed commands and answers queries with `Codable`
/// values that `--json` and a web page render alike; every rule is checked below them, in
/// the `Register` core, inside the write transaction.
public struct RegisterServices: Sendable {
    /// People, their roles and keys; the register key.
    public let users: UserService
    /// The policy pack in force and adopting a new one.
    public let policy: PolicyService
    /// Applications and the decisions on them.
    public let casework: CaseworkService
    /// Looking at profiles through the viewing gate.
    public let gate: GateService
    /// The central record and the annual statistics.
    public let records: RecordService
    /// Checking the register: verify, replay, rebuild, the log, checkpoints and proofs.
    public let verification: VerificationService
    /// Retention, legal holds and destruction of personal data.
    public let retention: RetentionService

    /// Whether the register is a test register (every report says so).
    public var isTestRegister: Bool { register.isTestRegister }

    let register: Register

    /// The services of an open register.
    public init(register: Register) {
        self.register = register
        users = UserService(register: register)
        policy = PolicyService(register: register)
        casework = CaseworkService(register: register)
        gate = GateService(register: register)
        records = RecordService(register: register)
        verification = VerificationService(register: register)
        retention = RetentionService(register: register)
    }
}
