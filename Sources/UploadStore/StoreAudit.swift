import GRDB
import UploadModel

/// Checks the invariants upman promises on one database snapshot, and lists every breach.
///
/// - A group's status and counters are what its sessions derive.
/// - A session's part count, completed parts and uploaded bytes are what its part rows say, and
///   its parts cover the file exactly.
/// - Parts and jobs belong to their session's group; sessions to their group's owner.
/// - Event ids have no gaps between the oldest kept and the newest.
struct StoreAudit {
    let db: Database

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
        let rows = try Row.fetchCursor(db, sql: GroupTally.recountSQL)
        while let row = try rows.next() { GroupTally.add(row, to: &tallies[row["groupId"], default: SessionTally()]) }
        var problems: [String] = []
        let groups = try UploadGroup.fetchCursor(db)
        while let group = try groups.next() {
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
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT s.id, s.status, s.size, s.totalParts, s.completedParts, s.bytesUploaded,
                       count(p.id) AS parts, coalesce(sum(p.size), 0) AS partBytes,
                       count(p.id) FILTER (WHERE p.status = 'UPLOADED') AS done,
                       coalesce(sum(p.size) FILTER (WHERE p.status = 'UPLOADED'), 0) AS doneBytes,
                       count(p.id) FILTER (WHERE p.status != 'PENDING') AS started
                FROM upload_sessions s LEFT JOIN file_parts p ON p.sessionId = s.id
                GROUP BY s.id
                """)
        while let row = try rows.next() {
            let id: String = row["id"]
            if (row["parts"] as Int) != (row["totalParts"] as Int) || (row["partBytes"] as Int64) != (row["size"] as Int64) {
                problems.append("session \(id): \(row["parts"] as Int) part rows of \(row["partBytes"] as Int64) bytes, planned \(row["totalParts"] as Int) parts of \(row["size"] as Int64) bytes")
            }
            if (row["done"] as Int) != (row["completedParts"] as Int) || (row["doneBytes"] as Int64) != (row["bytesUploaded"] as Int64) {
                problems.append("session \(id): counters say \(row["completedParts"] as Int) parts / \(row["bytesUploaded"] as Int64) bytes uploaded, parts say \(row["done"] as Int) / \(row["doneBytes"] as Int64)")
            }
            if (row["status"] as String) == FileStatus.pending.rawValue && (row["started"] as Int) > 0 {
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
            for id in try String.fetchAll(db, sql: sql + " LIMIT 20") {
                problems.append("\(id): \(what)")
            }
        }
        return problems
    }

    private func tallyProblems() throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT coalesce(s.groupId, t.groupId) || ' ' || coalesce(s.status, t.status)
            FROM (\(GroupTally.recountSQL)) s
            FULL OUTER JOIN (SELECT * FROM group_tallies WHERE n != 0) t
              ON t.groupId = s.groupId AND t.status = s.status
            WHERE s.n IS NULL OR t.n IS NULL OR s.n != t.n OR s.size != t.size OR s.uploaded != t.uploaded
            LIMIT 20
            """).map { "group tally \($0): does not match the sessions" }
    }

    private func eventProblems() throws -> [String] {
        guard let row = try Row.fetchOne(db, sql: "SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM events"),
              let lo: Int64 = row["lo"], let hi: Int64 = row["hi"]
        else { return [] }
        let count: Int64 = row["n"]
        guard hi - lo + 1 != count else { return [] }
        return ["events: \(count) rows between ids \(lo) and \(hi): \(hi - lo + 1 - count) missing"]
    }
}
