/// A pane's sort: which column and which way.
public struct SortOrder: Sendable, Hashable {
    /// The column's name, one of the pane's sortable columns.
    public var column: String
    /// Largest / newest first.
    public var descending: Bool

    /// Creates an order.
    public init(column: String, descending: Bool) {
        self.column = column
        self.descending = descending
    }

    /// The columns each pane sorts by, the default first.
    public static func columns(of pane: Pane) -> [String] {
        switch pane {
        case .groups: ["activity", "name", "status", "progress", "size", "errors", "created"]
        case .files: ["created", "name", "status", "progress", "size", "activity"]
        case .parts: ["number", "status", "attempts"]
        case .jobs: ["order", "status", "kind"]
        }
    }

    /// A pane's default order.
    public static func defaultOrder(of pane: Pane) -> SortOrder {
        SortOrder(column: columns(of: pane)[0], descending: pane == .groups)
    }

    /// The order with the pane's next column (default direction for it).
    public func next(in pane: Pane) -> SortOrder {
        let all = Self.columns(of: pane)
        let index = ((all.firstIndex(of: column) ?? 0) + 1) % all.count
        let name = all[index]
        return SortOrder(column: name, descending: ["activity", "progress", "size", "errors", "attempts", "created"].contains(name) && pane == .groups)
    }

    /// `name↑` / `activity↓`.
    public var label: String { column + (descending ? "↓" : "↑") }
}
