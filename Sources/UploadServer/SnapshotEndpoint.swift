import Foundation
import Hummingbird
import UploadModel
import UploadStore

/// `GET /api/v1/snapshot`: paged reads of what a dashboard shows (groups, a group's files, a file's
/// parts and jobs, events, problems, one entity's history), so that `upman top --server URL` needs no
/// database path.
///
/// One `view` per request, each the answer to one question the dashboard asks, read in ONE snapshot
/// together with the newest event id the caller may see: a client follows the event feed from
/// exactly the state it was shown. Views rather than several lists per call keep every answer
/// small and bounded, and each parameter means one thing.
///
/// Scope: an admin token reads everything; a user token its own uploads only, filtered by owner in
/// the SQL before paging (another user's group, file or job answers 404, as the controller does).
/// Upload links and events tokens may not read it (403): a link may watch only its own uploads'
/// feed, an events token only `GET /api/v1/events`. Reads run on GRDB's reader queues
/// (``UploadReader/read(_:)``), never on the cooperative pool or an event loop.
struct SnapshotEndpoint: Sendable {
    let reader: UploadReader

    /// Answers `request` for `principal`.
    func respond(_ request: Request, principal: Principal) async throws -> Response {
        switch principal.scope {
        case .api: break
        case .uploadLink: throw UploadError(.forbidden, "an upload link may not read snapshots")
        case .events: throw UploadError(.forbidden, "an events token only reads GET /api/v1/events")
        }
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where query[String(name)] == nil {
            query[String(name)] = String(value)
        }
        let parsed = try SnapshotRequest(query: query)
        let answer = try await answer(parsed, for: principal)
        return UploadServer.json(try UploadJSON.string(answer))
    }

    /// Reads the view `request` names, as `principal` may see it, in one snapshot.
    func answer(_ request: SnapshotRequest, for principal: Principal) async throws -> SnapshotAnswer {
        try await reader.read { snapshot in
            try Self.read(request, scope: principal.isAdmin ? nil : principal.userId, from: snapshot)
        }
    }

    /// The view read from `snapshot`; `userId` nil reads everything (an admin).
    static func read(_ request: SnapshotRequest, scope userId: String?, from snapshot: UploadSnapshot) throws -> SnapshotAnswer {
        if let userId { try checkOwned(request, by: userId, in: snapshot) }
        var answer = SnapshotAnswer(view: request.view, latestEventId: try snapshot.latestEventId(userId: userId))
        switch request.view {
        case .overview, .groups:
            answer.groups = try snapshot.groups(try request.groupQuery(userId: userId))
        case .groupCount:
            answer.count = try snapshot.groupCount(try request.groupQuery(userId: userId))
        case .sums:
            answer.sums = try snapshot.groupSums(userId: userId)
        case .sessions:
            let groupId = request.groupId ?? ""
            guard let group = try snapshot.group(groupId), userId == nil || group.userId == userId else {
                throw UploadError(.notFound, "no group \(groupId)")
            }
            answer.sessions = try snapshot.sessions(try request.sessionQuery(userId: userId))
        case .parts:
            let session = try visibleSession(request.sessionId ?? "", userId, snapshot)
            answer.parts = try snapshot.parts(sessionId: session.id, offset: request.offset, limit: request.limit)
        case .jobs:
            answer.jobs = try snapshot.jobs(sessionId: try visibleSession(request.sessionId ?? "", userId, snapshot).id)
        case .events:
            answer.events = try snapshot.events(after: request.after, limit: request.limit, groupId: request.groupId, userId: userId)
        case .latestEventId:
            break
        case .problems:
            answer.problems = try problems(request, userId, snapshot)
        case .problemCount:
            answer.count = try snapshot.problemSessionCount(stalledBefore: request.stalledBefore, userId: userId)
                + snapshot.failedJobCount(userId: userId)
        case .inspect:
            answer.inspection = try inspect(try request.inspectTarget(), limit: request.limit, userId, snapshot)
        }
        return answer
    }

    /// For a user: every id the request names (whether its view reads it or not) must be one of the
    /// user's entities, else 404 `notFound`, as if it did not exist.
    private static func checkOwned(_ request: SnapshotRequest, by userId: String, in snapshot: UploadSnapshot) throws {
        if let id = request.groupId, try snapshot.group(id)?.userId != userId {
            throw UploadError(.notFound, "no group \(id)")
        }
        if let id = request.sessionId, try snapshot.session(id)?.userId != userId {
            throw UploadError(.notFound, "no session \(id)")
        }
        if let id = request.jobId, try snapshot.job(id).map({ try snapshot.group($0.groupId)?.userId }) != userId {
            throw UploadError(.notFound, "no job \(id)")
        }
    }

    private static func visibleSession(_ id: String, _ userId: String?, _ snapshot: UploadSnapshot) throws -> UploadSession {
        guard let session = try snapshot.session(id), userId == nil || session.userId == userId else {
            throw UploadError(.notFound, "no session \(id)")
        }
        return session
    }

    /// The newest `limit` files in trouble and failed jobs, merged newest first, with their names.
    private static func problems(_ request: SnapshotRequest, _ userId: String?, _ snapshot: UploadSnapshot) throws -> [SnapshotProblem] {
        let sessions = try snapshot.problemSessions(stalledBefore: request.stalledBefore, userId: userId, limit: request.limit)
        let jobs = try snapshot.failedJobs(userId: userId, limit: request.limit)
        var groupNames: [String: String] = [:]
        func groupName(_ id: String) throws -> String {
            if let name = groupNames[id] { return name }
            let name = try snapshot.group(id)?.name ?? id
            groupNames[id] = name
            return name
        }
        var files = Dictionary(sessions.map { ($0.id, $0.fileName) }, uniquingKeysWith: { first, _ in first })
        var rows: [(time: Date, id: String, row: SnapshotProblem)] = []
        for session in sessions {
            rows.append((session.lastActivityAt, session.id, SnapshotProblem(session: session, groupName: try groupName(session.groupId))))
        }
        for job in jobs {
            if files[job.sessionId] == nil { files[job.sessionId] = try snapshot.session(job.sessionId)?.fileName ?? job.sessionId }
            let row = SnapshotProblem(job: job, groupName: try groupName(job.groupId), fileName: files[job.sessionId] ?? job.sessionId)
            rows.append((job.updatedAt, job.id, row))
        }
        rows.sort { $0.time != $1.time ? $0.time > $1.time : $0.id > $1.id }
        return rows.prefix(request.limit).map(\.row)
    }

    /// One entity, the names around it and its newest `limit` events. A user sees only what it owns:
    /// another user's entity, or one that is gone, answers 404 (``checkOwned(_:by:in:)``); an admin
    /// also sees the history of a gone entity, and where objects are stored.
    private static func inspect(_ target: SnapshotTarget, limit: Int, _ userId: String?, _ snapshot: UploadSnapshot) throws -> SnapshotInspection {
        var inspection = SnapshotInspection()
        let entityId: String
        var owner: String?
        var sessionId: String?
        var groupId: String?
        switch target {
        case .group(let id):
            entityId = id
            if let group = try snapshot.group(id) {
                inspection.group = group
                owner = group.userId
            }
        case .session(let id):
            entityId = id
            if let session = try snapshot.session(id) {
                inspection.session = session
                owner = session.userId
                groupId = session.groupId
            }
        case .part(let id, let number):
            let part = try snapshot.part(sessionId: id, partNumber: number)
            entityId = part?.id ?? FilePart.makeId(sessionId: id, partNumber: number)
            inspection.part = part
            sessionId = id
        case .job(let id):
            entityId = id
            if let job = try snapshot.job(id) {
                inspection.job = job
                sessionId = job.sessionId
            }
        }
        if let sessionId, let session = try snapshot.session(sessionId) {
            inspection.fileName = session.fileName
            inspection.objectKey = session.objectKey
            groupId = session.groupId
            owner = session.userId
        }
        if let userId, owner != userId { throw UploadError(.notFound, "no such entity \(entityId)") }
        if let groupId { inspection.groupName = try snapshot.group(groupId)?.name }
        inspection.history = try snapshot.history(entityId: entityId, limit: limit)
        if userId == nil { inspection.storage = try snapshot.serverInfo()["storage"] }
        return inspection
    }
}
