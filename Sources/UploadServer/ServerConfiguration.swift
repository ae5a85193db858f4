import Foundation
import ObjectStorage
import UploadModel

/// Everything `upman serve` can be told, with documented defaults.
public struct ServerConfiguration: Sendable {
    /// Address to listen on (default 127.0.0.1).
    public var host: String
    /// Port to listen on (default 8080; 0 picks a free one).
    public var port: Int
    /// Data directory: database, tokens, signing key, stored bytes (default `./upman-data`).
    public var dataDirectory: URL
    /// Database file (default `DATA/upman.db`).
    public var databasePath: String?
    /// Base URL that signed URLs point to (default `http://HOST:PORT`).
    public var publicURL: URL?
    /// How long a signed URL lives unless a client asks for less (default 1 h).
    public var urlExpiry: TimeInterval
    /// The longest lifetime a client may ask for (7 days, S3's limit).
    public var maximumURLExpiry: TimeInterval
    /// Processing job kinds run after each upload, in order (default sha256, content-type).
    public var jobs: [String]
    /// The command the `exec` job runs with the file's path as its argument.
    public var execCommand: String?
    /// How long an `exec` job may run (default 30 s).
    public var execTimeout: TimeInterval
    /// Jobs run at once (default 2).
    public var jobConcurrency: Int
    /// Attempts a job gets before it stays FAILED (default 3).
    public var jobMaxAttempts: Int
    /// First retry delay of a job; doubles with each attempt (default 1 s).
    public var jobBackoff: TimeInterval
    /// Sessions without activity this long become EXPIRED (default 24 h).
    public var sessionTTL: TimeInterval
    /// How often the sweeper looks for idle sessions (default 60 s).
    public var sweepInterval: TimeInterval
    /// Comment lines sent on idle SSE streams this often (default 15 s).
    public var heartbeatInterval: TimeInterval
    /// Events kept in the log for SSE replay (default 1,000,000).
    public var eventRetention: Int
    /// Single vs multipart and part sizes.
    public var planner: PartPlanner
    /// The bearer token the storage webhook accepts; nil: any admin token.
    public var webhookToken: String?
    /// Size limit of the embedded disk store in bytes; nil: the filesystem's size.
    public var storageCapacity: Int64?
    /// Whether the embedded disk store syncs a part's bytes to the disk before acknowledging it
    /// (default ``Durability/durable``).
    public var durability: Durability = .durable
    /// Open sessions idle this long are compared with storage by the reconciler (default 15 min).
    public var reconcileGrace: TimeInterval = 900
    /// Sessions the reconciler checks per sweep at most (default 100).
    public var reconcileBatch: Int = 100
    /// Origins whose pages may call the API, the storage PUTs and the feed from a browser (CORS);
    /// empty (the default): none.
    public var corsOrigins: [String] = []

    /// Creates a configuration; every value has a default.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: URL = URL(fileURLWithPath: "upman-data"),
        databasePath: String? = nil, publicURL: URL? = nil, urlExpiry: TimeInterval = 3600,
        maximumURLExpiry: TimeInterval = 7 * 86_400, jobs: [String] = ["sha256", "content-type"],
        execCommand: String? = nil, execTimeout: TimeInterval = 30, jobConcurrency: Int = 2,
        jobMaxAttempts: Int = 3, jobBackoff: TimeInterval = 1, sessionTTL: TimeInterval = 86_400,
        sweepInterval: TimeInterval = 60, heartbeatInterval: TimeInterval = 15,
        eventRetention: Int = 1_000_000, planner: PartPlanner = PartPlanner()
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.databasePath = databasePath
        self.publicURL = publicURL
        self.urlExpiry = urlExpiry
        self.maximumURLExpiry = maximumURLExpiry
        self.jobs = jobs
        self.execCommand = execCommand
        self.execTimeout = execTimeout
        self.jobConcurrency = jobConcurrency
        self.jobMaxAttempts = jobMaxAttempts
        self.jobBackoff = jobBackoff
        self.sessionTTL = sessionTTL
        self.sweepInterval = sweepInterval
        self.heartbeatInterval = heartbeatInterval
        self.eventRetention = eventRetention
        self.planner = planner
    }

    /// The database file this configuration names.
    public var resolvedDatabasePath: String {
        databasePath ?? dataDirectory.appendingPathComponent("upman.db").path
    }
}
