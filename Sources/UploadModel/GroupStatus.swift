/// The lifecycle status of an upload group, derived from its sessions.
public enum GroupStatus: String, Codable, Sendable, CaseIterable, Hashable {
    case pending = "PENDING"
    case inProgress = "IN_PROGRESS"
    case completed = "COMPLETED"
    case failed = "FAILED"
    case cancelled = "CANCELLED"
}
