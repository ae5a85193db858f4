import GRDB
import UploadModel

extension UploadSession: FetchableRecord, PersistableRecord {
    /// The `upload_sessions` table.
    public static var databaseTableName: String { "upload_sessions" }

    /// Reads a session from a row.
    public init(row: Row) throws {
        self.init(
            id: row["id"], groupId: row["groupId"], userId: row["userId"], fileName: row["fileName"],
            contentType: row["contentType"], size: row["size"], sha256: row["sha256"],
            checksum: Self.checksum(algorithm: row["checksumAlgorithm"], value: row["checksumValue"]),
            receivedSHA256: row["receivedSHA256"], fingerprint: row["fingerprint"],
            objectKey: row["objectKey"], uploadId: row["uploadId"], method: row["method"],
            partSize: row["partSize"], totalParts: row["totalParts"],
            completedParts: row["completedParts"], bytesUploaded: row["bytesUploaded"],
            status: row["status"], error: ErrorDetail.from(row), attempts: row["attempts"],
            createdAt: row.date("createdAt"), updatedAt: row.date("updatedAt"), uploadedAt: row.date("uploadedAt"),
            completedAt: row.date("completedAt"), lastActivityAt: row.date("lastActivityAt"),
            actedBy: row["actedBy"])
    }

    /// Writes a session's columns.
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["groupId"] = groupId
        container["userId"] = userId
        container["fileName"] = fileName
        container["contentType"] = contentType
        container["size"] = size
        container["sha256"] = sha256
        container["checksumAlgorithm"] = checksum?.algorithm
        container["checksumValue"] = checksum?.value
        container["receivedSHA256"] = receivedSHA256
        container["fingerprint"] = fingerprint
        container["objectKey"] = objectKey
        container["uploadId"] = uploadId
        container["method"] = method
        container["partSize"] = partSize
        container["totalParts"] = totalParts
        container["completedParts"] = completedParts
        container["bytesUploaded"] = bytesUploaded
        container["status"] = status
        container.setError(error)
        container["attempts"] = attempts
        container["createdAt"] = Timestamp.millis(createdAt)
        container["updatedAt"] = Timestamp.millis(updatedAt)
        container["uploadedAt"] = Timestamp.millis(uploadedAt)
        container["completedAt"] = Timestamp.millis(completedAt)
        container["lastActivityAt"] = Timestamp.millis(lastActivityAt)
        container["actedBy"] = actedBy
    }

    private static func checksum(algorithm: String?, value: String?) -> ObjectChecksum? {
        guard let algorithm, let value else { return nil }
        return ObjectChecksum(algorithm: algorithm, value: value)
    }
}
