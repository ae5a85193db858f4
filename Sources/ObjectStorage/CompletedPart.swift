/// A part as `complete` hands it to storage: its number and the ETag storage gave it.
public struct CompletedPart: Sendable, Hashable {
    /// 1-based part number.
    public var partNumber: Int
    /// The ETag storage returned for the part.
    public var etag: String

    /// Creates a completed part.
    public init(partNumber: Int, etag: String) {
        self.partNumber = partNumber
        self.etag = etag
    }
}
