import Foundation
import GRDB
import UploadModel

/// The dashboard's reads scoped to one user, for `GET /api/v1/snapshot` with a user token: each
/// filters by owner in SQL (before any `LIMIT`), and with `userId` nil is the unscoped query of
/// ``UploadSnapshot`` (an admin's view).
extension UploadSnapshot {
    /// The newest event id of `userId`'s uploads (uses `events_by_user`), or of all when nil; 0 when none.
    public func latestEventId(userId: String?) throws -> Int64 {
        guard let userId else { return try latestEventId() }
        return try Int64.fetchOne(db, sql: "SELECT max(id) FROM events WHERE userId = ?", arguments: [userId]) ?? 0
    }

    /// Sums over `userId`'s groups (all groups when nil), as ``groupSums()`` counts them, but
    /// saturating: a sum past `Int64.max` (groups that announced absurd sizes) reads as the maximum
    /// instead of failing with SQLite's "integer overflow" (`total()` adds in floating point).
    public func groupSums(userId: String?) throws -> GroupSums {
        let hasExpected = try db.columns(in: "upload_groups").contains { $0.name == "expectedFiles" }
        let files = hasExpected ? "max(totalFiles, coalesce(expectedFiles, 0))" : "totalFiles"
        let bytes = hasExpected ? "max(totalBytes, coalesce(expectedBytes, 0))" : "totalBytes"
        var sums = GroupSums()
        if let row = try Row.fetchOne(
            db,
            sql: """
                SELECT count(*) AS n, total(\(files)) AS files, total(completedFiles) AS completed,
                       total(failedFiles) AS failed, total(\(bytes)) AS bytes, total(bytesUploaded) AS uploaded
                FROM upload_groups \(userId == nil ? "" : "WHERE userId = ?")
                """,
            arguments: userId.map { [$0] } ?? [])
        {
            func saturated(_ column: String) -> Int64 {
                let value: Double = row[column]
                return value >= 9.2e18 ? .max : Int64(max(0, value))
            }
            sums.groups = row["n"]
            sums.counters = GroupCounters(
                totalFiles: Int(saturated("files")), completedFiles: Int(saturated("completed")), failedFiles: Int(saturated("failed")),
                totalBytes: saturated("bytes"), bytesUploaded: saturated("uploaded"))
        }
        return sums
    }

    /// ``problemSessions(stalledBefore:offset:limit:)`` of `userId`'s uploads only (all when nil).
    public func problemSessions(stalledBefore: Date, userId: String?, offset: Int = 0, limit: Int) throws -> [UploadSession] {
        guard let userId else { return try problemSessions(stalledBefore: stalledBefore, offset: offset, limit: limit) }
        return try UploadSession.fetchAll(
            db,
            sql: """
                SELECT * FROM upload_sessions WHERE userId = ? AND \(Self.userProblemClause)
                ORDER BY lastActivityAt DESC, id DESC LIMIT ? OFFSET ?
                """,
            arguments: [userId, Timestamp.millis(stalledBefore), max(limit, 0), max(offset, 0)])
    }

    /// How many sessions ``problemSessions(stalledBefore:userId:offset:limit:)`` would list in all.
    public func problemSessionCount(stalledBefore: Date, userId: String?) throws -> Int {
        guard let userId else { return try problemSessionCount(stalledBefore: stalledBefore) }
        return try Int.fetchOne(
            db, sql: "SELECT count(*) FROM upload_sessions WHERE userId = ? AND \(Self.userProblemClause)",
            arguments: [userId, Timestamp.millis(stalledBefore)]) ?? 0
    }

    /// FAILED jobs of `userId`'s uploads (all when nil), most recently changed first, paged.
    public func failedJobs(userId: String?, offset: Int = 0, limit: Int) throws -> [ProcessingJob] {
        guard let userId else { return try failedJobs(offset: offset, limit: limit) }
        return try ProcessingJob.fetchAll(
            db,
            sql: """
                SELECT j.* FROM processing_jobs j JOIN upload_sessions s ON s.id = j.sessionId
                WHERE j.status = ? AND s.userId = ? ORDER BY j.updatedAt DESC, j.id DESC LIMIT ? OFFSET ?
                """,
            arguments: [JobStatus.failed.rawValue, userId, max(limit, 0), max(offset, 0)])
    }

    /// How many of `userId`'s jobs (all when nil) are FAILED.
    public func failedJobCount(userId: String?) throws -> Int {
        guard let userId else { return try failedJobCount() }
        return try Int.fetchOne(
            db,
            sql: """
                SELECT count(*) FROM processing_jobs j JOIN upload_sessions s ON s.id = j.sessionId
                WHERE j.status = ? AND s.userId = ?
                """,
            arguments: [JobStatus.failed.rawValue, userId]) ?? 0
    }

    /// The problems condition of ``problemSessions(stalledBefore:offset:limit:)``; its one `?` is the cut-off.
    private static var userProblemClause: String {
        """
        (status IN ('\(problemStatuses.map(\.rawValue).joined(separator: "','"))')
         OR (status IN ('\(movingStatuses.map(\.rawValue).joined(separator: "','"))') AND lastActivityAt < ?))
        """
    }
}
