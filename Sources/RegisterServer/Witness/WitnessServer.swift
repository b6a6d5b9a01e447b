import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Witness

/// The HTTP face of a C2SP tlog-witness (`ripa witness serve`): `POST /add-checkpoint` and the
/// monitoring read `GET /<hex SHA-256 of origin>/checkpoint`. No sessions, no cookies: the only
/// authentication the protocol has is the log's signature on the checkpoint.
public func buildWitnessApplication(
    _ witness: Witness, host: String, port: Int, logger: Logger? = nil
) -> some ApplicationProtocol {
    let logger = logger ?? Logger(label: "ripa-witness")
    let router = Router(context: BasicRequestContext.self)
    router.post("add-checkpoint") { request, _ -> Response in
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: AddCheckpointLimits.maximumBytes)
        } catch {
            return reply(Witness.Answer(status: 413, contentType: "text/plain; charset=utf-8", body: "the request is larger than \(AddCheckpointLimits.maximumBytes) bytes\n"))
        }
        let answer = witness.addCheckpoint(Array(buffer: body))
        logger.info("add-checkpoint", metadata: ["status": "\(answer.status)"])
        return reply(answer)
    }
    router.get(":origin/checkpoint") { _, context -> Response in
        reply(witness.latestCheckpoint(originHash: context.parameters.get("origin") ?? ""))
    }
    let configuration = ApplicationConfiguration(address: .hostname(host, port: port), serverName: "ripa-witness")
    return Application(router: router, configuration: configuration, logger: logger)
}

/// Runs the witness until SIGINT or SIGTERM.
public func serveWitness(_ witness: Witness, host: String, port: Int, logger: Logger? = nil) async throws {
    try await buildWitnessApplication(witness, host: host, port: port, logger: logger).runService()
}

enum AddCheckpointLimits {
    /// As `AddCheckpointRequest.maximumBytes`: read no more than a request can hold.
    static let maximumBytes = 64 * 1024
}

private func reply(_ answer: Witness.Answer) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = answer.contentType
    return Response(
        status: HTTPResponse.Status(code: answer.status), headers: headers,
        body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
}
