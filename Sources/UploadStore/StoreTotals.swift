import UploadModel

/// Whole-database totals for a dashboard header.
public struct StoreTotals: Sendable, Hashable {
    /// Groups per status.
    public var groups: [GroupStatus: Int]
    /// Sessions per status.
    public var sessions: [FileStatus: Int]
    /// Jobs per status.
    public var jobs: [JobStatus: Int]
    /// Sum of all files' sizes.
    public var totalBytes: Int64
    /// Sum of all uploaded bytes.
    public var bytesUploaded: Int64
    /// The newest event id (0 when the log is empty).
    public var latestEventId: Int64

    /// Creates totals.
    public init(
        groups: [GroupStatus: Int] = [:], sessions: [FileStatus: Int] = [:], jobs: [JobStatus: Int] = [:],
        totalBytes: Int64 = 0, bytesUploaded: Int64 = 0, latestEventId: Int64 = 0
    ) {
        self.groups = groups
        self.sessions = sessions
        self.jobs = jobs
        self.totalBytes = totalBytes
        self.bytesUploaded = bytesUploaded
        self.latestEventId = latestEventId
    }
}
