import Foundation
import UploadModel

/// Keeps what tus uploads hold beside their sessions (``TusUpload``). A change to it writes no
/// event of its own: what operators see moves with the session's parts.
public struct TusUploadRepository {
    let tx: StoreTransaction

    /// The tus upload of `sessionId`, if that session was created through tus.
    public func find(_ sessionId: String) throws -> TusUpload? {
        try tx.db.record(key: sessionId)
    }

    /// The tus upload of `sessionId`, or `notFound`.
    public func get(_ sessionId: String) throws -> TusUpload {
        guard let upload = try find(sessionId) else { throw UploadError(.notFound, "no tus upload \(sessionId)") }
        return upload
    }

    /// Stores a new tus upload (its session must exist).
    public func insert(_ upload: TusUpload) throws {
        try upload.insert(tx.db)
    }

    /// Saves a changed tus upload.
    public func save(_ upload: TusUpload) throws {
        try upload.update(tx.db)
    }

    /// Holds upload `sessionId` for the request `holder` until `until`, when no other request
    /// holds it (or its hold ran out): instances sharing a database write one upload through one
    /// request at a time. A new hold clears an earlier request's ask (``ask(_:by:)``). PostgreSQL
    /// only (the columns are there); one process on SQLite has ``TusLocks``.
    ///
    /// - Returns: whether `holder` holds it now.
    public func hold(_ sessionId: String, holder: String, until: Date) throws -> Bool {
        try tx.db.execute(
            """
            UPDATE tus_uploads SET holder = ?, heldUntil = ?, wanted = NULL
            WHERE sessionId = ? AND (holder IS NULL OR holder = ? OR heldUntil < ?)
            """,
            [holder, Timestamp.millis(until), sessionId, holder, Timestamp.millis(tx.now)]) > 0
    }

    /// Extends `holder`'s hold of `sessionId` to `until`.
    ///
    /// - Returns: nil when `holder` no longer holds it; else whether another request asked for it.
    public func renew(_ sessionId: String, holder: String, until: Date) throws -> Bool? {
        guard let row = try tx.db.fetchOne(
            "UPDATE tus_uploads SET heldUntil = ? WHERE sessionId = ? AND holder = ? RETURNING wanted",
            [Timestamp.millis(until), sessionId, holder])
        else { return nil }
        let wanted: String? = try row["wanted"]
        return wanted != nil
    }

    /// Asks the request holding `sessionId` to let go (the next PATCH takes an upload over, as
    /// tusd's lock release does); the holder sees it when it renews.
    public func ask(_ sessionId: String, by requester: String) throws {
        try tx.db.execute(
            "UPDATE tus_uploads SET wanted = ? WHERE sessionId = ? AND holder IS NOT NULL AND holder != ?",
            [requester, sessionId, requester])
    }

    /// Lets go of `sessionId` if `holder` holds it.
    public func release(_ sessionId: String, holder: String) throws {
        try tx.db.execute(
            "UPDATE tus_uploads SET holder = NULL, heldUntil = NULL, wanted = NULL WHERE sessionId = ? AND holder = ?",
            [sessionId, holder])
    }
}
