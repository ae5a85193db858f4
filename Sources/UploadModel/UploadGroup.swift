import Foundation

/// A set of files uploaded together (a directory, a batch); its status and counters derive from its sessions.
public struct UploadGroup: Codable, Sendable, Hashable, Identifiable {
    /// Stable id, e.g. `grp_…`.
    public var id: String
    /// The user who owns the group.
    public var userId: String
    /// A name for people (the directory or `--group` name).
    public var name: String
    /// Optional free text.
    public var description: String?
    /// Derived from the sessions by ``UploadLifecycle/deriveGroup(current:sessions:)``.
    public var status: GroupStatus
    /// Number of sessions in the group.
    public var totalFiles: Int
    /// Sessions that are COMPLETED.
    public var completedFiles: Int
    /// Sessions that are FAILED or EXPIRED.
    public var failedFiles: Int
    /// Sum of the sessions' sizes.
    public var totalBytes: Int64
    /// Sum of the sessions' uploaded bytes.
    public var bytesUploaded: Int64
    /// How many files the uploader announced the group will hold (nil when it did not say);
    /// `totalFiles` counts only those initiated so far.
    public var expectedFiles: Int?
    /// How many bytes the uploader announced the group will hold (nil when it did not say).
    public var expectedBytes: Int64?
    /// The last error that concerned the group as a whole.
    public var error: ErrorDetail?
    /// When the group was created.
    public var createdAt: Date
    /// When any field last changed.
    public var updatedAt: Date
    /// When bytes or a status last moved in any of its sessions.
    public var lastActivityAt: Date
    /// Who last changed it: a user name, an operator, or `system`.
    public var actedBy: String?

    /// Creates a group.
    public init(
        id: String, userId: String, name: String, description: String? = nil,
        status: GroupStatus = .pending, totalFiles: Int = 0, completedFiles: Int = 0,
        failedFiles: Int = 0, totalBytes: Int64 = 0, bytesUploaded: Int64 = 0,
        expectedFiles: Int? = nil, expectedBytes: Int64? = nil, error: ErrorDetail? = nil, createdAt: Date, updatedAt: Date? = nil,
        lastActivityAt: Date? = nil, actedBy: String? = nil
    ) {
        self.id = id
        self.userId = userId
        self.name = name
        self.description = description
        self.status = status
        self.totalFiles = totalFiles
        self.completedFiles = completedFiles
        self.failedFiles = failedFiles
        self.totalBytes = totalBytes
        self.bytesUploaded = bytesUploaded
        self.expectedFiles = expectedFiles
        self.expectedBytes = expectedBytes
        self.error = error
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.lastActivityAt = lastActivityAt ?? createdAt
        self.actedBy = actedBy
    }

    /// The derived counters (``GroupCounters``) as one value; the fields stay flat in JSON and
    /// in the database.
    public var counters: GroupCounters {
        get {
            GroupCounters(
                totalFiles: totalFiles, completedFiles: completedFiles, failedFiles: failedFiles,
                totalBytes: totalBytes, bytesUploaded: bytesUploaded)
        }
        set {
            totalFiles = newValue.totalFiles
            completedFiles = newValue.completedFiles
            failedFiles = newValue.failedFiles
            totalBytes = newValue.totalBytes
            bytesUploaded = newValue.bytesUploaded
        }
    }

    /// The files the group will hold: the announced number, or those initiated when more
    /// (or when nothing was announced).
    public var plannedFiles: Int { max(totalFiles, expectedFiles ?? 0) }

    /// The bytes the group will hold: the announced size, or the initiated sizes when more.
    public var plannedBytes: Int64 { max(totalBytes, expectedBytes ?? 0) }

    /// The counters with the planned files and bytes as totals: what progress is measured against.
    public var plannedCounters: GroupCounters {
        var planned = counters
        planned.totalFiles = plannedFiles
        planned.totalBytes = plannedBytes
        return planned
    }
}
