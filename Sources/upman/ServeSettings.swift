import Foundation
import Logging
import ObjectStorage
import UploadModel
import UploadServer

/// The resolved settings of `upman serve`.
struct ServeSettings {
    var server: ServerConfiguration
    var logLevel: Logger.Level
    /// The S3-compatible bucket when `storage = "s3"`; nil for the embedded disk store.
    var s3: S3Configuration?

    /// Reads flags, then `UPMAN_*` environment variables, then the TOML file.
    static func resolve(flags: [String: String], environment: [String: String], configPath: String?) throws -> ServeSettings {
        var file: TOMLDocument?
        if let path = configPath ?? environment["UPMAN_CONFIG"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationFailure("cannot read config file \(path)")
            }
            do { file = try TOMLDocument(parsing: text) } catch { throw ValidationFailure("\(path): \(error)") }
        }
        let sources = SettingSources(flags: flags, environment: environment, file: file)
        var config = ServerConfiguration()
        if let data = try sources.string("data") { config.dataDirectory = URL(fileURLWithPath: data) }
        config.databasePath = try sources.string("db")
        if let host = try sources.string("host") { config.host = host }
        if let port = try sources.int("port") {
            guard (0...65535).contains(port) else { throw ValidationFailure("port must be 0...65535, not \(port)") }
            config.port = port
        }
        if let url = try sources.string("public_url") {
            guard let parsed = URL(string: url), parsed.scheme == "http" || parsed.scheme == "https" else {
                throw ValidationFailure("public_url must be an http(s) URL, not '\(url)'")
            }
            config.publicURL = parsed
        }
        if let jobs = try sources.list("jobs") {
            let unknown = jobs.filter { !ServerConfiguration.knownJobs.contains($0) }
            guard unknown.isEmpty else {
                throw ValidationFailure("unknown job kind(s): \(unknown.joined(separator: ", ")); known: sha256, content-type, exec")
            }
            config.jobs = jobs
        }
        config.execCommand = try sources.string("exec_command")
        if config.jobs.contains("exec") && (config.execCommand ?? "").isEmpty {
            throw ValidationFailure("the exec job needs exec_command (--exec-command or UPMAN_EXEC_COMMAND)")
        }
        if let value = try sources.seconds("exec_timeout") { config.execTimeout = value }
        if let value = try sources.seconds("url_expiry") { config.urlExpiry = min(value, config.maximumURLExpiry) }
        if let value = try sources.int("job_concurrency") { config.jobConcurrency = max(1, value) }
        if let value = try sources.int("job_max_attempts") { config.jobMaxAttempts = max(1, value) }
        if let value = try sources.seconds("job_backoff") { config.jobBackoff = value }
        if let value = try sources.seconds("session_ttl") { config.sessionTTL = value }
        if let value = try sources.seconds("sweep_interval") { config.sweepInterval = max(0.1, value) }
        if let value = try sources.seconds("heartbeat_interval") { config.heartbeatInterval = max(0.1, value) }
        if let value = try sources.int("event_retention") { config.eventRetention = max(1000, value) }
        if let value = try sources.bytes("multipart_threshold") { config.planner.multipartThreshold = value }
        let s3 = try resolveS3(sources)
        if let value = try sources.bytes("minimum_part_size") {
            config.planner.minimumPartSize = try minimumPartSize(value, s3: s3 != nil)
        }
        if let value = try sources.bytes("part_size") {
            guard value >= config.planner.minimumPartSize else {
                throw ValidationFailure("part_size must be at least \(config.planner.minimumPartSize) bytes (minimum_part_size), not \(value)")
            }
            config.planner.defaultPartSize = value
        }
        var level = Logger.Level.info
        if let text = try sources.string("log_level") {
            guard let parsed = Logger.Level(rawValue: text.lowercased()) else {
                throw ValidationFailure("log_level must be one of trace, debug, info, notice, warning, error, critical")
            }
            level = parsed
        }
        if let value = try sources.seconds("reconcile_grace") { config.reconcileGrace = value }
        if let value = try sources.int("reconcile_batch") { config.reconcileBatch = max(1, value) }
        if let value = try sources.bytes("storage_capacity") {
            guard value > 0 else { throw ValidationFailure("storage_capacity must be a positive size, e.g. 500GiB") }
            config.storageCapacity = value
        }
        if let text = try sources.string("durability") {
            guard let value = Durability(rawValue: text.lowercased()) else {
                throw ValidationFailure("durability must be durable or relaxed, not '\(text)'")
            }
            config.durability = value
        }
        config.webhookToken = try sources.string("webhook_token").flatMap { $0.isEmpty ? nil : $0 }
        return ServeSettings(server: config, logLevel: level, s3: s3)
    }

    /// `minimum_part_size`: lowers the smallest part (every part but the last) below S3's 5 MiB, for
    /// the embedded disk store only (tests and benchmarks that want many small parts). S3 refuses
    /// such parts at completion, so with `storage = "s3"` it is an error, as is anything outside
    /// 1 byte...5 MiB (it can only lower the minimum).
    static func minimumPartSize(_ value: Int64, s3: Bool) throws -> Int64 {
        let limit = PartPlanner().minimumPartSize
        guard !s3 else {
            throw ValidationFailure("minimum_part_size applies to the embedded disk store only: S3 refuses parts under 5 MiB except the last (remove it, or use --storage disk)")
        }
        guard value >= 1, value <= limit else {
            throw ValidationFailure("minimum_part_size must be between 1 byte and \(limit) bytes (5 MiB), not \(value)")
        }
        return value
    }

    /// `storage = "s3"` and its bucket, endpoint, region, addressing style and credentials; the
    /// usual AWS_* variables fill what flags and UPMAN_* leave open.
    static func resolveS3(_ sources: SettingSources) throws -> S3Configuration? {
        let storage = try sources.string("storage")?.lowercased() ?? "disk"
        switch storage {
        case "disk": return nil
        case "s3": break
        default: throw ValidationFailure("storage must be disk or s3, not '\(storage)'")
        }
        guard let bucket = try sources.string("s3_bucket"), !bucket.isEmpty else {
            throw ValidationFailure("storage s3 needs a bucket (--s3-bucket, UPMAN_S3_BUCKET or s3_bucket)")
        }
        let region = try sources.string("s3_region", aws: ["AWS_REGION", "AWS_DEFAULT_REGION"]) ?? "us-east-1"
        let endpointText = try sources.string("s3_endpoint", aws: ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"])
            ?? "https://s3.\(region).amazonaws.com"
        guard let endpoint = URL(string: endpointText), endpoint.scheme == "http" || endpoint.scheme == "https", endpoint.host != nil else {
            throw ValidationFailure("s3_endpoint must be an http(s) URL, not '\(endpointText)'")
        }
        guard let key = try sources.string("s3_access_key_id", aws: ["AWS_ACCESS_KEY_ID"]),
              let secret = try sources.string("s3_secret_access_key", aws: ["AWS_SECRET_ACCESS_KEY"])
        else {
            throw ValidationFailure("storage s3 needs credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or s3_access_key_id and s3_secret_access_key)")
        }
        let token = try sources.string("s3_session_token", aws: ["AWS_SESSION_TOKEN"])
        let pathStyleText = try sources.string("s3_path_style")?.lowercased() ?? "false"
        guard ["true", "false", "1", "0", "yes", "no"].contains(pathStyleText) else {
            throw ValidationFailure("s3_path_style must be true or false, not '\(pathStyleText)'")
        }
        return S3Configuration(
            endpoint: endpoint, bucket: bucket, region: region, pathStyle: ["true", "1", "yes"].contains(pathStyleText),
            credentials: S3Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token))
    }
}
