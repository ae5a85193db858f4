import ArgumentParser
import Foundation
import Logging
import ObjectStorage
import ServiceLifecycle
import UploadModel
import UploadServer

/// `upman serve`: the session controller with the embedded disk store, SSE feed and jobs.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the session controller (HTTP JSON API, disk or S3 storage, SSE feed, jobs).",
        discussion: """
            Settings come from flags, then the environment (UPMAN_<SETTING>, e.g. UPMAN_PORT), then \
            the TOML file named by --config (e.g. `port = 8080`, `jobs = ["sha256", "exec"]`).
            """)

    @Option(help: "Data directory: database, admin token, signing key, stored bytes. [default: ./upman-data]")
    var data: String?
    @Option(help: "Database file. [default: DATA/upman.db]")
    var db: String?
    @Option(help: "Address to listen on. [default: 127.0.0.1]")
    var host: String?
    @Option(help: "Port to listen on; 0 picks a free one. [default: 8080]")
    var port: Int?
    @Option(help: "TOML configuration file.")
    var config: String?
    @Option(help: "Base URL clients reach this server at (for signed URLs). [default: http://HOST:PORT]")
    var publicUrl: String?
    @Option(help: "Processing jobs after each upload, comma-separated: sha256, content-type, exec. [default: sha256,content-type]")
    var jobs: String?
    @Option(help: "Command the exec job runs with the stored file's path.")
    var execCommand: String?
    @Option(help: "Time limit of the exec job. [default: 30s]")
    var execTimeout: String?
    @Option(help: "Idle sessions expire after this long. [default: 24h]")
    var sessionTtl: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error. [default: info]")
    var logLevel: String?
    @Option(help: "Where bytes go: disk (embedded store) or s3 (any S3-compatible service). [default: disk]")
    var storage: String?
    @Option(help: "S3 endpoint URL, e.g. http://127.0.0.1:9000 (env AWS_ENDPOINT_URL too). [default: https://s3.REGION.amazonaws.com]")
    var s3Endpoint: String?
    @Option(help: "S3 bucket the objects go to.")
    var s3Bucket: String?
    @Option(help: "S3 signing region (env AWS_REGION too). [default: us-east-1]")
    var s3Region: String?
    @Option(help: "S3 access key id. Prefer the environment (AWS_ACCESS_KEY_ID): flags show in `ps`.")
    var s3AccessKeyId: String?
    @Option(help: "S3 secret access key. Prefer the environment (AWS_SECRET_ACCESS_KEY): flags show in `ps`.")
    var s3SecretAccessKey: String?
    @Flag(help: "Address the bucket as ENDPOINT/BUCKET/KEY (MinIO) instead of BUCKET.HOST/KEY.")
    var s3PathStyle = false
    @Option(help: "Size limit of the embedded disk store, e.g. 500GiB; a part that finds it reached fails with storageFull, like a full disk. [default: the filesystem's size]")
    var storageCapacity: String?
    @Option(help: "Smallest part (every part but the last) for the embedded disk store, 1 byte to 5 MiB, e.g. 4KiB for tests and benchmarks with many small parts; refused with --storage s3, since S3 refuses parts under 5 MiB. [default: 5MiB]")
    var minimumPartSize: String?
    @Option(help: "When the embedded disk store acknowledges a part: durable (after fdatasync: nothing acknowledged is lost to a power failure) or relaxed (once the kernel has the bytes: faster for many small files; a killed server still loses nothing). [default: durable]")
    var durability: String?
    @Option(help: "Bearer token the storage webhook accepts (env UPMAN_WEBHOOK_TOKEN). [default: any admin token]")
    var webhookToken: String?

    func run() async throws {
        let settings: ServeSettings
        do {
            settings = try ServeSettings.resolve(
                flags: [
                    "data": data, "db": db, "host": host, "port": port.map(String.init), "public_url": publicUrl,
                    "jobs": jobs, "exec_command": execCommand, "exec_timeout": execTimeout,
                    "session_ttl": sessionTtl, "log_level": logLevel, "storage": storage,
                    "s3_endpoint": s3Endpoint, "s3_bucket": s3Bucket, "s3_region": s3Region,
                    "s3_path_style": s3PathStyle ? "true" : nil, "webhook_token": webhookToken,
                    "storage_capacity": storageCapacity, "minimum_part_size": minimumPartSize, "durability": durability,
                    "s3_access_key_id": s3AccessKeyId, "s3_secret_access_key": s3SecretAccessKey,
                ].compactMapValues { $0 },
                environment: ProcessInfo.processInfo.environment, configPath: config)
        } catch {
            throw CLIError("\(error)")
        }
        LoggingSystem.bootstrap { label in
            var handler = EscapingLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = settings.logLevel
            return handler
        }
        let logger = Logger(label: "upman.serve")
        let files = OpenFileLimit.raise()
        if files < 4096 { logger.warning("open-file limit is \(files); each connection takes one (raise it with ulimit -n)") }
        let server: UploadServer
        do {
            if let s3 = settings.s3 {
                server = try UploadServer.withS3Storage(settings.server, s3: s3, logger: logger)
            } else {
                server = try UploadServer.withDiskStorage(settings.server, logger: logger)
            }
        } catch {
            throw CLIError("cannot start: \(error)")
        }
        if let s3 = settings.s3 {
            // Not fatal: the service may come up after upman; every request will say so meanwhile.
            do {
                if try await !S3Storage(configuration: s3).bucketExists() {
                    logger.warning("bucket \(s3.bucket) does not exist at \(s3.endpoint.absoluteString)")
                }
            } catch {
                logger.warning("cannot reach bucket \(s3.bucket): \(error)")
            }
        }
        let data = settings.server.dataDirectory.path
        let storageNote = settings.s3.map { "storage s3 \($0.endpoint.absoluteString) bucket \($0.bucket), " } ?? ""
        let group = server.serviceGroup(gracefulShutdownSignals: [.sigterm, .sigint]) { port in
            let line = "upman serve listening on http://\(settings.server.host):\(port) (\(storageNote)data \(data), admin token in \(data)/admin.token)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        try await group.run()
    }
}
