/// A group's derived counters: its files by outcome and their bytes. Defined once here: derived
/// from its sessions' ``SessionTally`` by ``init(_:)``, carried by ``UploadGroup/counters`` and
/// ``GroupDerivation/counters``, and summed over groups by ``GroupSums``.
public struct GroupCounters: Sendable, Hashable {
    /// Sessions in all.
    public var totalFiles: Int
    /// COMPLETED sessions.
    public var completedFiles: Int
    /// FAILED or EXPIRED sessions (``failedStatuses``).
    public var failedFiles: Int
    /// Sum of the sessions' sizes.
    public var totalBytes: Int64
    /// Sum of the sessions' uploaded bytes.
    public var bytesUploaded: Int64

    /// The session statuses a group counts as failed files.
    public static let failedStatuses: [FileStatus] = [.failed, .expired]

    /// Creates counters (all zero by default: a new group).
    public init(totalFiles: Int = 0, completedFiles: Int = 0, failedFiles: Int = 0, totalBytes: Int64 = 0, bytesUploaded: Int64 = 0) {
        self.totalFiles = totalFiles
        self.completedFiles = completedFiles
        self.failedFiles = failedFiles
        self.totalBytes = totalBytes
        self.bytesUploaded = bytesUploaded
    }

    /// The counters a group's sessions dictate.
    public init(_ tally: SessionTally) {
        self.init(
            totalFiles: tally.total, completedFiles: tally[.completed],
            failedFiles: Self.failedStatuses.reduce(0) { $0 + tally[$1] },
            totalBytes: tally.totalBytes, bytesUploaded: tally.bytesUploaded)
    }

    /// Adds another group's counters.
    public static func += (lhs: inout GroupCounters, rhs: GroupCounters) {
        lhs.totalFiles += rhs.totalFiles
        lhs.completedFiles += rhs.completedFiles
        lhs.failedFiles += rhs.failedFiles
        lhs.totalBytes += rhs.totalBytes
        lhs.bytesUploaded += rhs.bytesUploaded
    }
}
