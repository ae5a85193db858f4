import Foundation
import UploadModel

extension FilePart: SQLRecord {
    /// The `file_parts` table.
    public static var tableName: String { "file_parts" }

    /// Reads a part from a row.
    public init(row: SQLRow) throws {
        try self.init(
            sessionId: row["sessionId"], groupId: row["groupId"], partNumber: row["partNumber"],
            offset: row["offset"], size: row["size"], status: row["status"], etag: row["etag"], checksum: row["checksum"],
            attempts: row["attempts"], error: row.errorDetail(), createdAt: row.date("createdAt"),
            updatedAt: row.date("updatedAt"), uploadedAt: row.date("uploadedAt"), actedBy: row["actedBy"])
    }

    /// A part's columns.
    public var columnValues: [(String, any SQLBindable)] {
        [
            ("id", id), ("sessionId", sessionId), ("groupId", groupId), ("partNumber", partNumber), ("offset", offset),
            ("size", size), ("status", status), ("etag", etag), ("checksum", checksum), ("attempts", attempts),
            ("errorCode", error?.code), ("errorMessage", error?.message), ("createdAt", Timestamp.millis(createdAt)),
            ("updatedAt", Timestamp.millis(updatedAt)), ("uploadedAt", Timestamp.millis(uploadedAt)), ("actedBy", actedBy),
        ]
    }
}

extension FilePart {
    /// Inserts the row through one statement, prepared once (parts are written by the thousand).
    func insertRow(_ db: any SQLDatabase) throws {
        try db.execute("""
            INSERT INTO file_parts (id, sessionId, groupId, partNumber, "offset", size, status, etag, checksum,
              attempts, errorCode, errorMessage, createdAt, updatedAt, uploadedAt, actedBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                id, sessionId, groupId, partNumber, offset, size, status.rawValue, etag, checksum, attempts,
                error?.code, error?.message, Timestamp.millis(createdAt), Timestamp.millis(updatedAt),
                Timestamp.millis(uploadedAt), actedBy,
            ])
    }

    /// Updates the row's mutable columns through one statement, prepared once.
    func updateRow(_ db: any SQLDatabase) throws {
        try db.execute("""
            UPDATE file_parts SET status = ?, etag = ?, checksum = ?, attempts = ?, errorCode = ?, errorMessage = ?,
              updatedAt = ?, uploadedAt = ?, actedBy = ?
            WHERE id = ?
            """, [
                status.rawValue, etag, checksum, attempts, error?.code, error?.message,
                Timestamp.millis(updatedAt), Timestamp.millis(uploadedAt), actedBy, id,
            ])
    }
}
