import Foundation

/// Work done on a file after its bytes arrived (checksum, type sniffing, an operator's command).
public struct ProcessingJob: Codable, Sendable, Hashable, Identifiable {
    /// Stable id, e.g. `job_…`.
    public var id: String
    /// The session the job processes.
    public var sessionId: String
    /// The session's group.
    public var groupId: String
    /// The job kind: `sha256`, `content-type`, `exec`, …
    public var kind: String
    /// Order among the session's jobs (0 first).
    public var position: Int
    /// Where the job is.
    public var status: JobStatus
    /// How many times the job has started.
    public var attempts: Int
    /// How many attempts it may take before it stays FAILED.
    public var maxAttempts: Int
    /// What the job produced (a digest, a media type, a command's output tail).
    public var output: String?
    /// The last error, if any.
    public var error: ErrorDetail?
    /// When the job was created.
    public var createdAt: Date
    /// When any field last changed.
    public var updatedAt: Date
    /// Not to be started before this time (backoff between attempts).
    public var runAfter: Date?
    /// When the current or last attempt started.
    public var startedAt: Date?
    /// When the last attempt ended.
    public var finishedAt: Date?
    /// Who last changed it.
    public var actedBy: String?

    /// Creates a job.
    public init(
        id: String, sessionId: String, groupId: String, kind: String, position: Int = 0,
        status: JobStatus = .queued, attempts: Int = 0, maxAttempts: Int = 3,
        output: String? = nil, error: ErrorDetail? = nil, createdAt: Date,
        updatedAt: Date? = nil, runAfter: Date? = nil, startedAt: Date? = nil,
        finishedAt: Date? = nil, actedBy: String? = nil
    ) {
        self.id = id
        self.sessionId = sessionId
        self.groupId = groupId
        self.kind = kind
        self.position = position
        self.status = status
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.output = output
        self.error = error
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.runAfter = runAfter
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.actedBy = actedBy
    }
}
