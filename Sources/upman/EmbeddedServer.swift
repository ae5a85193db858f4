import Foundation
import Logging
import ServiceLifecycle
import UploadServer

/// An `UploadServer` (embedded disk store) running inside this process, as `upman demo` uses it:
/// its service group runs in a task until `stop()` shuts it down gracefully.
final class EmbeddedServer: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:PORT`.
    let url: URL
    /// The admin token the server wrote to `DATA/admin.token`.
    let adminToken: String
    /// The database file.
    let databasePath: String
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Wraps a started server; `start` makes one.
    private init(url: URL, adminToken: String, databasePath: String, group: ServiceGroup, task: Task<Void, any Error>) {
        self.url = url
        self.adminToken = adminToken
        self.databasePath = databasePath
        self.group = group
        self.task = task
    }

    /// Opens the data directory, starts every service and returns once the server listens.
    static func start(_ configuration: ServerConfiguration, faults: PartFaults? = nil, logger: Logger) async throws -> EmbeddedServer {
        OpenFileLimit.raise()
        var server = try UploadServer.withDiskStorage(configuration, logger: logger)
        server.partFaults = faults
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let group = server.serviceGroup { port in continuation.yield(port) }
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw CLIError("the embedded server stopped before it listened")
        }
        let token = try String(contentsOf: configuration.dataDirectory.appendingPathComponent("admin.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return EmbeddedServer(
            url: URL(string: "http://\(configuration.host):\(port)")!, adminToken: token,
            databasePath: configuration.resolvedDatabasePath, group: group, task: task)
    }

    /// Shuts the services down gracefully (SSE streams end, requests finish, jobs under way
    /// finish); a shutdown that takes longer than `patience` is cancelled.
    func stop(patience: Duration = .seconds(10)) async {
        await group.triggerGracefulShutdown()
        let task = self.task
        let watchdog = Task {
            try await Task.sleep(for: patience)
            task.cancel()
        }
        _ = try? await task.value
        watchdog.cancel()
    }
}
