import Foundation

/// One row of the durable event log, and one SSE message: `id:`, `event:` and `data:`.
public struct UploadEvent: Codable, Sendable, Hashable, Identifiable {
    /// The event-log id, increasing with every committed change (0 before it is stored).
    public var id: Int64
    /// The SSE event name.
    public var kind: EventKind
    /// The changed entity's id.
    public var entityId: String
    /// The group the change belongs to (for `?groupId=` filters).
    public var groupId: String
    /// The owner of the group (for user scoping).
    public var userId: String
    /// Whether the entity was deleted.
    public var deleted: Bool
    /// The entity's JSON after the change.
    public var data: String
    /// When the change was committed.
    public var createdAt: Date

    /// Creates an event.
    public init(
        id: Int64 = 0, kind: EventKind, entityId: String, groupId: String, userId: String,
        deleted: Bool = false, data: String, createdAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.entityId = entityId
        self.groupId = groupId
        self.userId = userId
        self.deleted = deleted
        self.data = data
        self.createdAt = createdAt
    }

    /// The event that records `change`, owned by `userId`, at `time` (its id is set when stored).
    public init(change: EntityChange, userId: String, at time: Date) throws {
        var deleted = false
        if case .deleted = change { deleted = true }
        self.init(
            kind: EventKind(change.entityKind), entityId: change.entityId, groupId: change.groupId,
            userId: userId, deleted: deleted, data: try change.json(), createdAt: time)
    }

    /// The `reset` event: the client asked for events the log cannot give (trimmed away, or an id it
    /// never issued; see ``ReplayStart``) and must reload. Its `id:` is the latest id, which the
    /// client sends back from then on; its data is `{"latestId","oldestId","reason"}`.
    public static func reset(
        latestId: Int64, oldestId: Int64, reason: ReplayStart.Reason = .replayWindowExceeded, at time: Date
    ) -> UploadEvent {
        UploadEvent(
            id: latestId, kind: .reset, entityId: "", groupId: "", userId: "",
            data: "{\"latestId\":\(latestId),\"oldestId\":\(oldestId),\"reason\":\"\(reason.rawValue)\"}",
            createdAt: time)
    }

    /// The typed change this event carries.
    public func change() throws -> EntityChange {
        try EntityChange.decode(kind: kind, json: data)
    }

    /// The event as one Server-Sent Events message.
    public var sseFrame: String {
        var frame = "id: \(id)\nevent: \(kind.rawValue)\n"
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
            frame += "data: \(line)\n"
        }
        return frame + "\n"
    }
}
