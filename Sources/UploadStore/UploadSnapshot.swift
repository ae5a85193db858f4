import Foundation
import GRDB
import UploadModel

/// The read queries, run inside one read transaction (one consistent view of the database).
public struct UploadSnapshot {
    let db: Database

    /// A page of groups.
    public func groups(_ query: GroupQuery) throws -> [UploadGroup] {
        let (sql, arguments) = Self.page(query)
        return try UploadGroup.fetchAll(db, sql: sql, arguments: arguments)
    }

    /// How many groups match (ignoring offset and limit).
    public func groupCount(_ query: GroupQuery) throws -> Int {
        let (whereSQL, arguments) = Self.filter(query)
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM \(GroupSort.kind.table) \(whereSQL)", arguments: arguments) ?? 0
    }

    /// The group with `id`, if any.
    public func group(_ id: String) throws -> UploadGroup? {
        try UploadGroup.fetchOne(db, key: id)
    }

    /// A page of a group's sessions.
    public func sessions(_ query: SessionQuery) throws -> [UploadSession] {
        let (sql, arguments) = Self.page(query)
        return try UploadSession.fetchAll(db, sql: sql, arguments: arguments)
    }

    /// The session with `id`, if any.
    public func session(_ id: String) throws -> UploadSession? {
        try UploadSession.fetchOne(db, key: id)
    }

    /// The tus upload of session `id`, if it was created through tus.
    public func tusUpload(_ id: String) throws -> TusUpload? {
        try TusUpload.fetchOne(db, key: id)
    }

    /// The latest group of `userId` named `name` that is not cancelled, if any.
    public func latestGroup(userId: String, name: String) throws -> UploadGroup? {
        try UploadGroup.fetchOne(
            db,
            sql: """
                SELECT * FROM upload_groups WHERE userId = ? AND name = ? AND status != 'CANCELLED'
                ORDER BY createdAt DESC, id DESC LIMIT 1
                """,
            arguments: [userId, name])
    }

    /// The oldest session of `groupId` still waiting for bytes (PENDING or UPLOADING) for the
    /// same file: name, size and fingerprint.
    public func openSession(groupId: String, fileName: String, size: Int64, fingerprint: String) throws -> UploadSession? {
        try UploadSession.fetchOne(
            db,
            sql: """
                SELECT * FROM upload_sessions
                WHERE groupId = ? AND fileName = ? AND size = ? AND fingerprint = ? AND status IN ('PENDING', 'UPLOADING')
                ORDER BY createdAt, id LIMIT 1
                """,
            arguments: [groupId, fileName, size, fingerprint])
    }

    /// A session's parts by number.
    public func parts(sessionId: String, offset: Int = 0, limit: Int = 10_000) throws -> [FilePart] {
        try FilePart.filter(Column("sessionId") == sessionId).order(Column("partNumber"))
            .limit(max(limit, 0), offset: max(offset, 0)).fetchAll(db)
    }

    /// A session's jobs in run order.
    public func jobs(sessionId: String) throws -> [ProcessingJob] {
        try ProcessingJob.filter(Column("sessionId") == sessionId)
            .order(Column("position"), Column("id")).fetchAll(db)
    }

    /// The job with `id`, if any.
    public func job(_ id: String) throws -> ProcessingJob? {
        try ProcessingJob.fetchOne(db, key: id)
    }

    /// Jobs with `status`, most recently changed first.
    public func jobs(status: JobStatus, limit: Int) throws -> [ProcessingJob] {
        try ProcessingJob.filter(Column("status") == status.rawValue)
            .order(Column("updatedAt").desc).limit(max(limit, 0)).fetchAll(db)
    }

    /// Totals for a header.
    public func totals() throws -> StoreTotals {
        var totals = StoreTotals()
        for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM upload_groups GROUP BY status") {
            if let status = GroupStatus(rawValue: row["status"]) { totals.groups[status] = row["n"] }
        }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT status, count(*) AS n, coalesce(sum(size), 0) AS size,
                       coalesce(sum(bytesUploaded), 0) AS uploaded
                FROM upload_sessions GROUP BY status
                """)
        {
            guard let status = FileStatus(rawValue: row["status"]) else { continue }
            totals.sessions[status] = row["n"]
            totals.totalBytes += row["size"] as Int64
            totals.bytesUploaded += row["uploaded"] as Int64
        }
        for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM processing_jobs GROUP BY status") {
            if let status = JobStatus(rawValue: row["status"]) { totals.jobs[status] = row["n"] }
        }
        totals.latestEventId = try latestEventId()
        return totals
    }

    /// The newest event id, 0 when none.
    public func latestEventId() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? 0
    }

    /// The oldest event id still kept, 0 when none.
    public func oldestEventId() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT min(id) FROM events") ?? 0
    }

    /// Events after `id`, oldest first.
    public func events(after id: Int64, limit: Int, groupId: String?, userId: String?) throws -> [UploadEvent] {
        var sql = "SELECT * FROM events WHERE id > ?"
        var arguments: StatementArguments = [id]
        if let groupId {
            sql += " AND groupId = ?"
            arguments += [groupId]
        }
        if let userId {
            sql += " AND userId = ?"
            arguments += [userId]
        }
        sql += " ORDER BY id LIMIT ?"
        arguments += [max(limit, 0)]
        return try UploadEvent.fetchAll(db, sql: sql, arguments: arguments)
    }

    /// The token whose hash is `hash`, if any.
    public func token(hash: String) throws -> AccessToken? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE hash = ?", arguments: [hash]) else {
            return nil
        }
        return AccessToken(
            hash: row["hash"], userId: row["userId"], admin: row["admin"], createdAt: row.date("createdAt"),
            scope: TokenScope(rawValue: row["scope"]) ?? .api, groupName: row["groupName"], expiresAt: row.date("expiresAt"),
            maxBytes: row["maxBytes"], usedBytes: row["usedBytes"])
    }

    /// The query's page: its rows in its order, ties broken by id.
    private static func page<Sort: ListSort & SortSQL>(_ query: ListQuery<Sort>) -> (String, StatementArguments) {
        let (whereSQL, arguments) = filter(query)
        let direction = query.descending ? "DESC" : "ASC"
        let sql = """
            SELECT * FROM \(Sort.kind.table) \(whereSQL)
            ORDER BY \(query.sort.sql) \(direction), id \(direction) LIMIT ? OFFSET ?
            """
        return (sql, arguments + [max(query.limit, 0), max(query.offset, 0)])
    }

    /// The query's `WHERE` clause (empty when it filters nothing) and its arguments.
    private static func filter<Sort: ListSort & SortSQL>(_ query: ListQuery<Sort>) -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let groupId = query.groupId {
            clauses.append("\(Sort.kind.groupColumn) = ?")
            arguments += [groupId]
        }
        if !query.statuses.isEmpty {
            clauses.append("status IN (\(placeholders(query.statuses.count)))")
            arguments += StatementArguments(query.statuses.map(\.rawValue).sorted())
        }
        if let userId = query.userId {
            clauses.append("userId = ?")
            arguments += [userId]
        }
        if let search = query.search, !search.isEmpty {
            clauses.append(Sort.kind.search)
            arguments += StatementArguments(Array(repeating: search, count: Sort.kind.search.count { $0 == "?" }))
        }
        let sql = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return (sql, arguments)
    }

    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// SQLite's `PRAGMA integrity_check`: "ok" when the file is sound.
    public func integrityCheck() throws -> String {
        try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
    }

    /// The invariants upman keeps that this snapshot breaks (see ``StoreAudit``); empty when sound.
    public func audit() throws -> [String] {
        try StoreAudit(db: db).problems()
    }
}
