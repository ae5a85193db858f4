import UploadModel

/// The durable, append-only log of committed changes, read back for SSE replay.
public struct EventLog {
    let tx: StoreTransaction

    /// Removes all but the newest `keep` events; returns how many were removed. Ids are never reused.
    @discardableResult
    public func prune(keepingLast keep: Int) throws -> Int {
        try tx.db.execute(
            "DELETE FROM events WHERE id <= (SELECT coalesce(max(id), 0) FROM events) - ?", [max(keep, 0)])
    }
}
