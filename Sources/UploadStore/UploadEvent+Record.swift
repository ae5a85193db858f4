import Foundation
import GRDB
import UploadModel

extension UploadEvent: FetchableRecord, MutablePersistableRecord {
    /// The `events` table.
    public static var databaseTableName: String { "events" }

    /// Reads an event from a row.
    public init(row: Row) throws {
        self.init(
            id: row["id"], kind: row["kind"], entityId: row["entityId"], groupId: row["groupId"],
            userId: row["userId"], deleted: row["deleted"], data: row["data"],
            createdAt: row.date("createdAt"))
    }

    /// Writes an event's columns; the id is left to SQLite.
    public func encode(to container: inout PersistenceContainer) throws {
        if id > 0 { container["id"] = id }
        container["kind"] = kind
        container["entityId"] = entityId
        container["groupId"] = groupId
        container["userId"] = userId
        container["deleted"] = deleted
        container["data"] = data
        container["createdAt"] = Timestamp.millis(createdAt)
    }

    /// Takes the id SQLite assigned.
    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension UploadEvent {
    /// Appends the event through one cached statement and takes the id SQLite assigned.
    mutating func appendRow(_ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO events (kind, entityId, groupId, userId, deleted, data, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                kind.rawValue, entityId, groupId, userId, deleted, data, Timestamp.millis(createdAt),
            ])
        id = db.lastInsertedRowID
    }
}
