/// How many sessions of a group are in each status, with their byte totals: the input of group derivation.
public struct SessionTally: Sendable, Hashable {
    /// Sessions per status.
    public var counts: [FileStatus: Int]
    /// Sum of the sessions' sizes.
    public var totalBytes: Int64
    /// Sum of the sessions' uploaded bytes.
    public var bytesUploaded: Int64

    /// Creates a tally.
    public init(counts: [FileStatus: Int] = [:], totalBytes: Int64 = 0, bytesUploaded: Int64 = 0) {
        self.counts = counts
        self.totalBytes = totalBytes
        self.bytesUploaded = bytesUploaded
    }

    /// Tallies a list of sessions.
    public init(_ sessions: some Sequence<UploadSession>) {
        self.init()
        for session in sessions { add(session.status, size: session.size, uploaded: session.bytesUploaded) }
    }

    /// Adds one session.
    public mutating func add(_ status: FileStatus, size: Int64, uploaded: Int64, count: Int = 1) {
        counts[status, default: 0] += count
        totalBytes += size
        bytesUploaded += uploaded
    }

    /// Number of sessions with `status`.
    public subscript(status: FileStatus) -> Int { counts[status] ?? 0 }

    /// Number of sessions in all.
    public var total: Int { counts.values.reduce(0, +) }
}
