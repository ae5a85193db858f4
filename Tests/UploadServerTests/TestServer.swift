import TestSupport
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ObjectStorage
import ServiceLifecycle
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// A real `upman serve` on 127.0.0.1 (a free port) over a temporary data directory.
final class TestServer: @unchecked Sendable {
    let folder: URL
    let server: UploadServer
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let port: Int
    let adminToken: String
    var base: String { "http://127.0.0.1:\(port)" }
    var store: UploadStore { server.store }

    private init(folder: URL, server: UploadServer, group: ServiceGroup, task: Task<Void, any Error>, port: Int, adminToken: String) {
        self.folder = folder
        self.server = server
        self.group = group
        self.task = task
        self.port = port
        self.adminToken = adminToken
    }

    /// Starts a server; `folder` reuses a data directory (a restart).
    /// With `s3`, bytes go to that bucket instead of the embedded disk store; with `storage`, to that
    /// storage. `logger` replaces the default one (warnings and worse, to standard error).
    static func start(
        folder: URL? = nil, s3: S3Configuration? = nil, storage: (any ObjectStorage)? = nil, logger: Logger? = nil,
        _ configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        RequestMetrics.bootstrap()
        let folder = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("upman-server-\(UUID().uuidString)")
        var config = ServerConfiguration()
        config.port = 0
        config.dataDirectory = folder
        config.jobBackoff = 0.05
        config.databasePath = try await Self.sharedDatabase(for: folder)
        configure(&config)
        let logger = logger ?? {
            var logger = Logger(label: "test.server")
            logger.logLevel = .warning
            return logger
        }()
        let server: UploadServer
        if let storage {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let store = try UploadStore.open(config.resolvedDatabasePath)
            try TokenIssuer.ensureAdminToken(in: store, file: folder.appendingPathComponent("admin.token"))
            server = UploadServer(configuration: config, store: store, storage: storage, logger: logger)
        } else {
            server = try s3.map { try UploadServer.withS3Storage(config, s3: $0, logger: logger) }
                ?? UploadServer.withDiskStorage(config, logger: logger)
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let group = server.serviceGroup { port in continuation.yield(port) }
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw UploadError(.storeUnavailable, "server did not start") }
        let token = try String(contentsOf: folder.appendingPathComponent("admin.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return TestServer(folder: folder, server: server, group: group, task: task, port: port, adminToken: token)
    }

    /// With `UPMAN_TEST_STORE=postgres` in the environment, the PostgreSQL database of the data
    /// directory `folder` (a fresh one on the test server the first time; the same after a
    /// restart), so every server test can be run on PostgreSQL; else nil (SQLite in the folder).
    static func sharedDatabase(for folder: URL) async throws -> String? {
        guard ProcessInfo.processInfo.environment["UPMAN_TEST_STORE"] == "postgres" else { return nil }
        let file = folder.appendingPathComponent("postgres-url")
        if let known = try? String(contentsOf: file, encoding: .utf8) { return known }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = try await PostgresServer.shared.freshDatabase()
        try url.write(to: file, atomically: true, encoding: .utf8)
        return url
    }

    /// Stops the server gracefully and waits for it.
    func stop() async {
        await group.triggerGracefulShutdown()
        // A shutdown that does not finish in 10 s is cancelled, so one stuck test cannot hang the run.
        let task = self.task
        let watchdog = Task {
            try await Task.sleep(for: .seconds(10))
            task.cancel()
        }
        _ = try? await task.value
        watchdog.cancel()
    }

    /// Stops the server and removes its data.
    func finish() async {
        await stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// A token for a plain user.
    func userToken(_ user: String) throws -> String {
        try TokenIssuer.create(in: store, userId: user, admin: false)
    }

    /// A response: status, headers and body.
    struct Reply {
        let status: Int
        let headers: HTTPHeaders
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends a raw request. A JSON answer that does not match the OpenAPI document's schema for its
    /// operation and status (per action for the controller) fails the calling test, at `sourceLocation`.
    func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: Data? = nil,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> Reply {
        var request = HTTPClientRequest(url: url.hasPrefix("http") ? url : base + url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Patience.requestSeconds))
        let collected = try await response.body.collect(upTo: 64 << 20)
        let reply = Reply(status: Int(response.status.code), headers: response.headers, body: Data(buffer: collected))
        OpenAPIConformance.check(method: method.rawValue, url: request.url, requestBody: body, status: reply.status,
                                 contentType: reply.headers.first(name: "Content-Type"), body: reply.body, sourceLocation: sourceLocation)
        return reply
    }

    /// Calls a controller action with `fields` (admin token unless another is given).
    func call(_ action: String, _ fields: [String: Any] = [:], token: String? = nil,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> Reply {
        var body = fields
        body["action"] = action
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await send(.POST, "/api/v1/controller",
                              headers: [("Authorization", "Bearer \(token ?? adminToken)"), ("Content-Type", "application/json")], body: data,
                              sourceLocation: sourceLocation)
    }

    /// Calls an action that must succeed; returns its JSON.
    func ok(_ action: String, _ fields: [String: Any] = [:], token: String? = nil,
            sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let reply = try await call(action, fields, token: token, sourceLocation: sourceLocation)
        #expect(reply.status == 200, "\(action): \(reply.status) \(reply.text)", sourceLocation: sourceLocation)
        return reply.json
    }

    /// PUTs bytes to a signed URL.
    func put(_ url: String, _ bytes: Data, headers: [(String, String)] = []) async throws -> Reply {
        try await send(.PUT, url, headers: headers, body: bytes)
    }

    /// Waits until `condition` holds on the database (polling). It gives up only after `seconds`
    /// (``Patience/quiet`` by default) in which the server wrote no event: on a loaded machine the
    /// work is slow, not stuck, as long as the event log moves.
    func waitFor(_ what: String, seconds: Double = Patience.quiet, _ condition: () async throws -> Bool) async throws {
        let reader = store.reader
        let held = try await Patience.wait(quiet: seconds, progress: { try await reader.latestEventId() }, until: condition)
        if !held { Issue.record("waited for \(what), but the server wrote no event for \(Int(seconds)) s") }
    }

    /// Initiates, uploads every part (in the given order) and completes a file; returns the session id.
    func upload(_ bytes: Data, name: String = "file.bin", groupId: String? = nil, partSize: Int64? = nil,
                order: ((Int) -> [Int])? = nil, token: String? = nil) async throws -> String {
        var fields: [String: Any] = ["fileName": name, "size": bytes.count]
        if let groupId { fields["groupId"] = groupId }
        if let partSize { fields["partSize"] = partSize }
        let initiated = try await ok("initiate", fields, token: token)
        let session = initiated["session"] as! [String: Any]
        let id = session["id"] as! String
        let total = initiated["totalParts"] as! Int
        let signed = try await ok("signParts", ["sessionId": id, "partNumbers": order?(total) ?? Array(1...total)], token: token)
        for part in signed["parts"] as! [[String: Any]] {
            let offset = part["offset"] as! Int
            let size = part["size"] as! Int
            let reply = try await put(part["url"] as! String, bytes.subdata(in: offset..<(offset + size)))
            #expect(reply.status == 200, "PUT part \(part["partNumber"]!): \(reply.text)")
        }
        _ = try await ok("complete", ["sessionId": id], token: token)
        return id
    }
}

/// Random bytes for uploads.
func randomBytes(_ count: Int, seed: UInt64 = 1) -> Data {
    var rng = SeededGenerator(seed: seed)
    var data = Data(count: count)
    data.withUnsafeMutableBytes { buffer in
        var index = 0
        while index < count {
            var word = rng.next()
            let n = min(8, count - index)
            withUnsafeBytes(of: &word) { buffer.baseAddress!.advanced(by: index).copyMemory(from: $0.baseAddress!, byteCount: n) }
            index += n
        }
    }
    return data
}
