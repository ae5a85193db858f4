import UploadModel

/// The orders of one kind of list (groups, a group's files): what a ``ListQuery`` sorts by. Its
/// ``kind`` says where the rows live and what the list looks like when the query says nothing more.
public protocol ListSort: RawRepresentable<String>, CaseIterable, Hashable, Sendable {
    /// The status type of the listed rows, for the status filter.
    associatedtype Status: RawRepresentable<String> & Hashable & Sendable
    /// The kind of list these orders sort.
    static var kind: ListKind<Self, Status> { get }
}

/// One kind of list: its table, the column naming a row's group, its search condition, and its
/// standard order and page size.
public struct ListKind<Sort: Sendable, Status: Sendable>: Sendable {
    /// The table the rows live in.
    let table: String
    /// The column holding a row's group id.
    let groupColumn: String
    /// The columns searched: a row matches when one of them contains the text (the first ones
    /// without regard to case, ids as written).
    let searchColumns: [String]
    /// Of ``searchColumns``, those compared as written (ids).
    let exactColumns: Set<String>
    /// The order when the query names none.
    public let standard: Sort
    /// Whether the list runs backwards when the query does not say.
    public let descending: Bool
    /// How many rows a page holds when the query does not say.
    public let limit: Int
}

extension GroupSort: ListSort, SortSQL {
    /// Groups: by default the 100 most recently active.
    public static let kind = ListKind<GroupSort, GroupStatus>(
        table: "upload_groups", groupColumn: "id", searchColumns: ["name", "id"], exactColumns: ["id"],
        standard: .lastActivity, descending: true, limit: 100)
}

extension SessionSort: ListSort, SortSQL {
    /// A group's files: by default the first 500 in creation order.
    public static let kind = ListKind<SessionSort, FileStatus>(
        table: "upload_sessions", groupColumn: "groupId", searchColumns: ["fileName"], exactColumns: [],
        standard: .created, descending: false, limit: 500)
}

/// An order the store can put in SQL.
protocol SortSQL {
    /// The SQL ordering term (ascending) in `dialect`.
    func sql(_ dialect: SQLDialect) -> String
}

extension ListKind {
    /// The search condition in `dialect` (every `?` is bound to the search text) and how many
    /// placeholders it has.
    func search(_ dialect: SQLDialect) -> (sql: String, placeholders: Int) {
        let terms = searchColumns.map { column in
            exactColumns.contains(column) ? dialect.contains(column, "?") : dialect.contains("lower(\(column))", "lower(?)")
        }
        return ("(" + terms.joined(separator: " OR ") + ")", terms.count)
    }
}
