/// A table column: its heading, width, alignment, and how early it is dropped when the pane
/// is narrow.
public struct Column: Sendable, Hashable {
    /// The heading.
    public var title: String
    /// Columns it takes (the least, for the flexible column).
    public var width: Int
    /// Right-aligned (numbers).
    public var alignRight: Bool
    /// Whether it takes the width left over.
    public var flexible: Bool
    /// Higher stays longer when space runs out.
    public var priority: Int

    /// Creates a column.
    public init(_ title: String, width: Int, alignRight: Bool = false, flexible: Bool = false, priority: Int = 5) {
        self.title = title
        self.width = width
        self.alignRight = alignRight
        self.flexible = flexible
        self.priority = priority
    }

    /// The columns that fit in `width` (one space between them), with their x offsets and
    /// final widths; the flexible ones share what is left.
    public static func layout(_ columns: [Column], width: Int) -> [(index: Int, x: Int, width: Int)] {
        var kept = Array(columns.indices)
        func needed(_ set: [Int]) -> Int { set.reduce(0) { $0 + columns[$1].width } + max(0, set.count - 1) }
        while needed(kept) > width, kept.count > 1 {
            let drop = kept.filter { !columns[$0].flexible }.min { columns[$0].priority < columns[$1].priority }
                ?? kept.min { columns[$0].priority < columns[$1].priority }!
            kept.removeAll { $0 == drop }
        }
        let flexibles = kept.filter { columns[$0].flexible }
        let spare = max(0, width - needed(kept))
        var result: [(index: Int, x: Int, width: Int)] = []
        var x = 0
        var flexSeen = 0
        for index in kept {
            var w = columns[index].width
            if columns[index].flexible {
                w += spare / flexibles.count + (flexSeen < spare % flexibles.count ? 1 : 0)
                flexSeen += 1
            } else if flexibles.isEmpty, index == kept.last {
                w += spare
            }
            w = min(w, max(0, width - x))
            result.append((index, x, w))
            x += w + 1
        }
        return result
    }
}
