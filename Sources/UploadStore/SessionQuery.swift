import UploadModel

/// A page of one group's files: which ones, in what order, and which slice.
public struct SessionQuery: Sendable, Hashable {
    /// The group whose sessions are listed.
    public var groupId: String
    /// Only sessions with one of these statuses (all when empty).
    public var statuses: Set<FileStatus>
    /// Only files whose name contains this text, case-insensitively.
    public var search: String?
    /// The order.
    public var sort: SessionSort
    /// Whether the order is reversed.
    public var descending: Bool
    /// How many rows to skip.
    public var offset: Int
    /// How many rows at most.
    public var limit: Int

    /// Creates a query; by default the group's first 500 files in creation order.
    public init(
        groupId: String, statuses: Set<FileStatus> = [], search: String? = nil,
        sort: SessionSort = .created, descending: Bool = false, offset: Int = 0, limit: Int = 500
    ) {
        self.groupId = groupId
        self.statuses = statuses
        self.search = search
        self.sort = sort
        self.descending = descending
        self.offset = offset
        self.limit = limit
    }
}
