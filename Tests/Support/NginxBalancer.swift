#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// nginx as a load balancer on a free port of 127.0.0.1 in front of upman instances (or any HTTP
/// servers) on 127.0.0.1, with the configuration of ``configuration(listen:upstreams:prefix:)``
/// written into a temporary folder that also takes its logs, pid file and temporary files.
///
/// nginx runs in the foreground (`daemon off`) with its master process, as a child the test owns.
/// Under root its workers run as root too (`user root`, passed with `-g`), so they can use the
/// temporary folder whoever owns it; otherwise they run as oneself. It needs nothing from
/// /etc/nginx or /var/log. The binary is `/usr/sbin/nginx` (apt package `nginx`), or the one named
/// by `UPMAN_TEST_NGINX`, or the one on PATH.
public final class NginxBalancer: @unchecked Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    /// The ports of the servers it balances, on 127.0.0.1.
    public var upstreams: [Int] { lock.withLock { currentUpstreams } }
    /// Its base URL, such as `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }
    /// The master process's id.
    public var pid: Int32 { child.pid }
    /// Its folder (prefix): configuration, logs, pid file, temporary files.
    public var folder: URL { child.folder }

    private let child: ServerChild
    private let binary: String
    private let lock = NSLock()
    private var currentUpstreams: [Int]

    private init(port: Int, upstreams: [Int], child: ServerChild, binary: String) {
        self.port = port
        self.currentUpstreams = upstreams
        self.child = child
        self.binary = binary
    }

    /// The nginx executable, or nil when nginx is not installed.
    public static let binary: String? = {
        let manager = FileManager.default
        if let named = ProcessInfo.processInfo.environment["UPMAN_TEST_NGINX"] {
            return manager.isExecutableFile(atPath: named) ? named : nil
        }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/nginx" }
        return (["/usr/sbin/nginx"] + path).first { manager.isExecutableFile(atPath: $0) }
    }()

    /// Why nginx cannot run here, or nil when it can.
    public static var unavailableReason: String? {
        binary == nil ? "nginx is not installed (apt-get install nginx)" : nil
    }

    /// Starts nginx on a free port (another when that one was taken meanwhile) in front of
    /// `upstreams` and waits until it accepts connections. The upstreams need not be up yet.
    public static func start(upstreams: [Int]) async throws -> NginxBalancer {
        try await offPool { try startBlocking(upstreams: upstreams) }
    }

    private static func startBlocking(upstreams: [Int]) throws -> NginxBalancer {
        guard let binary else { throw ServerProcessError(.notInstalled, "nginx is not installed (apt-get install nginx)") }
        guard !upstreams.isEmpty else { throw ServerProcessError(.didNotStart, "a balancer needs at least one upstream") }
        var lastError = "nginx did not start"
        for _ in 0..<3 {
            let port = try freeLoopbackPort()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-nginx-\(UUID().uuidString.prefix(8).lowercased())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try write(configuration(listen: port, upstreams: upstreams, prefix: folder.path), in: folder)
            let child = try ServerChild.launch(
                binary, arguments(in: folder), folder: folder,
                // SIGTERM is nginx's fast shutdown: the master takes its workers with it.
                deathSignal: "TERM", log: folder.appendingPathComponent("stderr.log")
            )
            let balancer = NginxBalancer(port: port, upstreams: upstreams, child: child, binary: binary)
            if balancer.waitUntilListening(seconds: Patience.quiet) { return balancer }
            lastError = "nginx on port \(port) did not start: \(balancer.errorLog().suffix(800))"
            child.stop(signal: SIGKILL, grace: 5)
        }
        throw ServerProcessError(.didNotStart, lastError)
    }

    /// The command-line arguments of nginx for the configuration in `folder`.
    private static func arguments(in folder: URL) -> [String] {
        var globals = "daemon off; master_process on; pid \(folder.path)/nginx.pid;"
        if getuid() == 0 { globals += " user root;" }
        return [
            "-p", folder.path + "/", "-c", configurationFile(in: folder).path,
            "-e", folder.appendingPathComponent("error.log").path, "-g", globals,
        ]
    }

    private static func configurationFile(in folder: URL) -> URL { folder.appendingPathComponent("nginx.conf") }

    private static func write(_ configuration: String, in folder: URL) throws {
        try Data(configuration.utf8).write(to: configurationFile(in: folder))
    }

    /// Whether nginx accepts connections within `seconds`; false at once when it ended.
    private func waitUntilListening(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard child.isRunning else { return false }
            if loopbackAccepts(port: port) { return true }
            usleep(20_000)
        }
        return false
    }

    /// What nginx wrote to its error log and standard error so far.
    public func errorLog() -> String {
        ["stderr.log", "error.log"].compactMap {
            try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
        }.joined()
    }

    /// Balances `upstreams` instead: checks the new configuration (`nginx -t`), then reloads
    /// (SIGHUP) and returns once workers with the new configuration run and the old ones have
    /// stopped taking connections. Throws, leaving the old configuration in force, when the new one
    /// is refused or the reload does not finish within `seconds`.
    public func reload(upstreams: [Int], seconds: Double = 60) async throws {
        let (binary, folder, port, pid) = (self.binary, self.folder, self.port, self.pid)
        try await offPool {
            let previous = try String(contentsOf: Self.configurationFile(in: folder), encoding: .utf8)
            try Self.write(Self.configuration(listen: port, upstreams: upstreams, prefix: folder.path), in: folder)
            let check = try BoundedRun.run(binary, Self.arguments(in: folder) + ["-t", "-q"], in: folder, timeout: 60)
            guard check.status == 0 else {
                try Self.write(previous, in: folder)
                throw ServerProcessError(.commandFailed, "nginx -t refused the configuration: \(check.errors)")
            }
            let oldWorkers = Set(ServerChild.children(of: pid))
            kill(pid, SIGHUP)
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let workers = ServerChild.children(of: pid)
                let renewed = workers.contains { !oldWorkers.contains($0) }
                let oldAccepting = workers.filter { oldWorkers.contains($0) && !Self.isShuttingDown($0) }
                if renewed && oldAccepting.isEmpty { return }
                usleep(20_000)
            }
            throw ServerProcessError(.commandFailed, "nginx did not reload within \(seconds) s")
        }
        lock.withLock { currentUpstreams = upstreams }
    }

    /// Whether the nginx worker `pid` is draining after a reload (its title says so).
    private static func isShuttingDown(_ pid: Int32) -> Bool {
        let title = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        return String(decoding: title, as: UTF8.self).contains("shutting down")
    }

    /// Stops nginx (SIGTERM, its fast shutdown, which closes open connections such as event
    /// streams instead of waiting for them; SIGKILL after `grace` seconds), makes sure none of its
    /// processes is left, and removes its folder.
    public func stop(grace: Double = 10) async {
        let child = self.child
        _ = try? await offPool { child.stop(signal: SIGTERM, grace: grace) }
    }

    /// The processes of this nginx still running (master and workers, found by their working
    /// directory, its folder): empty after ``stop(grace:)``.
    public func remainingProcesses() -> [Int32] { ServerChild.processes(under: folder) }
}
