/// The SSE `event:` names: one per entity kind, plus `reset` (reload, the log no longer reaches back).
public enum EventKind: String, Codable, Sendable, CaseIterable, Hashable {
    case group
    case session
    case part
    case job
    case reset

    /// The event kind that carries changes of `entity`.
    public init(_ entity: EntityKind) {
        switch entity {
        case .group: self = .group
        case .session: self = .session
        case .part: self = .part
        case .job: self = .job
        }
    }
}
