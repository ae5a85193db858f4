import Foundation
import ObjectStorage
import UploadModel

/// Everything `upman serve` can be told, each with its default in its declaration.
public struct ServerConfiguration: Sendable {
    /// Address to listen on.
    public var host = "127.0.0.1"
    /// Port to listen on; 0 picks a free one.
    public var port = 8080
    /// Data directory: database, tokens, signing key, stored bytes.
    public var dataDirectory = URL(fileURLWithPath: "upman-data")
    /// Database file; nil: `DATA/upman.db`.
    public var databasePath: String?
    /// Base URL that signed URLs point to; nil: `http://HOST:PORT`.
    public var publicURL: URL?
    /// How long a signed URL lives unless a client asks for less, in seconds (1 h).
    public var urlExpiry: TimeInterval = 3600
    /// The longest lifetime a client may ask for, in seconds (7 days, S3's limit).
    public var maximumURLExpiry: TimeInterval = 7 * 86_400
    /// Processing job kinds run after each upload, in order (see ``JobKinds``).
    public var jobs = ["sha256", "content-type"]
    /// The command the `exec` job runs with the file's path as its argument.
    public var execCommand: String?
    /// How long an `exec` job may run, in seconds.
    public var execTimeout: TimeInterval = 30
    /// Jobs run at once.
    public var jobConcurrency = 2
    /// Attempts a job gets before it stays FAILED.
    public var jobMaxAttempts = 3
    /// First retry delay of a job in seconds; doubles with each attempt.
    public var jobBackoff: TimeInterval = 1
    /// How long a job's claim (its lease) holds without renewal, in seconds; the runner renews its
    /// leases every third of it, and a job whose lease ran out (its instance died) is queued again.
    public var jobLease: TimeInterval = 30
    /// Sessions without activity this long (seconds) become EXPIRED.
    public var sessionTTL: TimeInterval = 86_400
    /// How often the sweeper looks for idle sessions, in seconds.
    public var sweepInterval: TimeInterval = 60
    /// Comment lines are sent on idle SSE streams this often, in seconds.
    public var heartbeatInterval: TimeInterval = 15
    /// Events kept in the log for SSE replay.
    public var eventRetention = 1_000_000
    /// Single vs multipart and part sizes.
    public var planner = PartPlanner()
    /// The bearer token the storage webhook accepts; nil: any admin token.
    public var webhookToken: String?
    /// Size limit of the embedded disk store in bytes; nil: the filesystem's size.
    public var storageCapacity: Int64?
    /// Whether the embedded disk store syncs a part's bytes to the disk before acknowledging it.
    public var durability: Durability = .durable
    /// Open sessions idle this long (seconds) are compared with storage by the reconciler (15 min).
    public var reconcileGrace: TimeInterval = 900
    /// Sessions the reconciler checks per sweep at most.
    public var reconcileBatch = 100
    /// Origins whose pages may call the API, the storage PUTs and the feed from a browser (CORS);
    /// empty: none.
    public var corsOrigins: [String] = []
    /// Where the tus 1.0.0 endpoint is mounted, with its slashes (`/files/`); empty: no tus endpoint.
    public var tusPath = "/files/"

    /// The defaults: `upman serve` with no settings. Change what differs on the value, as
    /// `upman serve`'s settings do (`ServeSettings.declarations`).
    public init() {}

    /// The database file this configuration names.
    public var resolvedDatabasePath: String {
        databasePath ?? dataDirectory.appendingPathComponent("upman.db").path
    }
}
