import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over one keep-alive loopback connection, so the server's own
/// cost is what is timed (no client library's pools or parsing in the figures).
/// Unchecked Sendable: a connection is used by one thread at a time, handed between them only
/// by `offPool`, which waits for each call to end.
final class HTTPConnection: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 1 << 17)

    /// A response: status, headers (lower-cased names) and body.
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket() failed") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw BenchError("connect to 127.0.0.1:\(port) failed") }
    }

    deinit { close(fd) }

    /// Sends one request and reads its response (the body by Content-Length).
    /// - Parameter keepBody: return the body (sign-in's JSON); the load only counts it.
    func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = [], parseHeaders: Bool = false, keepBody: Bool = true
    ) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let bytes = Array(head.utf8) + body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw BenchError("send failed") }
            sent += n
        }
        let headerEnd = try readUntilHeaders()
        // Only the status and Content-Length are read from the bytes on the timed path; the
        // other headers are parsed only when asked for (sign-in's cookie), so the client
        // spends as little as it can of the cores the server shares.
        let status = Int(buffer[9] - 48) * 100 + Int(buffer[10] - 48) * 10 + Int(buffer[11] - 48)
        let length = Self.contentLength(buffer[..<headerEnd]) ?? 0
        var fields: [String: String] = [:]
        if parseHeaders {
            for line in String(decoding: buffer[..<headerEnd], as: UTF8.self).components(separatedBy: "\r\n").dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                fields[name] = fields[name].map { $0 + "\n" + value } ?? value
            }
        }
        buffer.removeSubrange(..<(headerEnd + 4))
        while buffer.count < length { try fill() }
        let responseBody = keepBody ? Array(buffer[..<length]) : []
        buffer.removeSubrange(..<length)
        return Response(status: status, headers: fields, body: responseBody)
    }

    /// The value of `content-length` in a response head, matched without regard to case.
    private static func contentLength(_ head: ArraySlice<UInt8>) -> Int? {
        let name = Array("\r\ncontent-length:".utf8)
        var i = head.startIndex
        while i + name.count <= head.endIndex {
            var matched = true
            for (offset, byte) in name.enumerated() where head[i + offset] | 0x20 != byte | 0x20 { matched = false; break }
            if matched {
                var j = i + name.count
                while j < head.endIndex, head[j] == 32 { j += 1 }
                var value = 0
                while j < head.endIndex, head[j] >= 48, head[j] <= 57 { value = value * 10 + Int(head[j] - 48); j += 1 }
                return value
            }
            i += 1
        }
        return nil
    }

    private func readUntilHeaders() throws -> Int {
        while true {
            if buffer.count >= 4 {
                for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
                    return i
                }
            }
            try fill()
        }
    }

    private func fill() throws {
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw BenchError("connection closed") }
        buffer.append(contentsOf: chunk[..<n])
    }
}


/// Load from many connections at once, one thread each, for a fixed time.
enum HTTPLoad {
    /// Requests per second and latencies (seconds) of `clients` connections each sending
    /// `GET path` back to back for `seconds`; every response must be 200.
    static func run(port: Int, path: String, headers: [String: String], clients: Int, seconds: Double) throws -> (perSecond: Double, latencies: [Double]) {
        let tally = Tally()
        let deadline = Measure.now() + seconds
        let threads = (0..<clients).map { _ in
            Thread {
                var mine: [Double] = []
                do {
                    let connection = try HTTPConnection(port: port)
                    while Measure.now() < deadline {
                        let start = Measure.now()
                        let response = try connection.request("GET", path, headers: headers, keepBody: false)
                        mine.append(Measure.now() - start)
                        guard response.status == 200 else { throw BenchError("GET \(path) answered \(response.status)") }
                    }
                } catch {
                    tally.fail(error)
                }
                tally.add(mine)
            }
        }
        let started = Measure.now()
        threads.forEach { $0.start() }
        while Measure.now() < deadline { usleep(10_000) }
        while tally.finished < clients { usleep(1_000) }
        let elapsed = Measure.now() - started
        if let failure = tally.failure { throw failure }
        return (Double(tally.latencies.count) / elapsed, tally.latencies)
    }
}

/// What the load threads report, under a lock.
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var _latencies: [Double] = []
    private var _failure: (any Error)?
    private var _finished = 0

    func add(_ samples: [Double]) { lock.withLock { _latencies += samples; _finished += 1 } }
    func fail(_ error: any Error) { lock.withLock { _failure = error } }
    var latencies: [Double] { lock.withLock { _latencies } }
    var failure: (any Error)? { lock.withLock { _failure } }
    var finished: Int { lock.withLock { _finished } }
}
