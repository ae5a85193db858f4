/// A part the storage holds: as S3's ListParts reports it (or HeadObject, for a single PUT), or
/// as the disk store's part receiver recorded it.
public struct StoredPart: Sendable, Hashable {
    /// 1-based part number.
    public var partNumber: Int
    /// The part's ETag (quoted, as S3 sends it; compare with `EntityTag`).
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
