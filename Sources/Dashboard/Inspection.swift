import UploadModel

/// Everything the inspector shows about one entity, read from the database in one snapshot:
/// the entity, the names around it, where its bytes are kept, and its history.
public struct Inspection: Sendable {
    /// The entity.
    public enum Entity: Sendable, Hashable {
        /// A group.
        case group(UploadGroup)
        /// A file's upload session.
        case session(UploadSession)
        /// One part.
        case part(FilePart)
        /// A processing job.
        case job(ProcessingJob)
    }

    /// The entity, nil when it no longer exists.
    public var entity: Entity?
    /// The group's name (for a file, part or job).
    public var groupName: String?
    /// The file's name (for a part or job).
    public var fileName: String?
    /// The file's object key (for a part or job).
    public var objectKey: String?
    /// Where the server keeps objects (`disk PATH`, `s3 ENDPOINT bucket NAME`), when recorded.
    public var storage: String?
    /// The entity's events, oldest first (the newest few hundred).
    public var history: [UploadEvent]

    /// Creates an inspection.
    public init(entity: Entity?, groupName: String? = nil, fileName: String? = nil, objectKey: String? = nil,
                storage: String? = nil, history: [UploadEvent] = []) {
        self.entity = entity
        self.groupName = groupName
        self.fileName = fileName
        self.objectKey = objectKey
        self.storage = storage
        self.history = history
    }
}
