import UploadModel

/// Checks the invariants upman promises on one database snapshot, and lists every breach.
///
/// - A group's status and counters are what its sessions derive.
/// - A session's part count, completed parts and uploaded bytes are what its part rows say, and
///   its parts cover the file exactly.
/// - Parts and jobs belong to their session's group; sessions to their group's owner.
/// - Event ids have no gaps between the oldest kept and the newest.
struct StoreAudit {
    /// The snapshot's connection.
    let db: any SQLDatabase

    /// Every breach found, as lines for people; empty when all hold.
    func problems() throws -> [String] {
        var problems: [String] = []
        problems += try groupProblems()
        problems += try sessionProblems()
        problems += try ownershipProblems()
        problems += try eventProblems()
        problems += try tallyProblems()
        return problems
    }

    private func groupProblems() throws -> [String] {
        var tallies: [String: SessionTally] = [:]
        for row in try db.fetchAll(GroupTally.recountSQL) {
            try GroupTally.add(row, to: &tallies[try row["groupId"], default: SessionTally()])
        }
        var problems: [String] = []
        let groups: [UploadGroup] = try db.records("SELECT * FROM upload_groups ORDER BY id")
        for group in groups {
            let derived = UploadLifecycle.deriveGroup(current: group.status, sessions: tallies[group.id] ?? SessionTally())
            if !derived.matches(group) {
                problems.append(
                    "group \(group.id): stored \(group.status.rawValue) \(Self.describe(group.counters)); sessions say \(derived.status.rawValue) \(Self.describe(derived.counters))")
            }
        }
        return problems
    }

    /// `completed/failed/total files, uploaded/total bytes`.
    private static func describe(_ c: GroupCounters) -> String {
        "\(c.completedFiles)/\(c.failedFiles)/\(c.totalFiles) files, \(c.bytesUploaded)/\(c.totalBytes) bytes"
    }

    private func sessionProblems() throws -> [String] {
        var problems: [String] = []
        let rows = try db.fetchAll(
            """
                SELECT s.id, s.status, s.size, s.totalParts, s.completedParts, s.bytesUploaded,
                       count(p.id) AS parts, coalesce(sum(p.size), 0) AS partBytes,
                       count(p.id) FILTER (WHERE p.status = 'UPLOADED') AS done,
                       coalesce(sum(p.size) FILTER (WHERE p.status = 'UPLOADED'), 0) AS doneBytes,
                       count(p.id) FILTER (WHERE p.status != 'PENDING') AS started
                FROM upload_sessions s LEFT JOIN file_parts p ON p.sessionId = s.id
                GROUP BY s.id, s.status, s.size, s.totalParts, s.completedParts, s.bytesUploaded
                """)
        for row in rows {
            let id: String = try row["id"]
            let parts: Int = try row["parts"], totalParts: Int = try row["totalParts"]
            let partBytes: Int64 = try row["partBytes"], size: Int64 = try row["size"]
            let done: Int = try row["done"], completedParts: Int = try row["completedParts"]
            let doneBytes: Int64 = try row["doneBytes"], bytesUploaded: Int64 = try row["bytesUploaded"]
            if parts != totalParts || partBytes != size {
                problems.append("session \(id): \(parts) part rows of \(partBytes) bytes, planned \(totalParts) parts of \(size) bytes")
            }
            if done != completedParts || doneBytes != bytesUploaded {
                problems.append("session \(id): counters say \(completedParts) parts / \(bytesUploaded) bytes uploaded, parts say \(done) / \(doneBytes)")
            }
            let status: String = try row["status"], started: Int = try row["started"]
            if status == FileStatus.pending.rawValue && started > 0 {
                problems.append("session \(id): PENDING although parts have started")
            }
        }
        return problems
    }

    private func ownershipProblems() throws -> [String] {
        var problems: [String] = []
        let checks: [(String, String)] = [
            ("SELECT s.id FROM upload_sessions s JOIN upload_groups g ON g.id = s.groupId WHERE s.userId != g.userId", "session owned by another user than its group"),
            ("SELECT p.id FROM file_parts p JOIN upload_sessions s ON s.id = p.sessionId WHERE p.groupId != s.groupId", "part filed under another group than its session"),
            ("SELECT j.id FROM processing_jobs j JOIN upload_sessions s ON s.id = j.sessionId WHERE j.groupId != s.groupId", "job filed under another group than its session"),
        ]
        for (sql, what) in checks {
            for id: String in try db.column(sql + " LIMIT 20") {
                problems.append("\(id): \(what)")
            }
        }
        return problems
    }

    private func tallyProblems() throws -> [String] {
        try (db.column("""
            SELECT coalesce(s.groupId, t.groupId) || ' ' || coalesce(s.status, t.status)
            FROM (\(GroupTally.recountSQL)) s
            FULL OUTER JOIN (SELECT * FROM group_tallies WHERE n != 0) t
              ON t.groupId = s.groupId AND t.status = s.status
            WHERE s.n IS NULL OR t.n IS NULL OR s.n != t.n OR s.size != t.size OR s.uploaded != t.uploaded
            LIMIT 20
            """) as [String]).map { "group tally \($0): does not match the sessions" }
    }

    private func eventProblems() throws -> [String] {
        guard let row = try db.fetchOne("SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM events"),
              let lo: Int64 = try row["lo"], let hi: Int64 = try row["hi"]
        else { return [] }
        let count: Int64 = try row["n"]
        guard hi - lo + 1 != count else { return [] }
        return ["events: \(count) rows between ids \(lo) and \(hi): \(hi - lo + 1 - count) missing"]
    }
}
