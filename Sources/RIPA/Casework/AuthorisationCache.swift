import Synchronization

/// The register's cases as last decoded, with the log size they were read at. Every case is
/// a pure function of the entries, so while the log has not grown the decoded list is still
/// the register's; the pages and queries that list every case (the central record, the
/// statistics, what is due) then skip decoding each case's document again.
final class AuthorisationCache: Sendable {
    private let state = Mutex<(size: UInt64, authorisations: [Authorisation])?>(nil)

    /// The cases read at `size`, if they are the ones held.
    func authorisations(at size: UInt64) -> [Authorisation]? {
        state.withLock { held in held?.size == size ? held?.authorisations : nil }
    }

    /// Holds the cases read at `size`.
    func hold(_ authorisations: [Authorisation], at size: UInt64) {
        state.withLock { $0 = (size, authorisations) }
    }
}
