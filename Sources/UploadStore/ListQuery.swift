import UploadModel

/// A page of a sorted, filtered list (groups, or a group's files): which rows (status, owner,
/// group, text), in what order, and which slice. The listed kind is named by its order type.
public struct ListQuery<Sort: ListSort>: Sendable, Hashable {
    /// Only rows of this group (a group's files); nil for every group, and for lists of groups.
    public var groupId: String?
    /// Only rows with one of these statuses (all when empty).
    public var statuses: Set<Sort.Status>
    /// Only rows of this user (all when nil).
    public var userId: String?
    /// Only rows whose name (a group's also its id) contains this text, case-insensitively.
    public var search: String?
    /// The order.
    public var sort: Sort
    /// Whether the order is reversed (largest / newest first).
    public var descending: Bool
    /// How many rows to skip.
    public var offset: Int
    /// How many rows at most.
    public var limit: Int

    /// Creates a query; by default the first page in the kind's standard order (``ListSort/kind``:
    /// the 100 most recently active groups; a group's first 500 files in creation order).
    public init(
        groupId: String? = nil, statuses: Set<Sort.Status> = [], userId: String? = nil, search: String? = nil,
        sort: Sort = Sort.kind.standard, descending: Bool = Sort.kind.descending, offset: Int = 0, limit: Int = Sort.kind.limit
    ) {
        self.groupId = groupId
        self.statuses = statuses
        self.userId = userId
        self.search = search
        self.sort = sort
        self.descending = descending
        self.offset = offset
        self.limit = limit
    }
}

/// A page of groups.
public typealias GroupQuery = ListQuery<GroupSort>
/// A page of files (sessions), usually of one group.
public typealias SessionQuery = ListQuery<SessionSort>
