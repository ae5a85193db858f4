import TestSupport
import Foundation
import Logging
import ServiceLifecycle
import UploadClient
import UploadModel
import UploadServer
import UploadStore

/// A real server on 127.0.0.1 for the client tests, over a temporary data directory.
final class ClientTestServer: @unchecked Sendable {
    let folder: URL
    let server: UploadServer
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let url: URL
    let adminToken: String
    var store: UploadStore { server.store }

    init(folder: URL? = nil, faults: PartFaults? = nil, _ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        self.folder = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("upman-client-\(UUID().uuidString)")
        let folder = self.folder
        var config = ServerConfiguration()
        config.port = 0
        config.dataDirectory = folder
        config.jobBackoff = 0.05
        configure(&config)
        var logger = Logger(label: "test.client.server")
        logger.logLevel = .warning
        var server = try UploadServer.withDiskStorage(config, logger: logger)
        server.partFaults = faults
        self.server = server
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        group = server.serviceGroup { port in continuation.yield(port) }
        let group = self.group
        task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        url = URL(string: "http://127.0.0.1:\(port)")!
        adminToken = try String(contentsOf: folder.appendingPathComponent("admin.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    var client: ControllerClient { ControllerClient(server: url, token: adminToken, timeout: .seconds(Patience.requestSeconds)) }

    func finish() async {
        await group.triggerGracefulShutdown()
        // A shutdown that does not finish in 10 s is cancelled, so one stuck test cannot hang the run.
        let task = self.task
        let watchdog = Task {
            try await Task.sleep(for: .seconds(10))
            task.cancel()
        }
        _ = try? await task.value
        watchdog.cancel()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Writes a file of `size` seeded random bytes under the server's folder and opens it.
    /// The bytes are made on a thread of their own: tens of megabytes take seconds in a debug build,
    /// and the in-process server needs the cooperative pool meanwhile.
    func file(_ name: String, size: Int, seed: UInt64 = 1) async throws -> LocalFile {
        let url = folder.appendingPathComponent("src").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try await offPool {
            var rng = SeededGenerator(seed: seed)
            var words = [UInt64](repeating: 0, count: (size + 7) / 8)
            for index in words.indices { words[index] = rng.next() }
            try words.withUnsafeBytes { Data($0.prefix(size)) }.write(to: url)
        }
        return try LocalFile(path: url.path, uploadName: name)
    }

    /// The stored object's bytes.
    func stored(_ sessionId: String) async throws -> Data {
        let session = try await store.reader.session(sessionId)!
        return try Data(contentsOf: folder.appendingPathComponent("storage/objects").appendingPathComponent(session.objectKey))
    }
}

/// Collects transfer events.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [TransferEvent] = []

    func add(_ event: TransferEvent) { lock.withLock { events.append(event) } }
    var all: [TransferEvent] { lock.withLock { events } }

    var partsUploaded: [Int] {
        all.compactMap { if case .partUploaded(_, _, _, let n, _, _) = $0 { return n } else { return nil } }
    }
}
