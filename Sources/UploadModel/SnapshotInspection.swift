/// The snapshot's `inspect` view: one entity (exactly one of `group`, `session`, `part`, `job`, or
/// none when it no longer exists), the names around it, where its bytes are kept (admin tokens
/// only) and its history from the event log, oldest first.
public struct SnapshotInspection: Codable, Sendable, Hashable {
    /// The group, when a group was inspected.
    public var group: UploadGroup?
    /// The file's session, when a file was inspected.
    public var session: UploadSession?
    /// The part, when a part was inspected.
    public var part: FilePart?
    /// The job, when a job was inspected.
    public var job: ProcessingJob?
    /// The group's name (for a file, part or job).
    public var groupName: String?
    /// The file's name (for a part or job).
    public var fileName: String?
    /// The file's object key (for a part or job).
    public var objectKey: String?
    /// Where the server keeps objects (`disk PATH`, `s3 ENDPOINT bucket NAME`); only for admin tokens.
    public var storage: String?
    /// The entity's events, oldest first (the newest `limit`).
    public var history: [UploadEvent]

    /// Creates an inspection of nothing (filled in field by field).
    public init(history: [UploadEvent] = []) {
        self.history = history
    }
}
