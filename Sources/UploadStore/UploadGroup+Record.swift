import UploadModel

extension UploadGroup: SQLRecord {
    /// The `upload_groups` table.
    public static var tableName: String { "upload_groups" }

    /// Reads a group from a row.
    public init(row: SQLRow) throws {
        try self.init(
            id: row["id"], userId: row["userId"], name: row["name"], description: row["description"],
            status: row["status"], totalFiles: row["totalFiles"], completedFiles: row["completedFiles"],
            failedFiles: row["failedFiles"], totalBytes: row["totalBytes"],
            bytesUploaded: row["bytesUploaded"], expectedFiles: row["expectedFiles"],
            expectedBytes: row["expectedBytes"], error: row.errorDetail(),
            createdAt: row.date("createdAt"), updatedAt: row.date("updatedAt"),
            lastActivityAt: row.date("lastActivityAt"), actedBy: row["actedBy"])
    }

    /// A group's columns.
    public var columnValues: [(String, any SQLBindable)] {
        [
            ("id", id), ("userId", userId), ("name", name), ("description", description), ("status", status),
            ("totalFiles", totalFiles), ("completedFiles", completedFiles), ("failedFiles", failedFiles),
            ("totalBytes", totalBytes), ("bytesUploaded", bytesUploaded), ("expectedFiles", expectedFiles),
            ("expectedBytes", expectedBytes), ("errorCode", error?.code), ("errorMessage", error?.message),
            ("createdAt", Timestamp.millis(createdAt)), ("updatedAt", Timestamp.millis(updatedAt)),
            ("lastActivityAt", Timestamp.millis(lastActivityAt)), ("actedBy", actedBy),
        ]
    }
}
