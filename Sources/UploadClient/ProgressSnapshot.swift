/// One look at an upload run's progress, for a progress display: the files under way and the totals.
public struct ProgressSnapshot: Sendable, Hashable {
    /// The first files being sent or processed (by their order in the run), at most the limit asked for.
    public var active: [FileProgress]
    /// How many files are being sent or processed in all.
    public var activeCount: Int
    /// Files in the run.
    public var fileCount: Int
    /// Files COMPLETED.
    public var completedCount: Int
    /// Bytes the server confirmed, across files.
    public var confirmedBytes: Int64
    /// Bytes of all files.
    public var totalBytes: Int64
    /// Bytes this run sent (read and handed to the network), retries included; a resume's skipped
    /// bytes are not among them.
    public var sentBytes: Int64
    /// Bytes per second this run sent, over the tracker's window.
    public var speed: Double
    /// Seconds until every byte is confirmed at this speed; nil while the speed is unknown.
    public var eta: Double?

    /// The share done, 0...1: confirmed bytes of all bytes, or completed files of all files when
    /// the files hold no bytes.
    public var fraction: Double {
        if totalBytes > 0 { return min(1, Double(confirmedBytes) / Double(totalBytes)) }
        return fileCount > 0 ? Double(completedCount) / Double(fileCount) : 0
    }
}
