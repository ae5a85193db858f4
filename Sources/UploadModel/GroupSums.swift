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
