import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import UploadModel

/// A typed client for every action of `POST /api/v1/controller`.
public struct ControllerClient: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:8080`.
    public let server: URL
    /// The bearer token.
    public let token: String
    let http: HTTPClient
    let timeout: TimeAmount
    /// How often a call the server answered with a transient error (408, 429, upman's own 5xx) is
    /// sent again (see ``call(_:_:repeatable:)``).
    public var retry: RetryPolicy
    /// How long a server that is away is waited for; shared by every copy of this client and by
    /// the uploader's part transfers.
    public let wait: ServerWait

    /// Actions that leave the same state when they arrive twice: sent again after any transient
    /// failure. The others (createGroup, initiate, abort, retry, cancel, delete) are sent again
    /// only when the connection was refused, so the server never saw them.
    static let repeatable: Set<String> = ["signParts", "partUploaded", "partsUploaded", "complete", "status"]

    /// Creates a client; by default a call rides out 15 s of a server that is away (`wait`), and
    /// tries a transient error the server answered with up to 6 times (`retry`).
    public init(
        server: URL, token: String, http: HTTPClient = UploadHTTP.shared, timeout: TimeAmount = .seconds(60),
        retry: RetryPolicy = RetryPolicy(maxAttempts: 6, baseDelay: 0.5, maxDelay: 8),
        wait: ServerWait = ServerWait(patience: .seconds(15))
    ) {
        self.server = server
        self.token = token
        self.http = http
        self.timeout = timeout
        self.retry = retry
        self.wait = wait
    }

    /// `createGroup`.
    public func createGroup(name: String, description: String? = nil, expectedFiles: Int? = nil, expectedBytes: Int64? = nil) async throws -> UploadGroup {
        let request = ControllerRequest.CreateGroup(name: name, description: description, expectedFiles: expectedFiles, expectedBytes: expectedBytes)
        let result: ControllerResponse.GroupResult = try await call("createGroup", request)
        return result.group
    }

    /// `initiate`; repeatable when it names its group and the file's fingerprint, because the
    /// server answers a repeat with the session the first one made.
    public func initiate(_ request: ControllerRequest.Initiate) async throws -> ControllerResponse.Initiated {
        try await call("initiate", request, repeatable: request.groupId != nil && request.fingerprint != nil)
    }

    /// `initiate` of many files (1 to ``ControllerRequest/InitiateBatch/maximumFiles``); answers one
    /// session per file, in order. Repeatable when it names its group and every file's fingerprint
    /// (the server answers a repeat with the sessions the first one made). A server that does not
    /// know the batch form answers 400 (its single form misses `fileName`).
    public func initiate(_ batch: ControllerRequest.InitiateBatch) async throws -> [ControllerResponse.Initiated] {
        let repeatable = batch.groupId != nil && batch.files.allSatisfy { $0.fingerprint != nil }
        let result: ControllerResponse.InitiatedBatch = try await call("initiate", batch, repeatable: repeatable)
        guard result.sessions.count == batch.files.count else {
            throw ClientError.protocolError("the server answered \(result.sessions.count) sessions for \(batch.files.count) files")
        }
        return result.sessions
    }

    /// `signParts`.
    public func signParts(sessionId: String, partNumbers: [Int], expiresIn: Int? = nil) async throws -> [ControllerResponse.SignedPart] {
        let result: ControllerResponse.Signed = try await call(
            "signParts", ControllerRequest.SignParts(sessionId: sessionId, partNumbers: partNumbers, expiresIn: expiresIn))
        return result.parts
    }

    /// `partUploaded`.
    public func partUploaded(sessionId: String, partNumber: Int, etag: String, size: Int64) async throws -> FilePart {
        let result: ControllerResponse.PartRecorded = try await call(
            "partUploaded", ControllerRequest.PartUploaded(sessionId: sessionId, partNumber: partNumber, etag: etag, size: size))
        return result.part
    }

    /// `partsUploaded`: reports many parts of one session at once (at most 10,000); answers the parts
    /// as recorded, in the order given. All or nothing: an error records none of them.
    public func partsUploaded(sessionId: String, parts: [ControllerRequest.ReportedPart]) async throws -> [FilePart] {
        let result: ControllerResponse.PartsRecorded = try await call(
            "partsUploaded", ControllerRequest.PartsUploaded(sessionId: sessionId, parts: parts))
        return result.parts
    }

    /// `complete`.
    public func complete(sessionId: String, checksum: ObjectChecksum? = nil) async throws -> UploadSession {
        let result: ControllerResponse.SessionResult = try await call(
            "complete", ControllerRequest.SessionRef(sessionId: sessionId, checksum: checksum))
        return result.session
    }

    /// `abort`.
    public func abort(sessionId: String) async throws -> UploadSession {
        let result: ControllerResponse.SessionResult = try await call("abort", ControllerRequest.SessionRef(sessionId: sessionId))
        return result.session
    }

    /// `retry`.
    public func retry(_ target: ControllerRequest.Target) async throws -> ControllerResponse.Retried {
        try await call("retry", target)
    }

    /// `cancel` of a group.
    public func cancel(groupId: String, reason: String? = nil) async throws -> UploadGroup {
        let result: ControllerResponse.GroupResult = try await call("cancel", ControllerRequest.Target(groupId: groupId, reason: reason))
        return result.group
    }

    /// `cancel` of a session.
    public func cancel(sessionId: String, reason: String? = nil) async throws -> UploadSession {
        let result: ControllerResponse.SessionResult = try await call("cancel", ControllerRequest.Target(sessionId: sessionId, reason: reason))
        return result.session
    }

    /// `delete`.
    public func delete(_ target: ControllerRequest.Target) async throws {
        let _: ControllerResponse.Deleted = try await call("delete", target)
    }

    /// `status`.
    public func status(_ target: ControllerRequest.Target) async throws -> ControllerResponse.Status {
        try await call("status", target)
    }

    /// Sends one action and decodes its answer; errors become ``ClientError``s. A transient failure
    /// is sent again when the action is `repeatable` (default: by its name), else only a refused
    /// connection: while the server is away, for as long as ``wait`` allows; when it answered with
    /// a transient error, up to `retry.maxAttempts` times.
    public func call<Body: Encodable & Sendable, Answer: Decodable>(
        _ action: String, _ body: Body, repeatable: Bool? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: server.appendingPathComponent("api/v1/controller").absoluteString)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        let data = try UploadJSON.encoder().encode(ActionBody(action: action, body: body))
        request.body = .bytes(ByteBuffer(bytes: data))
        var attempt = 1
        var status: Int
        var bytes: Data
        while true {
            try await wait.ready()
            do {
                (status, bytes) = try await send(request)
                guard status == 200 else { throw Self.error(status: status, body: bytes) }
                wait.answered()
                break
            } catch let error as ClientError {
                if !error.isServerAway { wait.answered() }
                let again = (repeatable ?? Self.repeatable.contains(action)) ? error.isTransient : error.isConnectionRefused
                guard again else { throw error }
                if error.isServerAway {
                    try wait.failed(error)
                    continue
                }
                guard attempt < retry.maxAttempts else { throw error }
                try await Task.sleep(for: .seconds(retry.delay(after: attempt)))
                attempt += 1
            }
        }
        do {
            return try UploadJSON.decoder().decode(Answer.self, from: bytes)
        } catch {
            throw ClientError.protocolError("the server's answer to \(action) could not be read: \(error)")
        }
    }

    /// Sends a request and collects the answer, turning transport failures into `unreachable`.
    func send(_ request: HTTPClientRequest) async throws -> (Int, Data) {
        do {
            let response = try await http.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 256 << 20)
            return (Int(response.status.code), Data(body.readableBytesView))
        } catch let error as ClientError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if "\(error)".contains("refused") {
                throw ClientError.unreachable("cannot reach the upman server at \(server.absoluteString): \(ClientError.connectionRefused)")
            }
            throw ClientError.unreachable("cannot reach the upman server at \(server.absoluteString): \(Self.describe(error))")
        }
    }

    /// A `ClientError` from an error response.
    static func error(status: Int, body: Data) -> ClientError {
        if let envelope = try? UploadJSON.decoder().decode(ErrorEnvelope.self, from: body) {
            return .server(status: status, code: envelope.error.code, message: envelope.error.message)
        }
        // S3 (a presigned part URL) answers errors as XML: <Error><Code>…</Code><Message>…</Message></Error>.
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        if text.contains("<Error>"), let code = element("Code", in: text) {
            return .server(status: status, code: code, message: "storage answered HTTP \(status) \(code): \(element("Message", in: text) ?? "")")
        }
        return .server(status: status, code: "http\(status)", message: "the server answered HTTP \(status)")
    }

    /// The text of the first `<name>…</name>` in an XML snippet.
    static func element(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)>"), let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex)
        else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("connectTimeout") || text.contains("Connection refused") || text.contains("connect") {
            return "connection refused or timed out"
        }
        return text
    }
}

/// `{"action": …}` merged with an action's fields.
struct ActionBody<Body: Encodable>: Encodable {
    let action: String
    let body: Body

    enum Keys: String, CodingKey { case action }

    func encode(to encoder: any Encoder) throws {
        try body.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(action, forKey: .action)
    }
}
