import UploadModel

extension ProcessingJob: SQLRecord {
    /// The `processing_jobs` table.
    public static var tableName: String { "processing_jobs" }

    /// Reads a job from a row.
    public init(row: SQLRow) throws {
        try self.init(
            id: row["id"], sessionId: row["sessionId"], groupId: row["groupId"], kind: row["kind"],
            position: row["position"], status: row["status"], attempts: row["attempts"],
            maxAttempts: row["maxAttempts"], output: row["output"], error: row.errorDetail(),
            createdAt: row.date("createdAt"), updatedAt: row.date("updatedAt"), runAfter: row.date("runAfter"),
            startedAt: row.date("startedAt"), finishedAt: row.date("finishedAt"), actedBy: row["actedBy"])
    }

    /// A job's columns.
    public var columnValues: [(String, any SQLBindable)] {
        [
            ("id", id), ("sessionId", sessionId), ("groupId", groupId), ("kind", kind), ("position", position),
            ("status", status), ("attempts", attempts), ("maxAttempts", maxAttempts), ("output", output),
            ("errorCode", error?.code), ("errorMessage", error?.message), ("createdAt", Timestamp.millis(createdAt)),
            ("updatedAt", Timestamp.millis(updatedAt)), ("runAfter", Timestamp.millis(runAfter)),
            ("startedAt", Timestamp.millis(startedAt)), ("finishedAt", Timestamp.millis(finishedAt)), ("actedBy", actedBy),
        ]
    }
}
