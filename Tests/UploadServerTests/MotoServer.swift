import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ObjectStorage
import Testing

/// moto's standalone S3 server (`python3 -m moto.server`) on a free port of 127.0.0.1, started by
/// a test and stopped at its end. Waiting on it happens on threads of its own, never on the
/// cooperative pool.
final class MotoServer: S3Peer, @unchecked Sendable {
    let process: Process
    let port: Int
    var kind: S3PeerKind { .moto }
    var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }
    /// moto takes any keys.
    var credentials: S3Credentials { S3Credentials(accessKeyId: "testing", secretAccessKey: "testing") }

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// Why moto cannot run here, or nil when it can.
    static let unavailableReason: String? = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Finding the modules is enough (importing moto.server loads Flask: a second of CPU).
        process.arguments = ["python3", "-c", "import importlib.util as u, sys; sys.exit(0 if u.find_spec('moto') and u.find_spec('flask') else 1)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try LaunchThread.run(process) } catch { return "python3 is not installed" }
        return process.waitForExit() == 0 ? nil : "moto is not installed (pip install 'moto[server]')"
    }()

    /// Whether tests that need moto can run.
    static var isAvailable: Bool { unavailableReason == nil }

    /// Starts moto on a free port (another port when the first is taken meanwhile) and waits
    /// until it answers.
    static func start() async throws -> MotoServer {
        if let reason = try await offPool({ unavailableReason }) { throw S3PeerError(reason) }
        var lastError = "moto did not start"
        for _ in 0..<3 {
            let port = try freeLoopbackPort()
            let process = try await offPool { try launch(port: port) }
            let server = MotoServer(process: process, port: port)
            if try await server.waitUntilAnswering(seconds: Patience.quiet) { return server }
            lastError = "moto on port \(port) did not answer (exit status \(await process.exitStatus(within: .zero).map(String.init) ?? "running"))"
            await server.stop()
        }
        throw S3PeerError(lastError)
    }

    /// Stops moto and waits for it. SIGKILL: its state is thrown away anyway, and a child of the
    /// test process may inherit SIGTERM ignored.
    func stop() async {
        let process = self.process
        _ = try? await offPool {
            if process.isRunning {
                kill(-process.processIdentifier, SIGKILL)
                kill(process.processIdentifier, SIGKILL)
            }
            _ = process.waitForExit()
        }
    }

    private func waitUntilAnswering(seconds: Double) async throws -> Bool {
        let process = self.process
        return try await Self.answers(endpoint, seconds: seconds) { process.isRunning }
    }

    private static func launch(port: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try LaunchThread.run(process)
        return process
    }

}


