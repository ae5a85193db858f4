/// One row of the snapshot's `problems` view: a file in trouble (FAILED, EXPIRED, or moving but
/// quiet since the cut-off) or a FAILED job, with the names an operator knows it by. Exactly one of
/// `session` and `job` is set.
public struct SnapshotProblem: Codable, Sendable, Hashable {
    /// The file in trouble, when the problem is a file.
    public var session: UploadSession?
    /// The failed job, when the problem is a job.
    public var job: ProcessingJob?
    /// The group's name.
    public var groupName: String
    /// The file's name.
    public var fileName: String

    /// A file in trouble.
    public init(session: UploadSession, groupName: String) {
        self.session = session
        self.groupName = groupName
        self.fileName = session.fileName
    }

    /// A failed job of the file named `fileName`.
    public init(job: ProcessingJob, groupName: String, fileName: String) {
        self.job = job
        self.groupName = groupName
        self.fileName = fileName
    }
}
