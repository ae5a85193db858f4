/// A table column: its heading, width, alignment, and how early it is dropped when the pane
/// is narrow.
public struct Column: Sendable, Hashable {
    /// The heading.
    public var title: String
    /// Columns it takes (the least, for a flexible column).
    public var width: Int
    /// Right-aligned (numbers).
    public var alignRight: Bool
    /// Whether it grows: to its content's width (`fits`) or into whatever is left.
    public var flexible: Bool
    /// With `flexible`: grows only as far as the widest visible value needs (names); the rest
    /// of the width goes to the other flexible columns (errors).
    public var fits: Bool
    /// Higher stays longer when space runs out.
    public var priority: Int

    /// Creates a column.
    public init(_ title: String, width: Int, alignRight: Bool = false, flexible: Bool = false, fits: Bool = false, priority: Int = 5) {
        self.title = title
        self.width = width
        self.alignRight = alignRight
        self.flexible = flexible || fits
        self.fits = fits
        self.priority = priority
    }

    /// The columns that fit in `width` (one space between them), with their x offsets and
    /// final widths. Columns of lowest priority are dropped until the rest fit; then a column
    /// that `fits` grows to `content[i]` (the widest visible value) and the other flexible
    /// columns share what is left; when none is left to take it, the fitting columns do.
    public static func layout(_ columns: [Column], width: Int, content: [Int] = []) -> [(index: Int, x: Int, width: Int)] {
        var kept = Array(columns.indices)
        func needed(_ set: [Int]) -> Int { set.reduce(0) { $0 + columns[$1].width } + max(0, set.count - 1) }
        while needed(kept) > width, kept.count > 1 {
            let drop = kept.filter { !columns[$0].flexible }.min { columns[$0].priority < columns[$1].priority }
                ?? kept.min { columns[$0].priority < columns[$1].priority }!
            kept.removeAll { $0 == drop }
        }
        var widths = Dictionary(uniqueKeysWithValues: kept.map { ($0, columns[$0].width) })
        var spare = max(0, width - needed(kept))
        // Fitting columns first, up to their content.
        let fitting = kept.filter { columns[$0].fits }
        let growers = kept.filter { columns[$0].flexible && !columns[$0].fits }
        // With other flexible columns beside them, fitting ones take at most two thirds of the spare.
        let budget = growers.isEmpty ? spare : spare * 2 / 3
        for index in fitting {
            let want = index < content.count ? max(0, content[index] - columns[index].width) : budget
            let grow = min(want, budget / fitting.count)
            widths[index]! += grow
            spare -= grow
        }
        let takers = !growers.isEmpty ? growers : (!fitting.isEmpty ? fitting : (kept.last.map { [$0] } ?? []))
        for (n, index) in takers.enumerated() {
            widths[index]! += spare / takers.count + (n < spare % takers.count ? 1 : 0)
        }
        var result: [(index: Int, x: Int, width: Int)] = []
        var x = 0
        for index in kept {
            let w = min(widths[index]!, max(0, width - x))
            result.append((index, x, w))
            x += w + 1
        }
        return result
    }
}
