import UploadModel

/// A page of groups: which ones (status, owner, text), in what order, and which slice.
public struct GroupQuery: Sendable, Hashable {
    /// Only groups with one of these statuses (all when empty).
    public var statuses: Set<GroupStatus>
    /// Only groups of this user (all when nil).
    public var userId: String?
    /// Only groups whose name or id contains this text, case-insensitively.
    public var search: String?
    /// The order.
    public var sort: GroupSort
    /// Whether the order is reversed (largest / newest first).
    public var descending: Bool
    /// How many rows to skip.
    public var offset: Int
    /// How many rows at most.
    public var limit: Int

    /// Creates a query; by default the 100 most recently active groups.
    public init(
        statuses: Set<GroupStatus> = [], userId: String? = nil, search: String? = nil,
        sort: GroupSort = .lastActivity, descending: Bool = true, offset: Int = 0, limit: Int = 100
    ) {
        self.statuses = statuses
        self.userId = userId
        self.search = search
        self.sort = sort
        self.descending = descending
        self.offset = offset
        self.limit = limit
    }
}
