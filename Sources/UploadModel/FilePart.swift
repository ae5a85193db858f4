import Foundation

/// One part of a file's upload (a single PUT is a file of one part).
public struct FilePart: Codable, Sendable, Hashable, Identifiable {
    /// Stable id: `<sessionId>:<partNumber>`.
    public var id: String
    /// The session the part belongs to.
    public var sessionId: String
    /// The group of that session (so SSE filters need no join).
    public var groupId: String
    /// 1-based, as in S3.
    public var partNumber: Int
    /// Byte offset of the part in the file.
    public var offset: Int64
    /// Planned size in bytes.
    public var size: Int64
    /// Where the part is.
    public var status: PartStatus
    /// The storage's ETag once uploaded.
    public var etag: String?
    /// The part's CRC-32C once uploaded, as S3's `x-amz-checksum-crc32c` writes it (base64 of four
    /// big-endian bytes): computed by the disk store as the bytes landed, or reported by the
    /// uploader for S3 (which checked it against the bytes when the PUT carried it).
    public var checksum: String?
    /// How many times bytes for this part were attempted.
    public var attempts: Int
    /// The last error, if any.
    public var error: ErrorDetail?
    /// When the part row was created.
    public var createdAt: Date
    /// When any field last changed.
    public var updatedAt: Date
    /// When the part's bytes were confirmed.
    public var uploadedAt: Date?
    /// Who last changed it.
    public var actedBy: String?

    /// The id a part of `sessionId` numbered `partNumber` has.
    public static func makeId(sessionId: String, partNumber: Int) -> String {
        "\(sessionId):\(partNumber)"
    }

    /// Creates a part.
    public init(
        sessionId: String, groupId: String, partNumber: Int, offset: Int64, size: Int64,
        status: PartStatus = .pending, etag: String? = nil, checksum: String? = nil, attempts: Int = 0,
        error: ErrorDetail? = nil, createdAt: Date, updatedAt: Date? = nil,
        uploadedAt: Date? = nil, actedBy: String? = nil
    ) {
        self.id = Self.makeId(sessionId: sessionId, partNumber: partNumber)
        self.sessionId = sessionId
        self.groupId = groupId
        self.partNumber = partNumber
        self.offset = offset
        self.size = size
        self.status = status
        self.etag = etag
        self.checksum = checksum
        self.attempts = attempts
        self.error = error
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.uploadedAt = uploadedAt
        self.actedBy = actedBy
    }
}
