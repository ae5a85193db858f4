import UploadModel

/// Per-group, per-status session counts and byte sums, kept up to date as sessions change, so a
/// group's status and counters are derived from a handful of rows instead of a scan of every
/// session in the group.
enum GroupTally {
    /// Adds (`sign` 1) or removes (`sign` -1) one session's contribution.
    static func adjust(_ db: any SQLDatabase, groupId: String, status: FileStatus, size: Int64, uploaded: Int64, sign: Int64) throws {
        try db.execute("""
            INSERT INTO group_tallies (groupId, status, n, size, uploaded) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (groupId, status) DO UPDATE SET n = group_tallies.n + excluded.n,
              size = group_tallies.size + excluded.size, uploaded = group_tallies.uploaded + excluded.uploaded
            """, [groupId, status.rawValue, sign, sign * size, sign * uploaded])
    }

    /// Moves a session's contribution from its old values to its new ones.
    static func change(_ db: any SQLDatabase, from old: UploadSession, to new: UploadSession) throws {
        guard old.status != new.status || old.size != new.size || old.bytesUploaded != new.bytesUploaded else { return }
        try adjust(db, groupId: old.groupId, status: old.status, size: old.size, uploaded: old.bytesUploaded, sign: -1)
        try adjust(db, groupId: new.groupId, status: new.status, size: new.size, uploaded: new.bytesUploaded, sign: 1)
    }

    /// Every group's tally counted afresh from its sessions, as `group_tallies` rows (`groupId,
    /// status, n, size, uploaded`): what the table was first filled with, and what the audit checks
    /// it and the groups' counters against.
    static let recountSQL = """
        SELECT groupId, status, count(*) AS n, coalesce(sum(size), 0) AS size, coalesce(sum(bytesUploaded), 0) AS uploaded
        FROM upload_sessions GROUP BY groupId, status
        """

    /// The group's tally.
    static func tally(_ db: any SQLDatabase, groupId: String) throws -> SessionTally {
        var tally = SessionTally()
        for row in try db.fetchAll("SELECT status, n, size, uploaded FROM group_tallies WHERE groupId = ? AND n != 0", [groupId]) {
            try add(row, to: &tally)
        }
        return tally
    }

    /// Adds one tally row (`status, n, size, uploaded`) to `tally`; a status this version does not
    /// know is left out.
    static func add(_ row: SQLRow, to tally: inout SessionTally) throws {
        guard let status = FileStatus(rawValue: try row["status"]) else { return }
        tally.add(status, size: try row["size"], uploaded: try row["uploaded"], count: try row["n"])
    }
}
