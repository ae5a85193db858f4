/// A group's status and counters as its sessions dictate (made by
/// ``UploadLifecycle/deriveGroup(current:sessions:)``).
public struct GroupDerivation: Sendable, Hashable {
    /// The derived status.
    public var status: GroupStatus
    /// The derived counters.
    public var counters: GroupCounters

    /// Whether `group` already carries exactly these values.
    public func matches(_ group: UploadGroup) -> Bool {
        group.status == status && group.counters == counters
    }

    /// Copies these values onto `group`.
    public func apply(to group: inout UploadGroup) {
        group.status = status
        group.counters = counters
    }
}
