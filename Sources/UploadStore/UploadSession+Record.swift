import UploadModel

extension UploadSession: SQLRecord {
    /// The `upload_sessions` table.
    public static var tableName: String { "upload_sessions" }

    /// Reads a session from a row.
    public init(row: SQLRow) throws {
        try self.init(
            id: row["id"], groupId: row["groupId"], userId: row["userId"], fileName: row["fileName"],
            contentType: row["contentType"], size: row["size"], sha256: row["sha256"],
            checksum: Self.checksum(algorithm: row["checksumAlgorithm"], value: row["checksumValue"]),
            receivedSHA256: row["receivedSHA256"], fingerprint: row["fingerprint"],
            objectKey: row["objectKey"], uploadId: row["uploadId"], method: row["method"],
            partSize: row["partSize"], totalParts: row["totalParts"],
            completedParts: row["completedParts"], bytesUploaded: row["bytesUploaded"],
            status: row["status"], error: row.errorDetail(), attempts: row["attempts"],
            createdAt: row.date("createdAt"), updatedAt: row.date("updatedAt"), uploadedAt: row.date("uploadedAt"),
            completedAt: row.date("completedAt"), lastActivityAt: row.date("lastActivityAt"),
            actedBy: row["actedBy"])
    }

    /// A session's columns.
    public var columnValues: [(String, any SQLBindable)] {
        [
            ("id", id), ("groupId", groupId), ("userId", userId), ("fileName", fileName), ("contentType", contentType),
            ("size", size), ("sha256", sha256), ("checksumAlgorithm", checksum?.algorithm),
            ("checksumValue", checksum?.value), ("receivedSHA256", receivedSHA256), ("fingerprint", fingerprint),
            ("objectKey", objectKey), ("uploadId", uploadId), ("method", method), ("partSize", partSize),
            ("totalParts", totalParts), ("completedParts", completedParts), ("bytesUploaded", bytesUploaded),
            ("status", status), ("errorCode", error?.code), ("errorMessage", error?.message), ("attempts", attempts),
            ("createdAt", Timestamp.millis(createdAt)), ("updatedAt", Timestamp.millis(updatedAt)),
            ("uploadedAt", Timestamp.millis(uploadedAt)), ("completedAt", Timestamp.millis(completedAt)),
            ("lastActivityAt", Timestamp.millis(lastActivityAt)), ("actedBy", actedBy),
        ]
    }

    private static func checksum(algorithm: String?, value: String?) -> ObjectChecksum? {
        guard let algorithm, let value else { return nil }
        return ObjectChecksum(algorithm: algorithm, value: value)
    }
}
