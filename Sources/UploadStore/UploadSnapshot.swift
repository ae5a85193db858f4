import Foundation
import UploadModel

/// The read queries, run inside one read transaction (one consistent view of the database).
public struct UploadSnapshot {
    /// The connection, inside the read transaction.
    let db: any SQLDatabase

    /// A page of groups.
    public func groups(_ query: GroupQuery) throws -> [UploadGroup] {
        let (sql, arguments) = page(query)
        return try db.records(sql, arguments)
    }

    /// How many groups match (ignoring offset and limit).
    public func groupCount(_ query: GroupQuery) throws -> Int {
        let (whereSQL, arguments) = filter(query)
        return try db.scalar("SELECT count(*) FROM \(GroupSort.kind.table) \(whereSQL)", arguments) ?? 0
    }

    /// The group with `id`, if any.
    public func group(_ id: String) throws -> UploadGroup? {
        try db.record(key: id)
    }

    /// A page of a group's sessions.
    public func sessions(_ query: SessionQuery) throws -> [UploadSession] {
        let (sql, arguments) = page(query)
        return try db.records(sql, arguments)
    }

    /// The session with `id`, if any.
    public func session(_ id: String) throws -> UploadSession? {
        try db.record(key: id)
    }

    /// The tus upload of session `id`, if it was created through tus.
    public func tusUpload(_ id: String) throws -> TusUpload? {
        try db.record(key: id)
    }

    /// The ids of every group of `userId` named `name`.
    public func groupIds(userId: String, name: String) throws -> Set<String> {
        Set(try db.fetchAll("SELECT id FROM upload_groups WHERE userId = ? AND name = ?", [userId, name]).map { try $0["id"] as String })
    }

    /// The latest group of `userId` named `name` that is not cancelled, if any.
    public func latestGroup(userId: String, name: String) throws -> UploadGroup? {
        try db.record(
            """
            SELECT * FROM upload_groups WHERE userId = ? AND name = ? AND status != 'CANCELLED'
            ORDER BY createdAt DESC, id DESC LIMIT 1
            """,
            [userId, name])
    }

    /// The oldest session of `groupId` still waiting for bytes (PENDING or UPLOADING) for the
    /// same file: name, size and fingerprint.
    public func openSession(groupId: String, fileName: String, size: Int64, fingerprint: String) throws -> UploadSession? {
        try db.record(
            """
            SELECT * FROM upload_sessions
            WHERE groupId = ? AND fileName = ? AND size = ? AND fingerprint = ? AND status IN ('PENDING', 'UPLOADING')
            ORDER BY createdAt, id LIMIT 1
            """,
            [groupId, fileName, size, fingerprint])
    }

    /// A session's parts by number.
    public func parts(sessionId: String, offset: Int = 0, limit: Int = 10_000) throws -> [FilePart] {
        try db.records(
            "SELECT * FROM file_parts WHERE sessionId = ? ORDER BY partNumber LIMIT ? OFFSET ?",
            [sessionId, max(limit, 0), max(offset, 0)])
    }

    /// A session's jobs in run order.
    public func jobs(sessionId: String) throws -> [ProcessingJob] {
        try db.records("SELECT * FROM processing_jobs WHERE sessionId = ? ORDER BY position, id", [sessionId])
    }

    /// The job with `id`, if any.
    public func job(_ id: String) throws -> ProcessingJob? {
        try db.record(key: id)
    }

    /// Jobs with `status`, most recently changed first.
    public func jobs(status: JobStatus, limit: Int) throws -> [ProcessingJob] {
        try db.records(
            "SELECT * FROM processing_jobs WHERE status = ? ORDER BY updatedAt DESC LIMIT ?", [status, max(limit, 0)])
    }

    /// Totals for a header.
    public func totals() throws -> StoreTotals {
        var totals = StoreTotals()
        for row in try db.fetchAll("SELECT status, count(*) AS n FROM upload_groups GROUP BY status") {
            if let status = GroupStatus(rawValue: try row["status"]) { totals.groups[status] = try row["n"] }
        }
        for row in try db.fetchAll(
            """
            SELECT status, count(*) AS n, coalesce(sum(size), 0) AS size,
                   coalesce(sum(bytesUploaded), 0) AS uploaded
            FROM upload_sessions GROUP BY status
            """)
        {
            guard let status = FileStatus(rawValue: try row["status"]) else { continue }
            totals.sessions[status] = try row["n"]
            totals.totalBytes += try row["size"] as Int64
            totals.bytesUploaded += try row["uploaded"] as Int64
        }
        for row in try db.fetchAll("SELECT status, count(*) AS n FROM processing_jobs GROUP BY status") {
            if let status = JobStatus(rawValue: try row["status"]) { totals.jobs[status] = try row["n"] }
        }
        totals.latestEventId = try latestEventId()
        return totals
    }

    /// The newest event id, 0 when none.
    public func latestEventId() throws -> Int64 {
        try db.scalar("SELECT coalesce(max(id), 0) FROM events") ?? 0
    }

    /// The oldest event id still kept, 0 when none.
    public func oldestEventId() throws -> Int64 {
        try db.scalar("SELECT coalesce(min(id), 0) FROM events") ?? 0
    }

    /// Events after `id`, oldest first.
    public func events(after id: Int64, limit: Int, groupId: String?, userId: String?) throws -> [UploadEvent] {
        var sql = "SELECT * FROM events WHERE id > ?"
        var arguments: [any SQLBindable] = [id]
        if let groupId {
            sql += " AND groupId = ?"
            arguments.append(groupId)
        }
        if let userId {
            sql += " AND userId = ?"
            arguments.append(userId)
        }
        sql += " ORDER BY id LIMIT ?"
        arguments.append(max(limit, 0))
        return try db.records(sql, arguments)
    }

    /// The token whose hash is `hash`, if any.
    public func token(hash: String) throws -> AccessToken? {
        guard let row = try db.fetchOne("SELECT * FROM tokens WHERE hash = ?", [hash]) else { return nil }
        return try AccessToken(
            hash: row["hash"], userId: row["userId"], admin: row["admin"], createdAt: row.date("createdAt"),
            scope: TokenScope(rawValue: row["scope"]) ?? .api, groupName: row["groupName"], expiresAt: row.date("expiresAt"),
            maxBytes: row["maxBytes"], usedBytes: row["usedBytes"])
    }

    /// The query's page: its rows in its order, ties broken by id.
    private func page<Sort: ListSort & SortSQL>(_ query: ListQuery<Sort>) -> (String, [any SQLBindable]) {
        let (whereSQL, arguments) = filter(query)
        let direction = query.descending ? "DESC" : "ASC"
        let sql = """
            SELECT * FROM \(Sort.kind.table) \(whereSQL)
            ORDER BY \(query.sort.sql(db.dialect)) \(direction), id \(direction) LIMIT ? OFFSET ?
            """
        return (sql, arguments + [max(query.limit, 0), max(query.offset, 0)])
    }

    /// The query's `WHERE` clause (empty when it filters nothing) and its arguments.
    private func filter<Sort: ListSort & SortSQL>(_ query: ListQuery<Sort>) -> (String, [any SQLBindable]) {
        var clauses: [String] = []
        var arguments: [any SQLBindable] = []
        if let groupId = query.groupId {
            clauses.append("\(Sort.kind.groupColumn) = ?")
            arguments.append(groupId)
        }
        if !query.statuses.isEmpty {
            clauses.append("status IN (\(Array(repeating: "?", count: query.statuses.count).joined(separator: ", ")))")
            arguments += query.statuses.map(\.rawValue).sorted() as [any SQLBindable]
        }
        if let userId = query.userId {
            clauses.append("userId = ?")
            arguments.append(userId)
        }
        if let search = query.search, !search.isEmpty {
            let condition = Sort.kind.search(db.dialect)
            clauses.append(condition.sql)
            arguments += Array(repeating: search, count: condition.placeholders) as [any SQLBindable]
        }
        let sql = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return (sql, arguments)
    }

    /// The database's own integrity check (SQLite's `PRAGMA integrity_check`): "ok" when sound.
    public func integrityCheck() throws -> String {
        try db.integrityCheck()
    }

    /// The invariants upman keeps that this snapshot breaks (see ``StoreAudit``); empty when sound.
    public func audit() throws -> [String] {
        try StoreAudit(db: db).problems()
    }
}
