/// The entity the snapshot's `inspect` view reads.
enum SnapshotTarget: Sendable, Hashable {
    /// A group.
    case group(String)
    /// A file's upload session.
    case session(String)
    /// One part of a session, by number.
    case part(sessionId: String, partNumber: Int)
    /// A processing job.
    case job(String)
}
