#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Foundation
import TestSupport

/// One `upman serve` of a ``Cluster``: a ``ServerChild`` on a port of 127.0.0.1 chosen before it
/// starts (so nginx can be told), with a data folder of its own and the cluster's database and
/// bucket. Its standard output and error go to `serve.log` in its folder.
final class ClusterInstance: Sendable {
    /// Its name in the cluster ("a", "b", …), for messages.
    let name: String
    /// The port it listens on.
    let port: Int
    /// The running process.
    let child: ServerChild

    /// Its base URL.
    var url: String { "http://127.0.0.1:\(port)" }
    /// Its folder (the process's working directory): `data/` and `serve.log`.
    var folder: URL { child.folder }
    /// Its data directory, where it wrote its admin token.
    var dataPath: String { folder.appendingPathComponent("data").path }
    /// The process id of `upman serve`.
    var pid: Int32 { child.pid }

    private init(name: String, port: Int, child: ServerChild) {
        self.name = name
        self.port = port
        self.child = child
    }

    /// Starts `upman serve` with `arguments` (database, storage, jobs…) plus its data folder and
    /// `port`, and waits until it answers `/healthz`. Throws with the end of its log when it ends
    /// or does not answer within ``Patience/quiet`` seconds.
    static func start(name: String, port: Int, arguments: [String], environment: [String: String]) async throws -> ClusterInstance {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-node-\(name)-\(UUID().uuidString.prefix(8).lowercased())")
        let child = try await offPool {
            try ServerChild.launch(
                UpmanBinary.url.path,
                ["serve", "--data", folder.appendingPathComponent("data").path, "--port", String(port)] + arguments,
                folder: folder, log: folder.appendingPathComponent("serve.log"), environment: environment)
        }
        let instance = ClusterInstance(name: name, port: port, child: child)
        let deadline = ContinuousClock.now + .seconds(Patience.quiet)
        while ContinuousClock.now < deadline {
            guard child.isRunning else { break }
            if await instance.isHealthy() { return instance }
            try await Task.sleep(for: .milliseconds(50))
        }
        let log = instance.log()
        await instance.stop()
        throw ServerProcessError(.didNotStart, "upman serve \(name) on port \(port) did not answer /healthz: \(log.suffix(1500))")
    }

    /// Whether it answers `GET /healthz` with 200 now.
    func isHealthy() async -> Bool {
        guard loopbackAccepts(port: port, seconds: 1) else { return false }
        guard let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/healthz"), timeout: .seconds(5)) else {
            return false
        }
        _ = try? await response.body.collect(upTo: 1 << 16)
        return response.status == .ok
    }

    /// The admin token it wrote into its data directory (every instance's works on all of them:
    /// tokens live in the shared database).
    func adminToken() throws -> String {
        try String(contentsOfFile: dataPath + "/admin.token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What it logged so far.
    func log() -> String {
        (try? String(contentsOf: folder.appendingPathComponent("serve.log"), encoding: .utf8)) ?? ""
    }

    /// Kills it the way a machine dies: SIGKILL to `upman serve` and, at the same moment, to every
    /// process working in its folder (the commands its exec jobs started, which a SIGKILLed
    /// server alone would leave running). Waits until they are gone; the folder stays for its log.
    func crash() async {
        let child = self.child
        _ = try? await offPool {
            kill(child.pid, SIGKILL)
            for pid in ServerChild.processes(under: child.folder) { kill(-pid, SIGKILL); kill(pid, SIGKILL) }
            _ = child.process.waitForExit(seconds: 30)
            let deadline = Date().addingTimeInterval(10)
            while !ServerChild.processes(under: child.folder).isEmpty, Date() < deadline {
                for pid in ServerChild.processes(under: child.folder) { kill(pid, SIGKILL) }
                usleep(20_000)
            }
        }
    }

    /// Stops it (SIGTERM, SIGKILL after a grace) with everything it started, and removes its folder.
    func stop() async {
        let child = self.child
        _ = try? await offPool { child.stop(signal: SIGTERM, grace: 10) }
    }
}
