/// How a file of a given size is uploaded: method, part size and number of parts.
public struct PartPlan: Sendable, Hashable {
    /// The file's size.
    public var fileSize: Int64
    /// Single PUT or multipart.
    public var method: UploadMethod
    /// The size of every part but the last (for a single PUT, the file size).
    public var partSize: Int64
    /// Number of parts (1 for a single PUT, also for a 0-byte file).
    public var totalParts: Int

    /// Creates a plan; use ``PartPlanner/plan(fileSize:partSize:)`` to make a valid one.
    public init(fileSize: Int64, method: UploadMethod, partSize: Int64, totalParts: Int) {
        self.fileSize = fileSize
        self.method = method
        self.partSize = partSize
        self.totalParts = totalParts
    }

    /// The part numbered `partNumber` (1-based), or nil when out of range.
    public func part(_ partNumber: Int) -> PlannedPart? {
        guard partNumber >= 1, partNumber <= totalParts else { return nil }
        let offset = Int64(partNumber - 1) * partSize
        let size = partNumber == totalParts ? fileSize - offset : partSize
        return PlannedPart(partNumber: partNumber, offset: offset, size: size)
    }

    /// Every part in order.
    public var parts: [PlannedPart] { (1...totalParts).compactMap(part) }
}
