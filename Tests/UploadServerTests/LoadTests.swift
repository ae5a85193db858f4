import TestSupport
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// A thousand multipart sessions at once from one process over loopback: every request
/// succeeds, every file completes, the counters and the event log stay whole. The controller's
/// latency is printed (p50 / p99) for the record; speed is judged in Benchmarks/, not here.
@Suite struct LoadTests {
    /// Sessions in flight at once (`UPMAN_LOAD_SESSIONS` for a bigger run).
    static let sessions = ProcessInfo.processInfo.environment["UPMAN_LOAD_SESSIONS"].flatMap(Int.init) ?? 1000

    @Test(.timeLimit(.minutes(15))) func aThousandConcurrentMultipartSessionsWithoutAnError() async throws {
        // Client and server share this process: two descriptors per connection.
        #expect(OpenFileLimit.raise() >= UInt64(3 * Self.sessions), "the open-file limit is too low for this test")
        // Parts of 4 KiB: the part rules of the embedded store are S3's only by default, and this
        // test is about a thousand sessions' worth of controller and store work, not bytes.
        let server = try await TestServer.start { config in
            config.planner.minimumPartSize = 1024
            config.planner.multipartThreshold = 4096
            config.jobs = ["sha256"]
        }
        // Twenty clients of fifty uploaders each: one connection pool of thousands of connections
        // spends more CPU on its own bookkeeping than the server spends answering.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 3 * Self.sessions / 20 + 3)
        configuration.timeout = .init(connect: .seconds(Patience.requestSeconds), read: .seconds(Patience.requestSeconds))
        let clients = (0..<20).map { _ in HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration) }
        let calls = LoadCalls(clients: clients, base: server.base, token: server.adminToken)
        var groups: [String] = []
        for index in 0..<10 {
            groups.append(try await calls.controller("createGroup", ["name": "load-\(index)"], client: 0).object("group")["id"] as? String ?? "")
        }
        let started = ContinuousClock.now
        // Failures are collected, not thrown, so the clients are always shut down.
        let ids = await withTaskGroup(of: String?.self) { tasks in
            for index in 0..<Self.sessions {
                let group = groups[index % groups.count]
                tasks.addTask { try? await calls.uploadFile(index: index, groupId: group) }
            }
            var ids: [String] = []
            for await id in tasks { if let id { ids.append(id) } }
            return ids
        }
        let elapsed = ContinuousClock.now - started
        for client in clients { try await client.shutdown() }
        #expect(ids.count == Self.sessions)
        #expect(calls.failures == [], "\(calls.failures.count) failures: \(calls.failures.prefix(5))")
        guard ids.count == Self.sessions else { return await server.finish() }
        try await server.waitFor("every session COMPLETED") {
            var completed = 0
            for group in groups {
                completed += try await server.store.reader.sessions(SessionQuery(groupId: group, limit: 100_000)).filter { $0.status == .completed }.count
            }
            return completed == Self.sessions
        }
        #expect(try await server.store.reader.audit() == [])
        for group in groups {
            #expect(try await server.store.reader.group(group)?.status == .completed)
        }
        let controller = calls.latencies(of: ["initiate", "signParts", "complete"])
        let parts = calls.latencies(of: ["PUT"])
        for action in ["initiate", "signParts", "complete"] {
            let each = calls.latencies(of: [action])
            print("load: \(action) p50 \(each.percentile(0.5)) ms, p99 \(each.percentile(0.99)) ms")
        }
        print("""
            load: \(Self.sessions) multipart sessions (3 parts each) at once in \(elapsed); \
            controller p50 \(controller.percentile(0.5)) ms, p99 \(controller.percentile(0.99)) ms over \(controller.count) calls; \
            part PUT p50 \(parts.percentile(0.5)) ms, p99 \(parts.percentile(0.99)) ms over \(parts.count)
            """)
        await server.finish()
    }
}

/// The load test's HTTP calls, each timed and every failure kept.
final class LoadCalls: @unchecked Sendable {
    let clients: [HTTPClient]
    let base: String
    let token: String
    private let lock = NSLock()
    private var timings: [(String, Double)] = []
    private var failed: [String] = []

    init(clients: [HTTPClient], base: String, token: String) {
        self.clients = clients
        self.base = base
        self.token = token
    }

    /// What went wrong, one line each.
    var failures: [String] { lock.withLock { failed } }

    /// Milliseconds of the named calls, sorted.
    func latencies(of names: Set<String>) -> [Double] {
        lock.withLock { timings.filter { names.contains($0.0) }.map(\.1).sorted() }
    }

    /// One file of 3 parts: initiate, sign, PUT the parts at once, complete.
    func uploadFile(index: Int, groupId: String) async throws -> String {
        let client = index % clients.count
        let bytes = randomBytes(12 << 10, seed: UInt64(index))
        let initiated = try await controller("initiate", ["fileName": "f\(index).bin", "size": bytes.count, "partSize": 4096, "groupId": groupId], client: client)
        guard let id = initiated.object("session")["id"] as? String else { throw LoadFailure("initiate \(index) gave no session") }
        let signed = try await controller("signParts", ["sessionId": id, "partNumbers": [1, 2, 3]], client: client)
        try await withThrowingTaskGroup(of: Void.self) { parts in
            for part in signed["parts"] as? [[String: Any]] ?? [] {
                guard let url = part["url"] as? String, let offset = part["offset"] as? Int, let size = part["size"] as? Int else {
                    throw LoadFailure("signParts of \(id) gave no URL")
                }
                let body = bytes.subdata(in: offset..<(offset + size))
                parts.addTask { _ = try await self.send("PUT", url: url, body: body, client: client) }
            }
            try await parts.waitForAll()
        }
        _ = try await controller("complete", ["sessionId": id], client: client)
        return id
    }

    /// A controller action; its JSON reply.
    func controller(_ action: String, _ fields: [String: Any], client: Int) async throws -> [String: Any] {
        var body = fields
        body["action"] = action
        let data = try await send(action, url: base + "/api/v1/controller", body: try JSONSerialization.data(withJSONObject: body), client: client)
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    private func send(_ name: String, url: String, body: Data, client: Int) async throws -> Data {
        var request = HTTPClientRequest(url: url)
        request.method = name == "PUT" ? .PUT : .POST
        if name != "PUT" {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let start = ContinuousClock.now
        do {
            let response = try await clients[client].execute(request, timeout: .seconds(Patience.requestSeconds))
            let reply = Data(buffer: try await response.body.collect(upTo: 1 << 20))
            OpenAPIConformance.check(method: request.method.rawValue, url: url, requestBody: body, status: Int(response.status.code),
                                     contentType: response.headers.first(name: "Content-Type"), body: reply, sourceLocation: #_sourceLocation)
            let elapsed = ContinuousClock.now - start
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            lock.withLock {
                timings.append((name, milliseconds))
                if response.status != .ok { failed.append("\(name) \(response.status.code) \(String(decoding: reply, as: UTF8.self))") }
            }
            return reply
        } catch {
            lock.withLock { failed.append("\(name): \(error)") }
            throw error
        }
    }
}

/// A load-test call that did not give what the next step needs.
struct LoadFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Dictionary where Key == String, Value == Any {
    /// A nested object, or an empty one.
    func object(_ key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
}

extension Array where Element == Double {
    /// The value at fraction `p` of a sorted array, rounded to 0.1.
    func percentile(_ p: Double) -> Double {
        guard !isEmpty else { return 0 }
        let value = self[Swift.min(count - 1, Int((Double(count) * p).rounded(.down)))]
        return (value * 10).rounded() / 10
    }
}
