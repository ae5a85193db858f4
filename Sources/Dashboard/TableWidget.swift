import Foundation

/// Draws one table (a pane's rows) into a box: column headings, the rows on screen, the
/// selection, a position marker. Columns are laid out for the widest visible values.
enum TableWidget {
    /// Draws a box with a title.
    static func box(into grid: inout CellGrid, frame: Frame, title: String, focused: Bool, style: Style? = nil) {
        guard frame.width >= 2, frame.height >= 2 else { return }
        let border = style ?? (focused ? .borderFocused : .border)
        let right = frame.x + frame.width - 1
        let bottom = frame.y + frame.height - 1
        for x in frame.x...right {
            grid[x, frame.y] = Cell("─", style: border)
            grid[x, bottom] = Cell("─", style: border)
        }
        for y in frame.y...bottom {
            grid[frame.x, y] = Cell("│", style: border)
            grid[right, y] = Cell("│", style: border)
        }
        grid[frame.x, frame.y] = Cell("┌", style: border)
        grid[right, frame.y] = Cell("┐", style: border)
        grid[frame.x, bottom] = Cell("└", style: border)
        grid[right, bottom] = Cell("┘", style: border)
        let label = " " + TextWidth.truncate(title, to: max(0, frame.width - 6)) + " "
        grid.put(label, x: frame.x + 2, y: frame.y, style: style ?? (focused ? .title : .border))
    }

    /// Draws the rows of `model` inside `inner`, scrolled by `scroll`; returns the rows that fit.
    @discardableResult
    static func rows(
        into grid: inout CellGrid, inner: Frame, model: TableModel, dashboard: Dashboard, now: Date,
        focused: Bool, scroll: inout TableScroll, empty: String
    ) -> Int {
        guard inner.height >= 1, inner.width >= 4 else { return 0 }
        let visible = inner.height - 1
        let count = model.count
        let selected = model.selectedIndex
        var top = scroll.top
        if let selected {
            // A view scrolled into the list keeps the selected row on its line when rows arrive
            // above; a view at the top stays there (new rows show, the selection moves down with its row).
            if !scroll.followSelection, let anchor = scroll.anchor, scroll.top > 0 {
                top = selected - anchor
            }
            if selected < top { top = selected }
            if selected >= top + visible { top = selected - visible + 1 }
        }
        top = max(0, min(top, count - visible))
        try? model.prepare(top..<(top + visible))
        let shown = max(0, min(visible, count - top))
        let cells = (0..<shown).map { model.cells(at: top + $0, dashboard: dashboard, now: now) }
        var content = Array(repeating: 0, count: model.columns.count)
        for row in cells {
            guard let row else { continue }
            for (index, cell) in row.enumerated() where index < content.count {
                if case .text(let text, _) = cell { content[index] = max(content[index], TextWidth.of(text)) }
            }
        }
        for (index, column) in model.columns.enumerated() { content[index] = max(content[index], TextWidth.of(column.title)) }
        let layout = Column.layout(model.columns, width: inner.width, content: content)
        for slot in layout {
            let column = model.columns[slot.index]
            grid.put(TextWidth.fit(column.title, to: slot.width, alignRight: column.alignRight),
                     x: inner.x + slot.x, y: inner.y, style: .columnHeading)
        }
        scroll.top = top
        scroll.followSelection = false
        scroll.anchor = selected.map { $0 - top }
        guard count > 0 else {
            if visible > 0 { grid.put(TextWidth.truncate(empty, to: inner.width), x: inner.x, y: inner.y + 1, style: .dim) }
            return visible
        }
        for line in 0..<shown {
            let index = top + line
            let y = inner.y + 1 + line
            guard let row = cells[line] else {
                grid.put("…", x: inner.x, y: y, style: .dim)
                continue
            }
            for slot in layout where slot.width > 0 {
                let column = model.columns[slot.index]
                let x = inner.x + slot.x
                switch row[slot.index] {
                case .text(let text, let style):
                    grid.put(TextWidth.fit(text, to: slot.width, alignRight: column.alignRight), x: x, y: y, style: style)
                case .bar(let fraction, let label):
                    let labelWidth = max(5, TextWidth.of(label) + 1)
                    let barWidth = max(0, slot.width - labelWidth)
                    let (filled, emptyCells) = Format.bar(fraction, width: barWidth)
                    var cx = grid.put(String(repeating: "█", count: filled), x: x, y: y, style: .barFilled)
                    cx = grid.put(String(repeating: "░", count: emptyCells), x: cx, y: y, style: .barEmpty)
                    grid.put(TextWidth.fit(label, to: labelWidth, alignRight: true), x: cx, y: y)
                }
            }
            if index == selected {
                // The selection marker is the row's style: reverse video in every theme.
                grid.restyle(x: inner.x, y: y, width: inner.width, style: focused ? .selected : .selectedInactive)
            }
        }
        if count > visible {
            let marker = "\(Format.count(top + 1))-\(Format.count(min(count, top + visible)))/\(Format.count(count))"
            grid.put(" \(marker) ", x: inner.x + inner.width - TextWidth.of(marker) - 3, y: inner.y + inner.height, style: .dim)
        }
        return visible
    }
}
