import UploadModel

/// What storage needs to know of one session's upload.
public struct StorageUpload: Sendable, Hashable {
    /// The session id.
    public var sessionId: String
    /// Where the finished object goes.
    public var objectKey: String
    /// The storage's own upload id (S3 multipart), once it has one.
    public var uploadId: String?
    /// The plan the bytes follow.
    public var plan: PartPlan

    /// Creates an upload description.
    public init(sessionId: String, objectKey: String, uploadId: String? = nil, plan: PartPlan) {
        self.sessionId = sessionId
        self.objectKey = objectKey
        self.uploadId = uploadId
        self.plan = plan
    }

    /// The description of a stored session.
    public init(_ session: UploadSession) {
        self.init(
            sessionId: session.id, objectKey: session.objectKey, uploadId: session.uploadId,
            plan: PartPlan(fileSize: session.size, method: session.method, partSize: session.partSize,
                           totalParts: session.totalParts))
    }
}
