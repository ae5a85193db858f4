/// The answer of `GET /api/v1/snapshot`: the view asked for, the newest event id the caller may see
/// when it was read (every view reads it in the same snapshot, so a client can follow the event feed
/// from exactly there), and the view's own field; the others are absent.
public struct SnapshotAnswer: Codable, Sendable, Hashable {
    /// The view answered.
    public var view: SnapshotView
    /// The newest event id the caller may see, read in the same snapshot (0 when none).
    public var latestEventId: Int64
    /// `overview`, `groups`: the page of groups.
    public var groups: [UploadGroup]?
    /// `groupCount`, `problemCount`: how many match.
    public var count: Int?
    /// `sums`: sums over every visible group.
    public var sums: GroupSums?
    /// `sessions`: the page of a group's files.
    public var sessions: [UploadSession]?
    /// `parts`: the page of a file's parts.
    public var parts: [FilePart]?
    /// `jobs`: a file's jobs.
    public var jobs: [ProcessingJob]?
    /// `events`: the events after the id asked for.
    public var events: [UploadEvent]?
    /// `problems`: files in trouble and failed jobs, newest first.
    public var problems: [SnapshotProblem]?
    /// `inspect`: the entity and its history.
    public var inspection: SnapshotInspection?

    /// An answer to `view` read at `latestEventId`, its field still to be set.
    public init(view: SnapshotView, latestEventId: Int64) {
        self.view = view
        self.latestEventId = latestEventId
    }
}
