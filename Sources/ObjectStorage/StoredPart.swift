/// A part an S3 multipart upload holds, as ListParts reports it.
public struct StoredPart: Sendable, Hashable {
    /// 1-based part number.
    public var partNumber: Int
    /// The part's ETag (quoted, as S3 sends it).
    public var etag: String
    /// The part's size in bytes.
    public var size: Int64

    /// Creates a stored part.
    public init(partNumber: Int, etag: String, size: Int64) {
        self.partNumber = partNumber
        self.etag = etag
        self.size = size
    }
}
