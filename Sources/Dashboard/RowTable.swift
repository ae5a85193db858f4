import Foundation

/// A pane whose rows are all in memory (a file's parts, a group's files): every row kept by id,
/// those matching the filter kept in order incrementally.
final class RowTable<Row>: TableModel {
    let spec: PaneSpec<Row>
    /// Every row, matching the filter or not.
    private(set) var all: [String: Row] = [:]
    /// The rows matching the filter, in order.
    private(set) var list: SortedRows<Row>
    private(set) var filter: String?
    private(set) var order: SortOrder
    private(set) var selectedId: String?
    /// Rows that exist beyond those held (a group with more files than are listed).
    var unlisted = 0

    /// An empty table.
    init(spec: PaneSpec<Row>) {
        self.spec = spec
        order = spec.defaultOrder
        list = SortedRows(id: spec.id, ordered: spec.ordering(spec.defaultOrder))
    }

    var pane: Pane { spec.pane }
    var columns: [Column] { spec.columns }
    var count: Int { list.count }
    var total: Int { all.count + unlisted }
    var defaultOrder: SortOrder { spec.defaultOrder }
    var selectedIndex: Int? { selectedId.flatMap { list.index(of: $0) } }
    /// The selected row.
    var selected: Row? { selectedId.flatMap { list[id: $0] } }
    /// The rows in order.
    var rows: [Row] { list.rows }

    /// Replaces every row; keeps the selection when its row is still there, else the first row.
    func replaceAll(_ rows: [Row]) {
        all = Dictionary(rows.map { (spec.id($0), $0) }, uniquingKeysWith: { a, _ in a })
        list.replaceAll(filter.map { text in rows.filter { spec.matches($0, text) } } ?? rows)
        if selectedId == nil || !list.contains(selectedId!) { selectedId = list.rows.first.map(spec.id) }
    }

    /// Adds or updates one row in place.
    func upsert(_ row: Row) {
        let rowId = spec.id(row)
        all[rowId] = row
        if filter.map({ spec.matches(row, $0) }) ?? true {
            list.upsert(row)
            if selectedId == nil { selectedId = rowId }
        } else {
            list.remove(id: rowId)
        }
    }

    /// Removes one row; a removed selection moves to the row now in its place.
    func remove(id rowId: String) {
        all[rowId] = nil
        guard let at = list.remove(id: rowId) else { return }
        if selectedId == rowId {
            selectedId = list.rows.isEmpty ? nil : spec.id(list.rows[min(at, list.count - 1)])
        }
    }

    /// The row with an id, if held.
    func row(id rowId: String) -> Row? { all[rowId] }

    func cells(at index: Int, dashboard: Dashboard, now: Date) -> [TableCell]? {
        index >= 0 && index < list.count ? spec.cells(list.rows[index], dashboard, now) : nil
    }

    func prepare(_ range: Range<Int>) {}

    func select(index: Int) {
        guard list.count > 0 else { return }
        selectedId = spec.id(list.rows[min(max(0, index), list.count - 1)])
    }

    /// Selects a row by id (when held).
    func select(id rowId: String?) {
        guard let rowId, list.contains(rowId) else { return }
        selectedId = rowId
    }

    func setFilter(_ text: String?) {
        filter = text?.lowercased()
        let rows = Array(all.values)
        list.replaceAll(filter.map { text in rows.filter { spec.matches($0, text) } } ?? rows)
        selectedId = list.rows.first.map(spec.id)
    }

    func setOrder(_ order: SortOrder) {
        self.order = order
        list.reorder(spec.ordering(order))
    }

    func nextOrder() -> SortOrder { spec.next(after: order) }

    func reloadRows(from source: DashboardSource, now: Date) throws -> Bool {
        guard let read = spec.rows else { return false }
        let selected = selectedId
        replaceAll(try read(source, now))
        select(id: selected)
        return true
    }
}
