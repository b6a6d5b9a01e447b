import Foundation
import Logging
import RIPA

/// What every route shares: the services, the sessions, the sign-in throttle, the
/// integrity monitor and the pages.
struct ServerState: Sendable {
    let services: RegisterServices
    let sessions: SessionStore
    let throttle: SignInThrottle
    let integrity: IntegrityMonitor
    let pages: Pages
    let secureCookies: Bool
    let logger: Logger

    /// Unlocks the user's key with the passphrase just given (sign-in or step-up), counting a
    /// failure towards the lockout of the account and the address.
    ///
    /// - Throws: `WebError.lockedOut` while locked; the domain's error for a wrong passphrase
    ///   or an unknown user.
    func unlock(userID: String, passphrase: String, peer: String) async throws -> Actor {
        if await throttle.lockedUntil(user: userID, address: peer) != nil { throw WebError.lockedOut }
        do {
            let actor = try await services.users.unlock(userID: userID, passphrase: passphrase)
            await throttle.succeeded(user: userID)
            return actor
        } catch {
            await throttle.failed(user: userID, address: peer)
            logger.notice("sign-in failed", metadata: ["user_id": .string(userID), "peer": .string(peer)])
            throw error
        }
    }

    /// Runs a write, after checking the register has not failed verification; then has the
    /// monitor check the new entries.
    func write<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        if let finding = await integrity.finding { throw WebError.writesRefused(finding) }
        let result = try await body()
        await integrity.check()
        return result
    }
}
