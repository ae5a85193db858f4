/// What an event says of an entity that was deleted: its kind, id and group, and `deleted: true`.
public struct DeletedEntity: Codable, Sendable, Hashable {
    /// The deleted entity's kind.
    public var kind: EntityKind
    /// Its id.
    public var id: String
    /// Its group (the group's own id for a group).
    public var groupId: String
    /// Always true; lets a client tell a deletion from a change by the JSON alone.
    public var deleted: Bool
    /// Who deleted it: a user, `admin:NAME`, or `system` (nil in events written before it was recorded).
    public var actedBy: String?

    /// Creates a deletion record.
    public init(kind: EntityKind, id: String, groupId: String, actedBy: String? = nil) {
        self.kind = kind
        self.id = id
        self.groupId = groupId
        self.deleted = true
        self.actedBy = actedBy
    }
}
