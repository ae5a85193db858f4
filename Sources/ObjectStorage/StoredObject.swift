import Foundation

/// What storage says of a finished object (HeadObject).
public struct StoredObject: Sendable, Hashable {
    /// The object's size in bytes.
    public var size: Int64
    /// Its ETag (quoted), when the storage has one; compare it with ``EntityTag/same(_:_:)``.
    public var etag: String?

    /// Creates an object description.
    public init(size: Int64, etag: String?) {
        self.size = size
        self.etag = etag
    }
}
