import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import TestSupport
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// Nothing a request waits for holds a thread of the cooperative pool, and bulk operator actions
/// never hold the one writer for a whole group at once.
@Suite struct NonBlockingTests {
    /// Database reads are held inside SQLite (the reader's gate blocks them) for more controller
    /// requests than the cooperative pool has threads. Were a read run synchronously on the pool,
    /// every pool thread would be stuck in it and no other request could be answered; with reads
    /// on GRDB's reader queues, `/metrics` and `/healthz`-free work go on, and the held requests
    /// finish once the gate opens. The same holds for the dashboard's reads (`GET /api/v1/snapshot`).
    @Test(arguments: ["controller", "snapshot"])
    func requestsHeldInDatabaseReadsLeaveTheServerAnswering(route: String) async throws {
        let server = try await TestServer.start()
        let created = try await server.ok("createGroup", ["name": "held"])
        let groupId = try #require((created["group"] as? [String: Any])?["id"] as? String)
        let release = DispatchSemaphore(value: 0)
        let entered = Atomic<Int>(0)
        let gate = server.store.reader.gate
        gate.set {
            entered.add(1, ordering: .relaxed)
            release.wait()
        }
        let held = ProcessInfo.processInfo.activeProcessorCount * 4 + 8
        let valve = Valve(gate: gate, release: release, count: held * 2)
        // Were the pool's threads stuck in reads, nothing on it could run again, not even this
        // test's timeouts: a watchdog on a thread of its own opens the gate after a while, and
        // the test fails if it had to.
        DispatchQueue.global().asyncAfter(deadline: .now() + Patience.quiet) { valve.open(byWatchdog: true) }
        // A client of its own, with a connection per held request, so the probe below does not
        // wait in a client's connection pool behind them.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = held
        configuration.timeout.read = .seconds(Patience.requestSeconds)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let body = try JSONSerialization.data(withJSONObject: ["action": "status", "groupId": groupId])
        let requests = (0..<held).map { _ in
            Task {
                var request = HTTPClientRequest(url: server.base + "/api/v1/controller")
                request.method = .POST
                request.body = .bytes(ByteBuffer(bytes: body))
                if route == "snapshot" {
                    request = HTTPClientRequest(url: server.base + "/api/v1/snapshot?view=sessions&groupId=\(groupId)")
                }
                request.headers.add(name: "Authorization", value: "Bearer \(server.adminToken)")
                let response = try await client.execute(request, timeout: .seconds(Patience.requestSeconds))
                _ = try await response.body.collect(upTo: 1 << 20)
                return Int(response.status.code)
            }
        }
        let readers = StoreOptions().maximumReaders
        let allIn = await Patience.wait(progress: { entered.load(ordering: .relaxed) }, until: {
            entered.load(ordering: .relaxed) >= min(held, readers)
        })
        #expect(allIn, "the held requests never reached the database")
        defer { valve.open(byWatchdog: false) }
        let metrics = try await server.send(.GET, "/metrics")
        #expect(!valve.openedByWatchdog, "the server answered only once the held reads were let go")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("upman_"))
        valve.open(byWatchdog: false)
        for request in requests {
            #expect(try await request.value == 200)
        }
        try await client.shutdown()
        await server.finish()
    }

    /// Cancelling a group of more sessions than one bulk batch cancels them in several
    /// transactions of at most ``SessionController/bulkBatch`` sessions, the group in the last;
    /// every session ends CANCELLED and the store stays consistent.
    @Test func cancellingABigGroupCommitsInBoundedBatches() async throws {
        let server = try await TestServer.start()
        let count = SessionController.bulkBatch * 2 + 40
        let groupId = try await makeGroup(server, sessions: count)
        let commits = CommitLog(groupId: groupId)
        server.store.onCommit { commits.record($0) }
        let cancelled = try await server.ok("cancel", ["groupId": groupId])
        #expect((cancelled["group"] as? [String: Any])?["status"] as? String == "CANCELLED")
        let sizes = commits.sessionCounts
        #expect(sizes.count >= 3, "sessions changed per commit: \(sizes)")
        #expect(sizes.allSatisfy { $0 <= SessionController.bulkBatch }, "sessions changed per commit: \(sizes)")
        #expect(sizes.reduce(0, +) == count)
        let sessions = try await server.store.reader.sessions(SessionQuery(groupId: groupId, limit: count + 1))
        #expect(sessions.count == count && sessions.allSatisfy { $0.status == .cancelled })
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    /// Retrying a group of failed sessions works through them in bounded batches too, and answers
    /// every retried session.
    @Test func retryingABigGroupCommitsInBoundedBatches() async throws {
        let server = try await TestServer.start()
        let count = SessionController.bulkBatch * 2 + 40
        let groupId = try await makeGroup(server, sessions: count)
        let ids = try await server.store.reader.sessions(SessionQuery(groupId: groupId, limit: count + 1)).map(\.id)
        for start in stride(from: 0, to: ids.count, by: 100) {
            let slice = Array(ids[start..<min(ids.count, start + 100)])
            try await server.store.transaction(actedBy: "uploader") { tx in
                for id in slice {
                    try tx.sessions.transition(id, to: .failed, error: ErrorDetail(code: "partRetriesExhausted", message: "gave up"))
                }
            }
        }
        let commits = CommitLog(groupId: groupId)
        server.store.onCommit { commits.record($0) }
        let retried = try await server.ok("retry", ["groupId": groupId])
        #expect((retried["sessions"] as? [[String: Any]])?.count == count)
        let sizes = commits.sessionCounts
        #expect(sizes.count >= 3 && sizes.allSatisfy { $0 <= SessionController.bulkBatch }, "sessions changed per commit: \(sizes)")
        let sessions = try await server.store.reader.sessions(SessionQuery(groupId: groupId, limit: count + 1))
        #expect(sessions.allSatisfy { $0.status == .pending && $0.attempts == 2 })
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    /// Deleting a group of more sessions than one bulk batch deletes them in several transactions
    /// of at most ``SessionController/bulkBatch`` sessions, then the group; no row and no upload
    /// file is left.
    @Test func deletingABigGroupCommitsInBoundedBatches() async throws {
        let server = try await TestServer.start()
        let count = SessionController.bulkBatch * 2 + 40
        let groupId = try await makeGroup(server, sessions: count)
        let commits = CommitLog(groupId: groupId)
        server.store.onCommit { commits.record($0) }
        let deleted = try await server.ok("delete", ["groupId": groupId])
        #expect(deleted["deleted"] as? Bool == true)
        let sizes = commits.deletedCounts
        #expect(sizes.count >= 3 && sizes.allSatisfy { $0 <= SessionController.bulkBatch + 1 }, "deletions per commit: \(sizes)")
        #expect(try await server.store.reader.group(groupId) == nil)
        #expect(try await server.store.reader.sessions(SessionQuery(groupId: groupId, limit: 10)).isEmpty)
        let uploads = try FileManager.default.contentsOfDirectory(atPath: server.folder.appendingPathComponent("storage/uploads").path)
        #expect(uploads.isEmpty, "\(uploads.count) upload files left")
        #expect(try await server.store.reader.audit() == [])
        await server.finish()
    }

    /// A group with `sessions` single-PUT sessions waiting for bytes, initiated eight at a time.
    private func makeGroup(_ server: TestServer, sessions: Int) async throws -> String {
        let created = try await server.ok("createGroup", ["name": "bulk"])
        let groupId = try #require((created["group"] as? [String: Any])?["id"] as? String)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for index in 0..<sessions {
                if index >= 8 { try await tasks.next() }
                tasks.addTask {
                    _ = try await server.ok("initiate", ["groupId": groupId, "fileName": "f\(index).bin", "size": 1])
                }
            }
            try await tasks.waitForAll()
        }
        return groupId
    }
}

/// Opens a ``ReadGate`` once, from the test or from a watchdog thread.
private final class Valve: Sendable {
    let gate: ReadGate
    let release: DispatchSemaphore
    let count: Int
    private let state = Mutex<(opened: Bool, byWatchdog: Bool)>((false, false))

    init(gate: ReadGate, release: DispatchSemaphore, count: Int) {
        self.gate = gate
        self.release = release
        self.count = count
    }

    /// Lets every held and later read through (again is a no-op).
    func open(byWatchdog: Bool) {
        let first = state.withLock { state -> Bool in
            guard !state.opened else { return false }
            state = (true, byWatchdog)
            return true
        }
        guard first else { return }
        gate.set(nil)
        for _ in 0..<count { release.signal() }
    }

    /// Whether the watchdog had to open it.
    var openedByWatchdog: Bool { state.withLock { $0.byWatchdog } }
}

/// How many session events of one group each commit carried.
private final class CommitLog: Sendable {
    let groupId: String
    private let counts = Mutex<[Int]>([])
    private let deletions = Mutex<[Int]>([])

    init(groupId: String) {
        self.groupId = groupId
    }

    func record(_ events: [UploadEvent]) {
        let mine = events.filter { $0.groupId == groupId }
        let sessions = mine.filter { $0.kind == .session && !$0.deleted }.count
        if sessions > 0 { counts.withLock { $0.append(sessions) } }
        let deleted = mine.filter(\.deleted).count
        if deleted > 0 { deletions.withLock { $0.append(deleted) } }
    }

    /// Session changes (not deletions) per commit.
    var sessionCounts: [Int] { counts.withLock { $0 } }
    /// Deletion events per commit.
    var deletedCounts: [Int] { deletions.withLock { $0 } }
}
