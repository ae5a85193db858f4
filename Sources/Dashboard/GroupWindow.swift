import Foundation
import UploadModel
import UploadStore

/// The Groups pane's rows: a window of pages read from the database around the selection,
/// kept in order as events change them, with the true number of groups. Memory holds at most
/// `keep` groups whatever the database holds.
final class GroupWindow: TableModel {
    /// Groups read per page.
    static let page = 300
    /// Groups held at most.
    static let keep = 1_200

    let spec = PaneSpec<UploadGroup>.groups
    private let source: DashboardSource
    private(set) var filter: String?
    private(set) var order: SortOrder
    /// The held groups, in order.
    private(set) var list: SortedRows<UploadGroup>
    /// The position of the first held group in the whole ordered list.
    private(set) var offset = 0
    /// Groups matching the filter, in all.
    private(set) var count = 0
    /// Groups in all.
    private(set) var total = 0
    private(set) var selectedId: String?
    /// Set when a group arrived that may be new: the counts are read again soon.
    private(set) var needsCount = false

    /// An empty window over a source; ``reload()`` reads the first page and the counts.
    init(source: DashboardSource) {
        self.source = source
        order = spec.defaultOrder
        list = SortedRows(id: spec.id, ordered: spec.ordering(spec.defaultOrder))
    }

    var pane: Pane { .groups }
    var columns: [Column] { spec.columns }
    var defaultOrder: SortOrder { spec.defaultOrder }
    var selectedIndex: Int? { selectedId.flatMap { list.index(of: $0) }.map { $0 + offset } }
    /// The selected group.
    var selected: UploadGroup? { selectedId.flatMap { list[id: $0] } }
    /// The held groups.
    var held: [UploadGroup] { list.rows }
    /// Whether the held groups reach the end of the list.
    private var reachesEnd: Bool { offset + list.count >= count }

    /// Reads the counts and the page around the selection again (start, filter, reset).
    func reload() throws {
        try recount()
        let at = selectedIndex ?? 0
        try load(around: at)
        if selectedId == nil || !list.contains(selectedId!) { selectedId = list.rows.first?.id }
    }

    /// Reads the counts again.
    func recount() throws {
        needsCount = false
        total = try source.groupCount(search: nil)
        count = filter == nil ? total : try source.groupCount(search: filter)
    }

    /// Reads the pages around position `index`.
    func load(around index: Int) throws {
        let start = max(0, min(index - Self.page, count - 2 * Self.page))
        let limit = 2 * Self.page
        var query = GroupQuery(search: filter, sort: Self.storeSort(order.column), descending: order.descending,
                               offset: start, limit: limit)
        var rows: [UploadGroup]
        if start > count / 2 && count > limit {
            // Near the end, read backwards from the end: SQLite's OFFSET walks every skipped row.
            query.descending.toggle()
            query.offset = max(0, count - start - limit)
            rows = try source.groups(query).reversed()
        } else {
            rows = try source.groups(query)
        }
        list.replaceAll(rows)
        offset = start
        if rows.count < limit { count = max(count, start + rows.count) }
    }

    func cells(at index: Int, dashboard: Dashboard, now: Date) -> [TableCell]? {
        let local = index - offset
        return local >= 0 && local < list.count ? spec.cells(list.rows[local], dashboard, now) : nil
    }

    /// Makes sure positions `range` are held (reads pages when they are not).
    func prepare(_ range: Range<Int>) throws {
        guard !range.isEmpty, count > 0 else { return }
        let wanted = range.clamped(to: 0..<count)
        if wanted.lowerBound < offset || wanted.upperBound > offset + list.count {
            try load(around: wanted.lowerBound)
        }
    }

    func select(index: Int) throws {
        guard count > 0 else { return }
        let target = min(max(0, index), count - 1)
        try prepare(target..<(target + 1))
        let local = min(max(0, target - offset), list.count - 1)
        if local >= 0 { selectedId = list.rows[local].id }
    }

    /// Selects a held group by id.
    func select(id: String?) {
        guard let id, list.contains(id) else { return }
        selectedId = id
    }

    func setFilter(_ text: String?) throws {
        filter = text?.lowercased()
        selectedId = nil
        try recount()
        try load(around: 0)
        selectedId = list.rows.first?.id
    }

    func setOrder(_ order: SortOrder) throws {
        self.order = order
        list.reorder(spec.ordering(order))
        // The selection stays on its group when it is among the first pages of the new order.
        try load(around: 0)
        if let id = selectedId, !list.contains(id) { selectedId = list.rows.first?.id }
    }

    func nextOrder() -> SortOrder { spec.next(after: order) }

    func reloadRows(from source: DashboardSource, now: Date) throws -> Bool { false }

    /// A changed group from the feed: moved to its new place if it belongs among the held
    /// ones, else dropped from them; counts follow (a group that may be new asks for a recount).
    func apply(_ group: UploadGroup) {
        let known = list.contains(group.id)
        let created = !known && group.totalFiles == 0 && group.createdAt == group.updatedAt
        let matches = filter.map { spec.matches(group, $0) } ?? true
        let endBefore = reachesEnd
        if known { list.remove(id: group.id) }
        if created { total += 1 }
        guard matches else {
            if known { count -= 1 }
            return
        }
        if created { count += 1 } else if !known { needsCount = true }
        let at = list.insertionPoint(group)
        if at == 0 && offset > 0 && list.count > 0 {
            if known || created { offset += 1 }
        } else if at == list.count && !endBefore && list.count > 0 {
            // Below the held rows: not shown until the operator scrolls there.
        } else {
            list.upsert(group)
            if selectedId == nil { selectedId = group.id }
        }
        trim()
    }

    /// A deleted group.
    func remove(id: String) {
        if let at = list.remove(id: id) {
            count -= 1
            total -= 1
            if selectedId == id { selectedId = list.rows.isEmpty ? nil : list.rows[min(at, list.count - 1)].id }
        } else {
            needsCount = true
        }
    }

    /// Keeps at most `keep` groups, dropping the end farther from the selection.
    private func trim() {
        guard list.count > Self.keep else { return }
        let local = selectedId.flatMap { list.index(of: $0) } ?? 0
        if local < list.count / 2 {
            list.trim(to: Self.keep, keeping: selectedId, fromFront: false)
        } else {
            let before = list.count
            list.trim(to: Self.keep, keeping: selectedId, fromFront: true)
            offset += before - list.count
        }
    }

    /// The store's order for a sort name: the pane's sorts are named as the store's orders, except
    /// `activity`, which (like any other name) is the store's standard order, last activity.
    static func storeSort(_ name: String) -> GroupSort {
        GroupSort(rawValue: name) ?? GroupSort.kind.standard
    }
}
