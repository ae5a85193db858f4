import Foundation
import UploadModel

extension UploadEvent: SQLRecord {
    /// The `events` table.
    public static var tableName: String { "events" }

    /// Reads an event from a row.
    public init(row: SQLRow) throws {
        self.init(
            id: try row["id"], kind: try row["kind"], entityId: try row["entityId"], groupId: try row["groupId"],
            userId: try row["userId"], deleted: try row["deleted"], data: try row["data"],
            createdAt: try row.date("createdAt"))
    }

    /// An event's columns (the id is the engine's, see ``SQLDatabase/appendEvents(_:)``).
    public var columnValues: [(String, any SQLBindable)] {
        [
            ("id", id), ("kind", kind), ("entityId", entityId), ("groupId", groupId), ("userId", userId),
            ("deleted", deleted), ("data", data), ("createdAt", Timestamp.millis(createdAt)),
        ]
    }
}
