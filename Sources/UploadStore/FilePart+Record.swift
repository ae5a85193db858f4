import Foundation
import GRDB
import UploadModel

extension FilePart: FetchableRecord, PersistableRecord {
    /// The `file_parts` table.
    public static var databaseTableName: String { "file_parts" }

    /// Reads a part from a row.
    public init(row: Row) throws {
        self.init(
            sessionId: row["sessionId"], groupId: row["groupId"], partNumber: row["partNumber"],
            offset: row["offset"], size: row["size"], status: row["status"], etag: row["etag"], checksum: row["checksum"],
            attempts: row["attempts"], error: ErrorDetail.from(row), createdAt: row.date("createdAt"),
            updatedAt: row.date("updatedAt"), uploadedAt: row.date("uploadedAt"), actedBy: row["actedBy"])
    }

    /// Writes a part's columns.
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["sessionId"] = sessionId
        container["groupId"] = groupId
        container["partNumber"] = partNumber
        container["offset"] = offset
        container["size"] = size
        container["status"] = status
        container["etag"] = etag
        container["checksum"] = checksum
        container["attempts"] = attempts
        container.setError(error)
        container["createdAt"] = Timestamp.millis(createdAt)
        container["updatedAt"] = Timestamp.millis(updatedAt)
        container["uploadedAt"] = Timestamp.millis(uploadedAt)
        container["actedBy"] = actedBy
    }
}

extension FilePart {
    /// Inserts the row through one cached statement (parts are written by the thousand).
    func insertRow(_ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO file_parts (id, sessionId, groupId, partNumber, offset, size, status, etag, checksum,
              attempts, errorCode, errorMessage, createdAt, updatedAt, uploadedAt, actedBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                id, sessionId, groupId, partNumber, offset, size, status.rawValue, etag, checksum, attempts,
                error?.code, error?.message, Timestamp.millis(createdAt), Timestamp.millis(updatedAt),
                Timestamp.millis(uploadedAt), actedBy,
            ])
    }

    /// Updates the row's mutable columns through one cached statement.
    func updateRow(_ db: Database) throws {
        try db.cachedStatement(sql: """
            UPDATE file_parts SET status = ?, etag = ?, checksum = ?, attempts = ?, errorCode = ?, errorMessage = ?,
              updatedAt = ?, uploadedAt = ?, actedBy = ?
            WHERE id = ?
            """).execute(arguments: [
                status.rawValue, etag, checksum, attempts, error?.code, error?.message,
                Timestamp.millis(updatedAt), Timestamp.millis(uploadedAt), actedBy, id,
            ])
    }
}
