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
    /// Behind a reverse proxy: the client's address is the proxy's `X-Real-IP` header, so a
    /// lockout falls on the client, not on the proxy (and so on everyone).
    var behindProxy = false
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

    /// The step-up before a decision that commits the authority: the signed-in user gives
    /// their passphrase again on the "check your answers" page, and the key it unseals — not
    /// the one held since sign-in — signs the decision. A wrong passphrase counts towards the
    /// lockout like a failed sign-in.
    ///
    /// - Throws: `FieldError`-ready `RIPAError` (`field` = `passphrase`) when missing or wrong;
    ///   `WebError.lockedOut` while locked.
    func stepUp(_ session: WebSession, passphrase: String?, peer: String) async throws -> Actor {
        guard let passphrase, !passphrase.isEmpty else {
            throw RIPAError(.badInput, "Enter your passphrase to sign this decision", reason: .inputMissing, values: ["field": "passphrase"])
        }
        let actor: Actor
        do {
            actor = try await unlock(userID: session.userID, passphrase: passphrase, peer: peer)
        } catch let error as RIPAError where error.code == .wrongPassphrase {
            throw RIPAError(.wrongPassphrase, "The passphrase is not right", reason: error.reason, values: ["field": "passphrase"])
        }
        sessions.steppedUp(session.id, actor: actor)
        return actor
    }

    /// Runs a write, after checking the register has not failed verification; then has the
    /// monitor check the new entries.
    func write<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        if let finding = integrity.finding { throw WebError.writesRefused(finding) }
        let result = try await body()
        await integrity.check()
        return result
    }
}
