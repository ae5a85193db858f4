import UploadModel
import UploadStore

/// The dashboard's data read from the upman database through a read-only `UploadReader`.
public struct ReaderSource: DashboardSource {
    /// The reader.
    public let reader: UploadReader

    /// Wraps a reader.
    public init(reader: UploadReader) {
        self.reader = reader
    }

    /// Opens the database at a path read-only.
    public init(path: String) throws {
        reader = try UploadReader.open(path: path)
    }

    /// The most recently active groups and the event id they reflect, from one snapshot.
    public func overview(limit: Int) throws -> (groups: [UploadGroup], latestEventId: Int64) {
        try reader.snapshot { snapshot in
            let groups = try snapshot.groups(GroupQuery(sort: .lastActivity, descending: true, limit: limit))
            return (groups, try snapshot.latestEventId())
        }
    }

    /// A group's files, oldest first.
    public func sessions(groupId: String, limit: Int) throws -> [UploadSession] {
        try reader.snapshot { try $0.sessions(SessionQuery(groupId: groupId, sort: .created, descending: false, limit: limit)) }
    }

    /// A file's parts.
    public func parts(sessionId: String) throws -> [FilePart] {
        try reader.snapshot { try $0.parts(sessionId: sessionId) }
    }

    /// A file's jobs.
    public func jobs(sessionId: String) throws -> [ProcessingJob] {
        try reader.snapshot { try $0.jobs(sessionId: sessionId) }
    }

    /// Events after an id.
    public func events(after id: Int64, limit: Int) throws -> [UploadEvent] {
        try reader.snapshot { try $0.events(after: id, limit: limit, groupId: nil, userId: nil) }
    }

    /// The newest event id.
    public func latestEventId() throws -> Int64 {
        try reader.snapshot { try $0.latestEventId() }
    }
}
