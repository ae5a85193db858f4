/// Sums over every group: the dashboard header's totals and `upman top --once`'s totals line.
public struct GroupSums: Sendable, Hashable {
    /// Groups.
    public var groups = 0
    /// The groups' ``UploadGroup/plannedCounters`` added up.
    public var counters = GroupCounters()

    /// Zero.
    public init() {}

    /// The sums over `groups`.
    public init(_ groups: some Sequence<UploadGroup>) {
        for group in groups { add(group) }
    }

    /// Adds one group.
    public mutating func add(_ group: UploadGroup) {
        groups += 1
        counters += group.plannedCounters
    }
}

extension GroupSums: Codable {
    private enum CodingKeys: String, CodingKey {
        case groups, totalFiles, completedFiles, failedFiles, totalBytes, bytesUploaded
    }

    /// Reads the flat form ``encode(to:)`` writes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        groups = try container.decode(Int.self, forKey: .groups)
        counters = GroupCounters(
            totalFiles: try container.decode(Int.self, forKey: .totalFiles),
            completedFiles: try container.decode(Int.self, forKey: .completedFiles),
            failedFiles: try container.decode(Int.self, forKey: .failedFiles),
            totalBytes: try container.decode(Int64.self, forKey: .totalBytes),
            bytesUploaded: try container.decode(Int64.self, forKey: .bytesUploaded))
    }

    /// Writes the sums flat, as the snapshot endpoint answers them:
    /// `{"groups","totalFiles","completedFiles","failedFiles","totalBytes","bytesUploaded"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(groups, forKey: .groups)
        try container.encode(counters.totalFiles, forKey: .totalFiles)
        try container.encode(counters.completedFiles, forKey: .completedFiles)
        try container.encode(counters.failedFiles, forKey: .failedFiles)
        try container.encode(counters.totalBytes, forKey: .totalBytes)
        try container.encode(counters.bytesUploaded, forKey: .bytesUploaded)
    }
}
