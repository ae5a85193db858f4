import GRDB
import UploadModel

extension ProcessingJob: FetchableRecord, PersistableRecord {
    /// The `processing_jobs` table.
    public static var databaseTableName: String { "processing_jobs" }

    /// Reads a job from a row.
    public init(row: Row) throws {
        self.init(
            id: row["id"], sessionId: row["sessionId"], groupId: row["groupId"], kind: row["kind"],
            position: row["position"], status: row["status"], attempts: row["attempts"],
            maxAttempts: row["maxAttempts"], output: row["output"], error: ErrorDetail.from(row),
            createdAt: row.date("createdAt"), updatedAt: row.date("updatedAt"), runAfter: row.date("runAfter"),
            startedAt: row.date("startedAt"), finishedAt: row.date("finishedAt"), actedBy: row["actedBy"])
    }

    /// Writes a job's columns.
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["sessionId"] = sessionId
        container["groupId"] = groupId
        container["kind"] = kind
        container["position"] = position
        container["status"] = status
        container["attempts"] = attempts
        container["maxAttempts"] = maxAttempts
        container["output"] = output
        container.setError(error)
        container["createdAt"] = Timestamp.millis(createdAt)
        container["updatedAt"] = Timestamp.millis(updatedAt)
        container["runAfter"] = Timestamp.millis(runAfter)
        container["startedAt"] = Timestamp.millis(startedAt)
        container["finishedAt"] = Timestamp.millis(finishedAt)
        container["actedBy"] = actedBy
    }
}
