/// What the inspector shows: one group, file, part or job, by id.
public enum InspectTarget: Sendable, Hashable {
    /// A group.
    case group(String)
    /// A file's upload session.
    case session(String)
    /// One part of a session, by number.
    case part(sessionId: String, partNumber: Int)
    /// A processing job.
    case job(String)
}
