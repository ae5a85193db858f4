import Foundation
import UploadModel

extension UploadReader {
    /// The session whose object lives at `objectKey`, if any (object keys are unique).
    public func session(objectKey: String) async throws -> UploadSession? {
        try await read { snapshot in
            try snapshot.db.record("SELECT * FROM upload_sessions WHERE objectKey = ?", [objectKey])
        }
    }

    /// Sessions still taking bytes (PENDING or UPLOADING) with no activity since `cutoff`, in
    /// (lastActivityAt, id) order after `cursor`, at most `limit`: one bounded page of a sweep.
    public func openSessions(idleSince cutoff: Date, after cursor: (Date, String)?, limit: Int) async throws -> [UploadSession] {
        try await read { snapshot in
            let start = cursor.map { Timestamp.millis($0.0) } ?? Int64.min
            let startId = cursor?.1 ?? ""
            return try snapshot.db.records(
                """
                SELECT * FROM upload_sessions
                WHERE status IN ('PENDING', 'UPLOADING') AND lastActivityAt < ?
                  AND (lastActivityAt > ? OR (lastActivityAt = ? AND id > ?))
                ORDER BY lastActivityAt, id LIMIT ?
                """,
                [Timestamp.millis(cutoff), start, start, startId, limit])
        }
    }
}

extension UploadSnapshot {
    /// Sessions still taking bytes (PENDING or UPLOADING), in id order after `cursor`,
    /// at most `limit`, as (id, objectKey): one page of the start-up check of the embedded store.
    public func openSessionKeys(after cursor: String, limit: Int) throws -> [(id: String, objectKey: String)] {
        try db.fetchAll(
            """
            SELECT id, objectKey FROM upload_sessions
            WHERE status IN ('PENDING', 'UPLOADING') AND id > ? ORDER BY id LIMIT ?
            """,
            [cursor, limit]
        ).map { (id: try $0["id"], objectKey: try $0["objectKey"]) }
    }
}
