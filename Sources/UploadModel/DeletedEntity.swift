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

    /// Creates a deletion record.
    public init(kind: EntityKind, id: String, groupId: String) {
        self.kind = kind
        self.id = id
        self.groupId = groupId
        self.deleted = true
    }
}
