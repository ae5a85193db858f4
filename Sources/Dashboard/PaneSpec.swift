import Foundation

/// What one table pane declares: its columns and the cells of a row, the orders it offers,
/// what its filter matches, and a row's id. The dashboard's generic table code does the rest
/// (keeping the order as rows change, selection, scrolling, drawing).
struct PaneSpec<Row> {
    /// One order a pane offers.
    struct Sort {
        /// The name shown and cycled through with `s`.
        let name: String
        /// Largest or newest first unless reversed.
        let descending: Bool
        /// The value rows are ordered by (ties go by id).
        let key: (Row) -> SortValue
    }

    /// The pane.
    let pane: Pane
    /// Its columns, left to right.
    let columns: [Column]
    /// Its orders, the default first.
    let sorts: [Sort]
    /// A row's id.
    let id: (Row) -> String
    /// Whether a row matches a filter text (already lowercased).
    let matches: (Row, String) -> Bool
    /// A row's cells, one per column.
    let cells: (Row, Dashboard, Date) -> [TableCell]
    /// Where the pane reads its rows itself, when it is not fed by the selection above it: read
    /// when the pane comes on screen and when the dashboard reloads.
    var rows: ((DashboardSource, Date) throws -> [Row])? = nil

    /// The pane's default order.
    var defaultOrder: SortOrder { SortOrder(column: sorts[0].name, descending: sorts[0].descending) }

    /// The order after `order` when `s` is pressed.
    func next(after order: SortOrder) -> SortOrder {
        let index = ((sorts.firstIndex { $0.name == order.column } ?? 0) + 1) % sorts.count
        return SortOrder(column: sorts[index].name, descending: sorts[index].descending)
    }

    /// The strict total order for `order`: by the sort's value, then by id, both reversed when
    /// descending (the same as SQL's `ORDER BY value DESC, id DESC`).
    func ordering(_ order: SortOrder) -> (Row, Row) -> Bool {
        let key = (sorts.first { $0.name == order.column } ?? sorts[0]).key
        let id = self.id
        let descending = order.descending
        return { a, b in
            let (x, y) = (key(a), key(b))
            let ascending = x != y ? x < y : id(a) < id(b)
            return descending ? (x != y ? y < x : id(b) < id(a)) : ascending
        }
    }
}
