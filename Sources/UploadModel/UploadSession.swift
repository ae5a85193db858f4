import Foundation

/// One file's upload: its plan, where its bytes go, and how far it got.
public struct UploadSession: Codable, Sendable, Hashable, Identifiable {
    /// Stable id, e.g. `ses_…`.
    public var id: String
    /// The group the session belongs to (every session has one).
    public var groupId: String
    /// The user who owns the session.
    public var userId: String
    /// The file's name as the uploader gave it (a relative path for directories).
    public var fileName: String
    /// The declared media type, if any.
    public var contentType: String?
    /// The file's size in bytes.
    public var size: Int64
    /// The SHA-256 the client declared (hex), checked by the `sha256` job.
    public var sha256: String?
    /// The whole object's checksum once every byte arrived: S3's "full object" CRC-32C, combined
    /// from the parts' checksums (nil when a part has none, e.g. reported by an older client).
    public var checksum: ObjectChecksum?
    /// The SHA-256 (hex) of the bytes as they streamed in, when the disk store computed it on the
    /// way (a single PUT while the `sha256` job is configured): that job then needs no second read.
    public var receivedSHA256: String?
    /// What the uploader recorded of its local file (e.g. its modification time), so a resume
    /// can refuse a file that changed.
    public var fingerprint: String?
    /// Where the object lives in storage.
    public var objectKey: String
    /// The storage's multipart upload id, when it has one.
    public var uploadId: String?
    /// Single PUT or multipart.
    public var method: UploadMethod
    /// The planned size of every part but the last.
    public var partSize: Int64
    /// How many parts the plan has (1 for a single PUT).
    public var totalParts: Int
    /// Parts that are UPLOADED.
    public var completedParts: Int
    /// Bytes of the UPLOADED parts.
    public var bytesUploaded: Int64
    /// Where the session is in its lifecycle.
    public var status: FileStatus
    /// The last error, if any.
    public var error: ErrorDetail?
    /// How many times the session was (re)started.
    public var attempts: Int
    /// When the session was created.
    public var createdAt: Date
    /// When any field last changed.
    public var updatedAt: Date
    /// When every byte had arrived (status UPLOADED).
    public var uploadedAt: Date?
    /// When the session reached COMPLETED.
    public var completedAt: Date?
    /// When bytes or status last moved.
    public var lastActivityAt: Date
    /// Who last changed it.
    public var actedBy: String?

    /// Creates a session.
    public init(
        id: String, groupId: String, userId: String, fileName: String,
        contentType: String? = nil, size: Int64, sha256: String? = nil, checksum: ObjectChecksum? = nil,
        receivedSHA256: String? = nil, fingerprint: String? = nil, objectKey: String,
        uploadId: String? = nil, method: UploadMethod, partSize: Int64, totalParts: Int,
        completedParts: Int = 0, bytesUploaded: Int64 = 0, status: FileStatus = .pending,
        error: ErrorDetail? = nil, attempts: Int = 0, createdAt: Date, updatedAt: Date? = nil,
        uploadedAt: Date? = nil, completedAt: Date? = nil, lastActivityAt: Date? = nil,
        actedBy: String? = nil
    ) {
        self.id = id
        self.groupId = groupId
        self.userId = userId
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.checksum = checksum
        self.receivedSHA256 = receivedSHA256
        self.fingerprint = fingerprint
        self.objectKey = objectKey
        self.uploadId = uploadId
        self.method = method
        self.partSize = partSize
        self.totalParts = totalParts
        self.completedParts = completedParts
        self.bytesUploaded = bytesUploaded
        self.status = status
        self.error = error
        self.attempts = attempts
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.uploadedAt = uploadedAt
        self.completedAt = completedAt
        self.lastActivityAt = lastActivityAt ?? createdAt
        self.actedBy = actedBy
    }
}
