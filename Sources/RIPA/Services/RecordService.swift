/// The central record (Code of Practice 2018 para 8.1) and the annual statistics.
public struct RecordService: Sendable {
    let register: Register
}
