import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ObjectStorage
import ServiceLifecycle
import Synchronization

/// An HTTP proxy on 127.0.0.1 in front of a real S3 peer that behaves like Ceph's radosgw in one
/// respect: a CompleteMultipartUpload the peer answered 200 with its result document
/// reaches the client with an empty `<ETag></ETag>`. Every other request and answer passes
/// unchanged, the Host header included, so the peer checks the client's SigV4 signatures as
/// signed for the proxy's address. Not a mock of S3: the peer does all the work, only that one
/// answer is altered.
final class ETagDroppingProxy: Sendable {
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let rewrites: Tally

    /// Where clients reach the peer through the proxy.
    var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// How many CompleteMultipartUpload answers had their ETag emptied so far.
    var emptiedETags: Int { rewrites.value }

    /// The requests forwarded so far, one line each with the answer's status and start (for messages).
    var forwarded: [String] { rewrites.lines }

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>, rewrites: Tally) {
        self.port = port
        self.group = group
        self.task = task
        self.rewrites = rewrites
    }

    /// Starts a proxy in front of `upstream` on a free port of 127.0.0.1.
    static func start(upstream: URL) async throws -> ETagDroppingProxy {
        let tally = Tally()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await forward(request, to: upstream, tally: tally)
        }
        var logger = Logger(label: "test.etag-proxy")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "etag-proxy"),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [application], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await group.triggerGracefulShutdown()
            throw S3PeerError("the ETag-dropping proxy did not start")
        }
        return ETagDroppingProxy(port: port, group: group, task: task, rewrites: tally)
    }

    /// Stops the proxy and waits for it.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    /// Sends `request` to `upstream` as it came and answers what the peer answered, with the ETag
    /// of a CompleteMultipartUploadResult emptied.
    private static func forward(_ request: Request, to upstream: URL, tally: Tally) async throws -> Response {
        let target = request.head.path ?? "/"
        var outgoing = HTTPClientRequest(url: upstream.absoluteString + target)
        outgoing.method = NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue)
        // HTTP/1's Host arrives as the request's authority; the peer checks the signature over it.
        if let authority = request.head.authority { outgoing.headers.add(name: "Host", value: authority) }
        for field in request.headers where !["expect", "connection", "content-length", "transfer-encoding", "host"].contains(field.name.canonicalName) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        let body = try await request.body.collect(upTo: 64 << 20)
        if body.readableBytes > 0 || request.method == .put || request.method == .post {
            outgoing.body = .bytes(body)
        }
        let answer = try await S3Storage.sharedHTTPClient.execute(outgoing, timeout: .seconds(300))
        var bytes = try await answer.body.collect(upTo: 64 << 20)
        tally.note("\(request.method.rawValue) \(target) → \(answer.status.code) \(bytes.getString(at: bytes.readerIndex, length: min(bytes.readableBytes, 160)) ?? "")")
        let isComplete = request.method == .post && target.contains("uploadId=")
        if isComplete, answer.status.code == 200, let text = bytes.getString(at: bytes.readerIndex, length: bytes.readableBytes),
           text.contains("<CompleteMultipartUpload"), // ...Result (S3, SeaweedFS) or ...Response (moto)
           let start = text.range(of: "<ETag>"), let end = text.range(of: "</ETag>", range: start.upperBound..<text.endIndex) {
            bytes = ByteBuffer(string: text.replacingCharacters(in: start.upperBound..<end.lowerBound, with: ""))
            tally.add()
        }
        var headers = HTTPFields()
        for (name, value) in answer.headers where !["connection", "transfer-encoding", "content-length"].contains(name.lowercased()) {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        if request.method == .head, let length = answer.headers["Content-Length"].first, let field = HTTPField.Name("Content-Length") {
            headers.append(HTTPField(name: field, value: length))
            return Response(status: HTTPResponse.Status(code: Int(answer.status.code)), headers: headers, body: ResponseBody())
        }
        return Response(status: HTTPResponse.Status(code: Int(answer.status.code)), headers: headers, body: ResponseBody(byteBuffer: bytes))
    }

    /// What the responder saw, shared with the proxy: rewrites and forwarded requests.
    private final class Tally: Sendable {
        private let state = Mutex((count: 0, lines: [String]()))
        var value: Int { state.withLock { $0.count } }
        var lines: [String] { state.withLock { $0.lines } }
        func add() { state.withLock { $0.count += 1 } }
        func note(_ line: String) { state.withLock { $0.lines.append(line) } }
    }
}
