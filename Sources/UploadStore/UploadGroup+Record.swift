import GRDB
import UploadModel

extension UploadGroup: FetchableRecord, PersistableRecord {
    /// The `upload_groups` table.
    public static var databaseTableName: String { "upload_groups" }

    /// Reads a group from a row.
    public init(row: Row) throws {
        self.init(
            id: row["id"], userId: row["userId"], name: row["name"], description: row["description"],
            status: row["status"], totalFiles: row["totalFiles"], completedFiles: row["completedFiles"],
            failedFiles: row["failedFiles"], totalBytes: row["totalBytes"],
            bytesUploaded: row["bytesUploaded"], expectedFiles: row["expectedFiles"],
            expectedBytes: row["expectedBytes"], error: ErrorDetail.from(row),
            createdAt: row.date("createdAt"), updatedAt: row.date("updatedAt"),
            lastActivityAt: row.date("lastActivityAt"), actedBy: row["actedBy"])
    }

    /// Writes a group's columns.
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["userId"] = userId
        container["name"] = name
        container["description"] = description
        container["status"] = status
        container["totalFiles"] = totalFiles
        container["completedFiles"] = completedFiles
        container["failedFiles"] = failedFiles
        container["totalBytes"] = totalBytes
        container["bytesUploaded"] = bytesUploaded
        container["expectedFiles"] = expectedFiles
        container["expectedBytes"] = expectedBytes
        container.setError(error)
        container["createdAt"] = Timestamp.millis(createdAt)
        container["updatedAt"] = Timestamp.millis(updatedAt)
        container["lastActivityAt"] = Timestamp.millis(lastActivityAt)
        container["actedBy"] = actedBy
    }
}
