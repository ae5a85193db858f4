/// The kinds of entity the lifecycle tracks; also the SSE `event:` name of their changes.
public enum EntityKind: String, Codable, Sendable, CaseIterable, Hashable {
    case group
    case session
    case part
    case job
}
