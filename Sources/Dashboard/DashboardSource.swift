import UploadModel

/// Where the dashboard reads its data: the database (read-only) in practice.
public protocol DashboardSource {
    /// The most recently active groups (up to `limit`) and the event id they reflect, read
    /// from one snapshot.
    func overview(limit: Int) throws -> (groups: [UploadGroup], latestEventId: Int64)
    /// A group's files.
    func sessions(groupId: String, limit: Int) throws -> [UploadSession]
    /// A file's parts, by number.
    func parts(sessionId: String) throws -> [FilePart]
    /// A file's jobs, in order.
    func jobs(sessionId: String) throws -> [ProcessingJob]
    /// Events after an id, oldest first (for watching the database when the server is away).
    func events(after id: Int64, limit: Int) throws -> [UploadEvent]
    /// The newest event id (cheap: tells whether anything changed).
    func latestEventId() throws -> Int64
}
