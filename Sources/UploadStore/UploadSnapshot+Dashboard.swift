import Foundation
import UploadModel

extension UploadSnapshot {
    /// The session statuses that are trouble on their own (the dashboard's problems view).
    public static let problemStatuses: [FileStatus] = [.failed, .expired]
    /// The statuses of a session that should be moving; quiet since a cut-off, it is stalled.
    public static let movingStatuses: [FileStatus] = [.pending, .uploading]

    /// One entity's events (its history), oldest first: at most the newest `limit`.
    /// Uses the `events_by_entity` index (migration `v6-dashboard`).
    public func history(entityId: String, limit: Int) throws -> [UploadEvent] {
        let newest: [UploadEvent] = try db.records(
            "SELECT * FROM events WHERE entityId = ? ORDER BY id DESC LIMIT ?", [entityId, max(limit, 0)])
        return newest.reversed()
    }

    /// Sessions in trouble, most recently changed first: FAILED and EXPIRED ones, and PENDING or
    /// UPLOADING ones with no activity since `stalledBefore`. `offset`/`limit` page the list.
    public func problemSessions(stalledBefore: Date, offset: Int = 0, limit: Int) throws -> [UploadSession] {
        try db.records(
            """
            SELECT * FROM upload_sessions WHERE \(Self.problemClause)
            ORDER BY lastActivityAt DESC, id DESC LIMIT ? OFFSET ?
            """,
            [Timestamp.millis(stalledBefore), max(limit, 0), max(offset, 0)])
    }

    /// How many sessions ``problemSessions(stalledBefore:offset:limit:)`` would list in all.
    public func problemSessionCount(stalledBefore: Date) throws -> Int {
        try db.scalar(
            "SELECT count(*) FROM upload_sessions WHERE \(Self.problemClause)", [Timestamp.millis(stalledBefore)]) ?? 0
    }

    /// FAILED jobs, most recently changed first, paged.
    public func failedJobs(offset: Int = 0, limit: Int) throws -> [ProcessingJob] {
        try db.records(
            "SELECT * FROM processing_jobs WHERE status = ? ORDER BY updatedAt DESC, id DESC LIMIT ? OFFSET ?",
            [JobStatus.failed, max(limit, 0), max(offset, 0)])
    }

    /// How many jobs are FAILED.
    public func failedJobCount() throws -> Int {
        try db.scalar("SELECT count(*) FROM processing_jobs WHERE status = ?", [JobStatus.failed]) ?? 0
    }

    /// One part of a session by number, if any.
    public func part(sessionId: String, partNumber: Int) throws -> FilePart? {
        try db.record(key: FilePart.makeId(sessionId: sessionId, partNumber: partNumber))
    }

    /// What the serving process recorded about itself (`storage`: where objects are kept);
    /// empty for a database no server of this version has opened.
    public func serverInfo() throws -> [String: String] {
        guard try db.tableExists("server_info") else { return [:] }
        var info: [String: String] = [:]
        for row in try db.fetchAll("SELECT key, value FROM server_info") { info[try row["key"]] = try row["value"] }
        return info
    }

    /// Sums over every group (one pass over the groups table; the files and bytes a group
    /// announced count when more than it started), saturating at `Int64.max` (see
    /// ``groupSums(userId:)``).
    public func groupSums() throws -> GroupSums {
        try groupSums(userId: nil)
    }

    private static var problemClause: String {
        """
        (status IN ('\(problemStatuses.map(\.rawValue).joined(separator: "','"))')
         OR (status IN ('\(movingStatuses.map(\.rawValue).joined(separator: "','"))') AND lastActivityAt < ?))
        """
    }
}
