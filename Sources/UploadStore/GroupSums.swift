/// Sums over every group: the dashboard header's totals.
public struct GroupSums: Sendable, Hashable {
    /// Groups.
    public var groups = 0
    /// Files started (sessions), and files announced when more.
    public var files = 0
    /// COMPLETED files.
    public var completedFiles = 0
    /// FAILED or EXPIRED files.
    public var failedFiles = 0
    /// Bytes the groups will hold.
    public var totalBytes: Int64 = 0
    /// Bytes uploaded.
    public var bytesUploaded: Int64 = 0

    /// Zero.
    public init() {}
}
