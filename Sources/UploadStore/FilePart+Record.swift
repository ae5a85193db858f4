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

    /// Inserts new parts: one statement per part on SQLite (in-process, prepared once), rows of
    /// up to 500 per statement on PostgreSQL, where each statement is a round trip (a session of
    /// 20,000 parts is 41 statements, not 20,000).
    static func insertRows(_ parts: [FilePart], _ db: any SQLDatabase) throws {
        guard db.dialect == .postgres else {
            for part in parts { try part.insertRow(db) }
            return
        }
        let row = "(" + Array(repeating: "?", count: 16).joined(separator: ", ") + ")"
        for start in stride(from: 0, to: parts.count, by: 500) {
            let chunk = parts[start..<min(start + 500, parts.count)]
            var arguments: [any SQLBindable] = []
            arguments.reserveCapacity(chunk.count * 16)
            for part in chunk {
                arguments += [
                    part.id, part.sessionId, part.groupId, part.partNumber, part.offset, part.size, part.status.rawValue,
                    part.etag, part.checksum, part.attempts, part.error?.code, part.error?.message,
                    Timestamp.millis(part.createdAt), Timestamp.millis(part.updatedAt), Timestamp.millis(part.uploadedAt),
                    part.actedBy,
                ] as [any SQLBindable]
            }
            try db.execute(
                "INSERT INTO file_parts (id, sessionId, groupId, partNumber, \"offset\", size, status, etag, checksum, "
                    + "attempts, errorCode, errorMessage, createdAt, updatedAt, uploadedAt, actedBy) VALUES "
                    + Array(repeating: row, count: chunk.count).joined(separator: ", "),
                arguments)
        }
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
