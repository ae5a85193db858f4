import Foundation
import Logging
import ObjectStorage
import UploadServer

extension ServeSettings {
    /// Every setting of `upman serve`, in the order `--help` and the README list them. A new
    /// setting is one entry here (and, when the server needs it, a field of ServerConfiguration).
    static let declarations: [ServeSetting] = [
        ServeSetting("config", .text, inFile: false, help: "TOML configuration file; its keys are the settings' names.") { _, _ in },
        ServeSetting("data", .text, default: "upman-data", help: "Data directory: database, admin token, signing key, stored bytes.") {
            $0.server.dataDirectory = URL(fileURLWithPath: $1.text)
        },
        ServeSetting("db", .text, default: "DATA/upman.db", help: "Database: a SQLite file, or a postgres:// URL that several instances share.") { $0.server.databasePath = $1.text },
        ServeSetting("host", .text, default: "127.0.0.1", help: "Address to listen on.") { $0.server.host = $1.text },
        ServeSetting("port", .integer(0...65535), default: "8080", help: "Port to listen on; 0 picks a free one.") { $0.server.port = $1.integer },
        ServeSetting("public_url", .text, default: "http://HOST:PORT", help: "Base URL clients reach this server at, for signed URLs.") {
            guard let url = URL(string: $1.text), url.scheme == "http" || url.scheme == "https" else {
                throw ValidationFailure("public_url must be an http(s) URL, not '\($1.text)'")
            }
            $0.server.publicURL = url
        },
        ServeSetting("log_level", .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]), default: "info", help: "Log level.") {
            $0.logLevel = Logger.Level(rawValue: $1.text) ?? .info
        },
        ServeSetting("jobs", .list, default: "sha256,content-type", help: "Processing jobs run after each upload, in order: \(JobKinds.names.joined(separator: ", ")).") {
            $0.server.jobs = $1.list
        },
        ServeSetting("exec_command", .text, help: "Command the exec job runs with the stored file's path.") { $0.server.execCommand = $1.text },
        ServeSetting("exec_timeout", .duration, default: "30s", help: "Time limit of the exec job; its process group is then stopped.") {
            $0.server.execTimeout = $1.seconds
        },
        ServeSetting("job_concurrency", .integer(1...1024), default: "2", help: "Jobs run at once.") { $0.server.jobConcurrency = $1.integer },
        ServeSetting("job_max_attempts", .integer(1...100), default: "3", help: "Attempts a job gets before it stays FAILED.") {
            $0.server.jobMaxAttempts = $1.integer
        },
        ServeSetting("job_backoff", .duration, default: "1s", help: "First retry delay of a job; it doubles with each attempt.") {
            $0.server.jobBackoff = $1.seconds
        },
        ServeSetting(
            "job_lease", .duration, default: "30s",
            help: "How long a running job's claim holds unless renewed (every third of it); a job whose instance died runs again after it."
        ) {
            guard $1.seconds >= 1 else { throw ValidationFailure("job_lease must be at least 1s, not '\($1.text)'") }
            $0.server.jobLease = $1.seconds
        },
        ServeSetting("session_ttl", .duration, default: "24h", help: "Sessions without activity this long become EXPIRED.") {
            $0.server.sessionTTL = $1.seconds
        },
        ServeSetting("url_expiry", .duration, default: "1h", help: "How long a signed URL lives unless a client asks for less (at most 7d).") {
            $0.server.urlExpiry = min($1.seconds, $0.server.maximumURLExpiry)
        },
        ServeSetting("sweep_interval", .duration, default: "60s", help: "How often the sweeper looks for idle sessions.") {
            $0.server.sweepInterval = max(0.1, $1.seconds)
        },
        ServeSetting("heartbeat_interval", .duration, default: "15s", help: "Comment lines are sent on idle SSE streams this often.") {
            $0.server.heartbeatInterval = max(0.1, $1.seconds)
        },
        ServeSetting("event_retention", .integer(1000...Int.max), default: "1000000", help: "Events kept in the log for SSE replay.") {
            $0.server.eventRetention = $1.integer
        },
        ServeSetting("multipart_threshold", .size, default: "8MiB", help: "Files from this size up are sent in parts; smaller ones in one PUT.") {
            $0.server.planner.multipartThreshold = $1.bytes
        },
        ServeSetting("part_size", .size, default: "8MiB", help: "Size of each part (every part but the last), at least minimum_part_size.") { $0.partSize = $1.bytes },
        ServeSetting(
            "minimum_part_size", .size, default: "5MiB",
            help: "Smallest part for the embedded disk store, 1 byte to 5 MiB (e.g. 4KiB for tests with many small parts); refused with storage s3, which refuses parts under 5 MiB."
        ) { $0.minimumPartSize = $1.bytes },
        ServeSetting(
            "durability", .choice(["durable", "relaxed"]), default: "durable",
            help: "When the disk store acknowledges a part: durable (after fdatasync) or relaxed (once the kernel has the bytes; a killed server still loses nothing)."
        ) { $0.server.durability = Durability(rawValue: $1.text) ?? .durable },
        ServeSetting(
            "storage_capacity", .size, default: "the filesystem's size",
            help: "Size limit of the embedded disk store, e.g. 500GiB; a part that finds it reached fails with storageFull, like a full disk."
        ) {
            guard $1.bytes > 0 else { throw ValidationFailure("storage_capacity must be a positive size, e.g. 500GiB") }
            $0.server.storageCapacity = $1.bytes
        },
        ServeSetting("reconcile_grace", .duration, default: "15m", help: "Open sessions idle this long are compared with storage by the reconciler.") {
            $0.server.reconcileGrace = $1.seconds
        },
        ServeSetting("reconcile_batch", .integer(1...100_000), default: "100", help: "Sessions the reconciler checks per sweep at most.") {
            $0.server.reconcileBatch = $1.integer
        },
        ServeSetting(
            "cors_origin", .list, default: "no origins",
            help: "Origins whose pages may call the API, the storage PUTs and the feed (CORS), e.g. https://app.example.com; repeatable."
        ) {
            for origin in $1.list {
                guard let url = URL(string: origin), url.scheme == "http" || url.scheme == "https", url.host != nil,
                      url.path.isEmpty, url.query == nil, !origin.hasSuffix("/")
                else {
                    throw ValidationFailure("cors_origin takes origins such as https://app.example.com (scheme, host, optional port; no path, no *), not '\(origin)'")
                }
            }
            $0.server.corsOrigins = $1.list
        },
        ServeSetting(
            "tus_path", .text, default: "/files/",
            help: "Path of the tus 1.0.0 endpoint (resumable uploads from tus clients: Uppy, tus-js-client, tuspy); empty turns it off."
        ) {
            let path = $1.text
            guard path.isEmpty || (path.hasPrefix("/") && path.hasSuffix("/") && path.count > 2
                && path.split(separator: "/").allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) } }
                && !["api", "storage", "metrics", "healthz", "upload"].contains(path.split(separator: "/").first.map(String.init) ?? ""))
            else {
                throw ValidationFailure("tus_path is a path such as /files/ (letters, digits, - _ . between slashes; not under /api/ or /storage/), not '\(path)'")
            }
            $0.server.tusPath = path
        },
        ServeSetting("webhook_token", .text, default: "any admin token", secret: true, help: "Bearer token the storage webhook accepts.") {
            $0.server.webhookToken = $1.text.isEmpty ? nil : $1.text
        },
        ServeSetting("storage", .choice(["disk", "s3"]), default: "disk", help: "Where bytes go: disk (the embedded store) or s3 (any S3-compatible service).") {
            $0.storage = $1.text
        },
        ServeSetting(
            "s3_endpoint", .text, default: "https://s3.REGION.amazonaws.com", alsoFrom: ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"],
            help: "S3 endpoint URL, e.g. http://127.0.0.1:9000."
        ) { $0.s3Settings.endpoint = $1.text },
        ServeSetting("s3_bucket", .text, help: "S3 bucket the objects go to.") { $0.s3Settings.bucket = $1.text },
        ServeSetting("s3_region", .text, default: "us-east-1", alsoFrom: ["AWS_REGION", "AWS_DEFAULT_REGION"], help: "S3 signing region.") {
            $0.s3Settings.region = $1.text
        },
        ServeSetting("s3_path_style", .boolean, default: "false", help: "Address the bucket as ENDPOINT/BUCKET/KEY (MinIO) instead of BUCKET.HOST/KEY.") {
            $0.s3Settings.pathStyle = $1.boolean
        },
        ServeSetting("s3_access_key_id", .text, alsoFrom: ["AWS_ACCESS_KEY_ID"], help: "S3 access key id. Flags show in `ps`: prefer the environment.") {
            $0.s3Settings.accessKeyId = $1.text
        },
        ServeSetting(
            "s3_secret_access_key", .text, secret: true, alsoFrom: ["AWS_SECRET_ACCESS_KEY"],
            help: "S3 secret access key. Flags show in `ps`: prefer the environment."
        ) { $0.s3Settings.secretAccessKey = $1.text },
        ServeSetting("s3_session_token", .text, secret: true, alsoFrom: ["AWS_SESSION_TOKEN"], help: "S3 session token of temporary credentials.") {
            $0.s3Settings.sessionToken = $1.text
        },
    ]
}
