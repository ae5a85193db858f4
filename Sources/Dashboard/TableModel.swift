import Foundation

/// A pane's rows as the drawing and key code see them, whatever holds them (memory, or pages
/// of the database): how many, the selection, one row's cells, the filter and the order.
protocol TableModel: AnyObject {
    /// The pane.
    var pane: Pane { get }
    /// Its columns.
    var columns: [Column] { get }
    /// Rows after the filter (the true count, also of rows not loaded).
    var count: Int { get }
    /// Rows before the filter.
    var total: Int { get }
    /// The selected row's position, when it is loaded.
    var selectedIndex: Int? { get }
    /// The selected row's id.
    var selectedId: String? { get }
    /// The cells of the row at a position, nil when it is not loaded.
    func cells(at index: Int, dashboard: Dashboard, now: Date) -> [TableCell]?
    /// Makes sure the rows at `range` can be drawn (a paged table reads them).
    func prepare(_ range: Range<Int>) throws
    /// Selects the row at a position (clamped), loading it if needed.
    func select(index: Int) throws
    /// The filter text, if any.
    var filter: String? { get }
    /// Applies a filter (nil clears it) and selects the first match.
    func setFilter(_ text: String?) throws
    /// The order.
    var order: SortOrder { get }
    /// The pane's default order.
    var defaultOrder: SortOrder { get }
    /// Orders the rows anew (the selection stays on its row).
    func setOrder(_ order: SortOrder) throws
    /// The order `s` moves to.
    func nextOrder() -> SortOrder
    /// Reads the rows again from the pane's own row source, keeping the selection; false when
    /// the pane has none (its rows come from the selection above it).
    func reloadRows(from source: DashboardSource, now: Date) throws -> Bool
}
