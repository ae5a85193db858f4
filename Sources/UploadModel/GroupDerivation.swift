/// A group's status and counters as its sessions dictate.
public struct GroupDerivation: Sendable, Hashable {
    /// The derived status.
    public var status: GroupStatus
    /// Sessions in all.
    public var totalFiles: Int
    /// COMPLETED sessions.
    public var completedFiles: Int
    /// FAILED or EXPIRED sessions.
    public var failedFiles: Int
    /// Sum of sizes.
    public var totalBytes: Int64
    /// Sum of uploaded bytes.
    public var bytesUploaded: Int64

    /// Creates a derivation.
    public init(
        status: GroupStatus, totalFiles: Int, completedFiles: Int, failedFiles: Int,
        totalBytes: Int64, bytesUploaded: Int64
    ) {
        self.status = status
        self.totalFiles = totalFiles
        self.completedFiles = completedFiles
        self.failedFiles = failedFiles
        self.totalBytes = totalBytes
        self.bytesUploaded = bytesUploaded
    }

    /// Whether `group` already carries exactly these values.
    public func matches(_ group: UploadGroup) -> Bool {
        group.status == status && group.totalFiles == totalFiles
            && group.completedFiles == completedFiles && group.failedFiles == failedFiles
            && group.totalBytes == totalBytes && group.bytesUploaded == bytesUploaded
    }

    /// Copies these values onto `group`.
    public func apply(to group: inout UploadGroup) {
        group.status = status
        group.totalFiles = totalFiles
        group.completedFiles = completedFiles
        group.failedFiles = failedFiles
        group.totalBytes = totalBytes
        group.bytesUploaded = bytesUploaded
    }
}
