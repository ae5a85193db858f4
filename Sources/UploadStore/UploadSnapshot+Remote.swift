import Foundation
import UploadModel

/// The dashboard's reads scoped to one user, for `GET /api/v1/snapshot` with a user token: each
/// filters by owner in SQL (before any `LIMIT`), and with `userId` nil is the unscoped query of
/// ``UploadSnapshot`` (an admin's view).
extension UploadSnapshot {
    /// The newest event id of `userId`'s uploads (uses `events_by_user`), or of all when nil; 0 when none.
    public func latestEventId(userId: String?) throws -> Int64 {
        guard let userId else { return try latestEventId() }
        return try db.scalar("SELECT coalesce(max(id), 0) FROM events WHERE userId = ?", [userId]) ?? 0
    }

    /// Sums over `userId`'s groups (all groups when nil), the files and bytes a group announced
    /// counting when more than it started, saturating: a sum past `Int64.max` (groups that
    /// announced absurd sizes) reads as the maximum instead of failing (the sums are taken in
    /// floating point, ``SQLDialect/floatSum(_:)``).
    public func groupSums(userId: String?) throws -> GroupSums {
        let hasExpected = try db.columnNames(in: "upload_groups").contains { $0.lowercased() == "expectedfiles" }
        let files = hasExpected ? db.dialect.greatest("totalFiles", "coalesce(expectedFiles, 0)") : "totalFiles"
        let bytes = hasExpected ? db.dialect.greatest("totalBytes", "coalesce(expectedBytes, 0)") : "totalBytes"
        let sum = db.dialect.floatSum
        var sums = GroupSums()
        if let row = try db.fetchOne(
            """
            SELECT count(*) AS n, \(sum(files)) AS files, \(sum("completedFiles")) AS completed,
                   \(sum("failedFiles")) AS failed, \(sum(bytes)) AS bytes, \(sum("bytesUploaded")) AS uploaded
            FROM upload_groups \(userId == nil ? "" : "WHERE userId = ?")
            """,
            userId.map { [$0] } ?? [])
        {
            func saturated(_ column: String) throws -> Int64 {
                let value: Double = try row[column]
                return value >= 9.2e18 ? .max : Int64(max(0, value))
            }
            sums.groups = try row["n"]
            sums.counters = GroupCounters(
                totalFiles: Int(try saturated("files")), completedFiles: Int(try saturated("completed")),
                failedFiles: Int(try saturated("failed")), totalBytes: try saturated("bytes"),
                bytesUploaded: try saturated("uploaded"))
        }
        return sums
    }

    /// ``problemSessions(stalledBefore:offset:limit:)`` of `userId`'s uploads only (all when nil).
    public func problemSessions(stalledBefore: Date, userId: String?, offset: Int = 0, limit: Int) throws -> [UploadSession] {
        guard let userId else { return try problemSessions(stalledBefore: stalledBefore, offset: offset, limit: limit) }
        return try db.records(
            """
            SELECT * FROM upload_sessions WHERE userId = ? AND \(Self.userProblemClause)
            ORDER BY lastActivityAt DESC, id DESC LIMIT ? OFFSET ?
            """,
            [userId, Timestamp.millis(stalledBefore), max(limit, 0), max(offset, 0)])
    }

    /// How many sessions ``problemSessions(stalledBefore:userId:offset:limit:)`` would list in all.
    public func problemSessionCount(stalledBefore: Date, userId: String?) throws -> Int {
        guard let userId else { return try problemSessionCount(stalledBefore: stalledBefore) }
        return try db.scalar(
            "SELECT count(*) FROM upload_sessions WHERE userId = ? AND \(Self.userProblemClause)",
            [userId, Timestamp.millis(stalledBefore)]) ?? 0
    }

    /// FAILED jobs of `userId`'s uploads (all when nil), most recently changed first, paged.
    public func failedJobs(userId: String?, offset: Int = 0, limit: Int) throws -> [ProcessingJob] {
        guard let userId else { return try failedJobs(offset: offset, limit: limit) }
        return try db.records(
            """
            SELECT j.* FROM processing_jobs j JOIN upload_sessions s ON s.id = j.sessionId
            WHERE j.status = ? AND s.userId = ? ORDER BY j.updatedAt DESC, j.id DESC LIMIT ? OFFSET ?
            """,
            [JobStatus.failed, userId, max(limit, 0), max(offset, 0)])
    }

    /// How many of `userId`'s jobs (all when nil) are FAILED.
    public func failedJobCount(userId: String?) throws -> Int {
        guard let userId else { return try failedJobCount() }
        return try db.scalar(
            """
            SELECT count(*) FROM processing_jobs j JOIN upload_sessions s ON s.id = j.sessionId
            WHERE j.status = ? AND s.userId = ?
            """,
            [JobStatus.failed, userId]) ?? 0
    }

    /// The problems condition of ``problemSessions(stalledBefore:offset:limit:)``; its one `?` is the cut-off.
    private static var userProblemClause: String {
        """
        (status IN ('\(problemStatuses.map(\.rawValue).joined(separator: "','"))')
         OR (status IN ('\(movingStatuses.map(\.rawValue).joined(separator: "','"))') AND lastActivityAt < ?))
        """
    }
}
