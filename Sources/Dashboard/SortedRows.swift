/// Rows kept in a pane's order as they change, one at a time: an update is a binary-search
/// removal and a binary-search insertion (O(log n) comparisons and one move), never a full
/// re-sort. The order must be total (ties broken by id) so that a row's place is unique.
struct SortedRows<Row> {
    /// The rows, in order.
    private(set) var rows: [Row] = []
    /// Each row by id, as it is placed in `rows` (its old sort key finds it again).
    private(set) var byId: [String: Row] = [:]
    /// The id of a row.
    let id: (Row) -> String
    /// Whether the first row sorts before the second.
    var ordered: (Row, Row) -> Bool

    /// An empty list with an order.
    init(id: @escaping (Row) -> String, ordered: @escaping (Row, Row) -> Bool) {
        self.id = id
        self.ordered = ordered
    }

    /// How many rows there are.
    var count: Int { rows.count }

    /// Replaces every row (one sort).
    mutating func replaceAll(_ new: [Row]) {
        byId = Dictionary(new.map { (id($0), $0) }, uniquingKeysWith: { a, _ in a })
        rows = Array(byId.values)
        rows.sort(by: ordered)
    }

    /// Sorts again with a new order.
    mutating func reorder(_ order: @escaping (Row, Row) -> Bool) {
        ordered = order
        rows.sort(by: ordered)
    }

    /// The position of the row with `id`, if held.
    func index(of rowId: String) -> Int? {
        guard let row = byId[rowId] else { return nil }
        let at = insertionPoint(row)
        if at < rows.count, id(rows[at]) == rowId { return at }
        return rows.firstIndex { id($0) == rowId }
    }

    /// Whether a row with `id` is held.
    func contains(_ rowId: String) -> Bool { byId[rowId] != nil }

    /// The row with `id`, if held.
    subscript(id rowId: String) -> Row? { byId[rowId] }

    /// Adds a row or replaces the one with its id; returns its new position.
    @discardableResult
    mutating func upsert(_ row: Row) -> Int {
        remove(id: id(row))
        let at = insertionPoint(row)
        rows.insert(row, at: at)
        byId[id(row)] = row
        return at
    }

    /// Removes the row with `id`; returns where it was.
    @discardableResult
    mutating func remove(id rowId: String) -> Int? {
        guard let at = index(of: rowId) else { return nil }
        rows.remove(at: at)
        byId[rowId] = nil
        return at
    }

    /// Drops rows from the front or back until `limit` remain, keeping the row with `keep`.
    mutating func trim(to limit: Int, keeping keep: String?, fromFront: Bool) {
        while rows.count > limit {
            let at = fromFront ? 0 : rows.count - 1
            if let keep, id(rows[at]) == keep { break }
            byId[id(rows[at])] = nil
            rows.remove(at: at)
        }
    }

    /// Where `row` goes: the first position whose row does not sort before it.
    func insertionPoint(_ row: Row) -> Int {
        var low = 0
        var high = rows.count
        while low < high {
            let mid = (low + high) / 2
            if ordered(rows[mid], row) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
