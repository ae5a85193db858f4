import Foundation
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

    /// Opens the database at a path (or a `postgres://` URL) read-only.
    public init(path: String) throws {
        reader = try UploadReader.open(location: path)
    }

    /// The most recently active groups and the event id they reflect, from one snapshot.
    public func overview(limit: Int) throws -> (groups: [UploadGroup], latestEventId: Int64) {
        try reader.snapshot { snapshot in
            let groups = try snapshot.groups(GroupQuery(sort: .lastActivity, descending: true, limit: limit))
            return (groups, try snapshot.latestEventId())
        }
    }

    /// A page of groups.
    public func groups(_ query: GroupQuery) throws -> [UploadGroup] {
        try reader.snapshot { try $0.groups(query) }
    }

    /// How many groups match.
    public func groupCount(search: String?) throws -> Int {
        try reader.snapshot { try $0.groupCount(GroupQuery(search: search)) }
    }

    /// Sums over every group.
    public func groupSums() throws -> GroupSums {
        try reader.snapshot { try $0.groupSums() }
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

    /// Problem sessions and failed jobs, newest first, with their group and file names.
    public func problems(stalledBefore: Date, limit: Int) throws -> [ProblemRow] {
        try reader.snapshot { snapshot in
            let sessions = try snapshot.problemSessions(stalledBefore: stalledBefore, limit: limit)
            let jobs = try snapshot.failedJobs(limit: limit)
            var files: [String: String] = Dictionary(sessions.map { ($0.id, $0.fileName) }, uniquingKeysWith: { a, _ in a })
            var groups: [String: String] = [:]
            for job in jobs where files[job.sessionId] == nil {
                files[job.sessionId] = try snapshot.session(job.sessionId)?.fileName ?? job.sessionId
            }
            func groupName(_ id: String) throws -> String {
                if let name = groups[id] { return name }
                let name = try snapshot.group(id)?.name ?? id
                groups[id] = name
                return name
            }
            var rows: [ProblemRow] = []
            for session in sessions {
                rows.append(ProblemRow(subject: .session(session), groupName: try groupName(session.groupId), fileName: session.fileName))
            }
            for job in jobs {
                rows.append(ProblemRow(subject: .job(job), groupName: try groupName(job.groupId), fileName: files[job.sessionId] ?? job.sessionId))
            }
            rows.sort { $0.time != $1.time ? $0.time > $1.time : $0.id > $1.id }
            return Array(rows.prefix(limit))
        }
    }

    /// How many problems there are.
    public func problemCount(stalledBefore: Date) throws -> Int {
        try reader.snapshot { try $0.problemSessionCount(stalledBefore: stalledBefore) + $0.failedJobCount() }
    }

    /// One entity, its names, the storage location and its history.
    public func inspect(_ target: InspectTarget, historyLimit: Int) throws -> Inspection {
        try reader.snapshot { snapshot in
            let storage = try snapshot.serverInfo()["storage"]
            var inspection = Inspection(entity: nil, storage: storage)
            let entityId: String
            var sessionId: String?
            var groupId: String?
            switch target {
            case .group(let id):
                entityId = id
                if let group = try snapshot.group(id) { inspection.entity = .group(group) }
            case .session(let id):
                entityId = id
                if let session = try snapshot.session(id) {
                    inspection.entity = .session(session)
                    groupId = session.groupId
                }
            case .part(let id, let number):
                let part = try snapshot.part(sessionId: id, partNumber: number)
                entityId = part?.id ?? FilePart.makeId(sessionId: id, partNumber: number)
                inspection.entity = part.map { .part($0) }
                sessionId = id
            case .job(let id):
                entityId = id
                if let job = try snapshot.job(id) {
                    inspection.entity = .job(job)
                    sessionId = job.sessionId
                }
            }
            if let sessionId, let session = try snapshot.session(sessionId) {
                inspection.fileName = session.fileName
                inspection.objectKey = session.objectKey
                groupId = session.groupId
            }
            if let groupId { inspection.groupName = try snapshot.group(groupId)?.name }
            inspection.history = try snapshot.history(entityId: entityId, limit: historyLimit)
            return inspection
        }
    }
}
