import Foundation
import GRDB
import UploadModel

extension UploadSnapshot {
    /// The session statuses that are trouble on their own (the dashboard's problems view).
    public static let problemStatuses: [FileStatus] = [.failed, .expired]
    /// The statuses of a session that should be moving; quiet since a cut-off, it is stalled.
    public static let movingStatuses: [FileStatus] = [.pending, .uploading]

    /// One entity's events (its history), oldest first: at most the newest `limit`.
    /// Uses the `events_by_entity` index (migration `v6-dashboard`).
    public func history(entityId: String, limit: Int) throws -> [UploadEvent] {
        let newest = try UploadEvent.fetchAll(
            db, sql: "SELECT * FROM events WHERE entityId = ? ORDER BY id DESC LIMIT ?",
            arguments: [entityId, max(limit, 0)])
        return newest.reversed()
    }

    /// Sessions in trouble, most recently changed first: FAILED and EXPIRED ones, and PENDING or
    /// UPLOADING ones with no activity since `stalledBefore`. `offset`/`limit` page the list.
    public func problemSessions(stalledBefore: Date, offset: Int = 0, limit: Int) throws -> [UploadSession] {
        try UploadSession.fetchAll(
            db,
            sql: """
                SELECT * FROM upload_sessions WHERE \(Self.problemClause)
                ORDER BY lastActivityAt DESC, id DESC LIMIT ? OFFSET ?
                """,
            arguments: Self.problemArguments(stalledBefore) + [max(limit, 0), max(offset, 0)])
    }

    /// How many sessions ``problemSessions(stalledBefore:offset:limit:)`` would list in all.
    public func problemSessionCount(stalledBefore: Date) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT count(*) FROM upload_sessions WHERE \(Self.problemClause)",
            arguments: Self.problemArguments(stalledBefore)) ?? 0
    }

    /// FAILED jobs, most recently changed first, paged.
    public func failedJobs(offset: Int = 0, limit: Int) throws -> [ProcessingJob] {
        try ProcessingJob.fetchAll(
            db,
            sql: "SELECT * FROM processing_jobs WHERE status = ? ORDER BY updatedAt DESC, id DESC LIMIT ? OFFSET ?",
            arguments: [JobStatus.failed.rawValue, max(limit, 0), max(offset, 0)])
    }

    /// How many jobs are FAILED.
    public func failedJobCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM processing_jobs WHERE status = ?", arguments: [JobStatus.failed.rawValue]) ?? 0
    }

    /// One part of a session by number, if any.
    public func part(sessionId: String, partNumber: Int) throws -> FilePart? {
        try FilePart.filter(Column("sessionId") == sessionId && Column("partNumber") == partNumber).fetchOne(db)
    }

    /// What the serving process recorded about itself (`storage`: where objects are kept);
    /// empty for a database no server of this version has opened.
    public func serverInfo() throws -> [String: String] {
        guard try db.tableExists("server_info") else { return [:] }
        var info: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM server_info") { info[row["key"]] = row["value"] }
        return info
    }

    /// Sums over every group (one pass over the groups table; the files and bytes a group
    /// announced count when more than it started).
    public func groupSums() throws -> GroupSums {
        let hasExpected = try db.columns(in: "upload_groups").contains { $0.name == "expectedFiles" }
        let files = hasExpected ? "max(totalFiles, coalesce(expectedFiles, 0))" : "totalFiles"
        let bytes = hasExpected ? "max(totalBytes, coalesce(expectedBytes, 0))" : "totalBytes"
        var sums = GroupSums()
        if let row = try Row.fetchOne(
            db,
            sql: """
                SELECT count(*) AS n, coalesce(sum(\(files)), 0) AS files, coalesce(sum(completedFiles), 0) AS completed,
                       coalesce(sum(failedFiles), 0) AS failed, coalesce(sum(\(bytes)), 0) AS bytes,
                       coalesce(sum(bytesUploaded), 0) AS uploaded
                FROM upload_groups
                """)
        {
            sums.groups = row["n"]
            sums.counters = GroupCounters(
                totalFiles: row["files"], completedFiles: row["completed"], failedFiles: row["failed"],
                totalBytes: row["bytes"], bytesUploaded: row["uploaded"])
        }
        return sums
    }

    private static var problemClause: String {
        """
        (status IN ('\(problemStatuses.map(\.rawValue).joined(separator: "','"))')
         OR (status IN ('\(movingStatuses.map(\.rawValue).joined(separator: "','"))') AND lastActivityAt < ?))
        """
    }

    private static func problemArguments(_ stalledBefore: Date) -> StatementArguments {
        [Timestamp.millis(stalledBefore)]
    }
}
