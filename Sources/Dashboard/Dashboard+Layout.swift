import Foundation
import UploadModel

extension Dashboard {
    /// The smallest terminal the dashboard lays out in.
    public static let minimumSize = (width: 60, height: 16)

    /// Renders the whole screen into a grid of `width` × `height` cells at time `now`; notes
    /// in `nextChange` when the screen would next change by itself.
    public func render(width: Int, height: Int, now: Date = Date()) -> CellGrid {
        nextChange = nil
        var grid = CellGrid(width: width, height: height)
        tooSmall = width < Self.minimumSize.width || height < Self.minimumSize.height
        guard !tooSmall else {
            renderTooSmall(into: &grid)
            return grid
        }
        renderHeader(into: &grid, now: now)
        let body = Frame(x: 0, y: 1, width: width, height: height - 3)
        if inspector != nil {
            renderInspector(into: &grid, frame: body, now: now)
        } else if showingProblems {
            panesOnScreen = [.problems]
            drawPane(.problems, into: &grid, frame: body, now: now, title: problemsTitle(),
                     empty: problems.filter == nil ? "No problems: nothing failed, expired or stalled." : "No problem matches the filter.")
        } else {
            renderMain(into: &grid, frame: body, now: now)
        }
        renderStatusLine(into: &grid, y: height - 2)
        renderFooter(into: &grid, y: height - 1)
        switch mode {
        case .help: renderHelp(into: &grid)
        case .confirming(let action): renderConfirm(action, into: &grid)
        default: break
        }
        return grid
    }

    /// The four panes: groups over files over parts beside jobs. A pane with no room for a row
    /// is left out (and out of Tab's reach).
    private func renderMain(into grid: inout CellGrid, frame: Frame, now: Date) {
        let groupsHeight = max(6, frame.height * 36 / 100)
        let filesHeight = max(6, frame.height * 30 / 100)
        let bottomHeight = frame.height - groupsHeight - filesHeight
        let partsWidth = frame.width * 58 / 100
        var onScreen: [Pane] = [.groups, .files]
        drawPane(.groups, into: &grid, frame: Frame(x: 0, y: frame.y, width: frame.width, height: groupsHeight), now: now,
                 title: paneTitle(.groups),
                 empty: groups.filter == nil ? "No uploads yet. Start one with: upman put FILE" : "No group matches the filter.")
        let name = selectedGroup.map { " of \($0.name)" } ?? ""
        drawPane(.files, into: &grid, frame: Frame(x: 0, y: frame.y + groupsHeight, width: frame.width, height: filesHeight), now: now,
                 title: paneTitle(.files, suffix: name), empty: selectedGroup == nil ? "Select a group." : "No files.")
        let bottom = frame.y + groupsHeight + filesHeight
        if bottomHeight >= 4 {
            renderParts(into: &grid, frame: Frame(x: 0, y: bottom, width: partsWidth, height: bottomHeight), now: now)
            drawPane(.jobs, into: &grid, frame: Frame(x: partsWidth, y: bottom, width: frame.width - partsWidth, height: bottomHeight),
                     now: now, title: paneTitle(.jobs), empty: selectedSession == nil ? "Select a file." : "No jobs.")
            onScreen += [.parts, .jobs]
        }
        panesOnScreen = onScreen
        if !onScreen.contains(focus) { focus = onScreen.last! }
    }

    /// One table pane in a box.
    private func drawPane(_ pane: Pane, into grid: inout CellGrid, frame: Frame, now: Date, title: String, empty: String) {
        TableWidget.box(into: &grid, frame: frame, title: title, focused: focus == pane)
        var scroll = scrolls[pane] ?? TableScroll()
        pageRows[pane] = TableWidget.rows(into: &grid, inner: frame.inner, model: table(pane), dashboard: self, now: now,
                                          focused: focus == pane, scroll: &scroll, empty: empty)
        scrolls[pane] = scroll
    }

    /// The Parts pane: a map of every part over the table.
    private func renderParts(into grid: inout CellGrid, frame: Frame, now: Date) {
        let inner = frame.inner
        let all = parts.rows
        let done = all.reduce(0) { $0 + ($1.status == .uploaded ? 1 : 0) }
        let failed = all.reduce(0) { $0 + ($1.status == .failed ? 1 : 0) }
        var title = paneTitle(.parts)
        if !all.isEmpty { title += " · \(Format.count(done)) done" + (failed > 0 ? " · \(failed) failed" : "") }
        // The map takes up to a third of the pane, at least one row.
        let mapRows = all.isEmpty || inner.height < 4 ? 0
            : min(max(1, inner.height / 3), (all.count + inner.width - 1) / max(1, inner.width))
        TableWidget.box(into: &grid, frame: frame, title: title, focused: focus == .parts)
        if mapRows > 0 {
            let byNumber = parts.all.values.sorted { $0.partNumber < $1.partNumber }
            let per = PartMap.partsPerCell(total: byNumber.count, cells: mapRows * inner.width)
            if per > 1 { grid.put(" \(per) parts/cell ", x: frame.x + 2, y: frame.y + frame.height - 1, style: .dim) }
            for (index, state) in PartMap.cells(byNumber, cells: mapRows * inner.width).enumerated() {
                grid[inner.x + index % inner.width, inner.y + index / inner.width] = Cell(PartMap.glyph(state), style: Style.forPart(state))
            }
        }
        var scroll = scrolls[.parts] ?? TableScroll()
        let table = Frame(x: inner.x, y: inner.y + mapRows, width: inner.width, height: inner.height - mapRows)
        pageRows[.parts] = TableWidget.rows(into: &grid, inner: table, model: parts, dashboard: self, now: now,
                                            focused: focus == .parts, scroll: &scroll,
                                            empty: selectedSession == nil ? "Select a file." : "No parts.")
        scrolls[.parts] = scroll
    }

    private func renderTooSmall(into grid: inout CellGrid) {
        let lines = [
            "Terminal too small: \(grid.width)×\(grid.height)",
            "upman top needs at least \(Self.minimumSize.width)×\(Self.minimumSize.height).",
            "Enlarge the window, or press q to quit.",
        ]
        let top = max(0, (grid.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() where top + offset < grid.height {
            let cut = TextWidth.truncate(line, to: grid.width)
            grid.put(cut, x: max(0, (grid.width - TextWidth.of(cut)) / 2), y: top + offset, style: offset == 0 ? .error : .normal)
        }
    }

    private func renderHeader(into grid: inout CellGrid, now: Date) {
        grid.fill(x: 0, y: 0, width: grid.width, height: 1, style: .header)
        var x = grid.put(" upman ", x: 0, y: 0, style: .header)
        if !serverLabel.isEmpty { x = grid.put("│ \(serverLabel) ", x: x, y: 0, style: .header) }
        x = grid.put("│ ", x: x, y: 0, style: .header)
        x = grid.put(connection.label, x: x, y: 0, style: connection == .live ? .live : .offline)
        let rate = totalRate(now: now)
        let sparkWidth = grid.width >= 120 ? 20 : 12
        let right = " \(Format.rate(rate, zero: "0 B/s")) "
        let rightWidth = sparkWidth + TextWidth.of(right)
        let count = groups.total
        if problemCount > 0 {
            x = grid.put(" │ ", x: x, y: 0, style: .header)
            x = grid.put("⚠ \(Format.count(problemCount)) problem\(problemCount == 1 ? "" : "s")", x: x, y: 0, style: .error)
        }
        let counters = sums.counters
        let totals = " │ \(Format.count(count)) group\(count == 1 ? "" : "s") · files \(counters.filesDone)"
            + (counters.failedFiles > 0 ? " · \(Format.count(counters.failedFiles)) failed" : "")
            + " · \(counters.bytesDone) "
        x = grid.put(TextWidth.truncate(totals, to: max(0, grid.width - rightWidth - x)), x: x, y: 0, style: .header)
        let sparkX = grid.width - rightWidth
        if sparkX >= x {
            let line = throughput.sparkline(width: sparkWidth, now: now)
            if line.contains(where: { $0 != " " && $0 != "▁" }) { noteChange(at: now.addingTimeInterval(1)) }
            grid.put(line, x: sparkX, y: 0, style: .sparkline)
            grid.put(right, x: sparkX + sparkWidth, y: 0, style: .header)
        }
    }

    private func renderStatusLine(into grid: inout CellGrid, y: Int) {
        switch mode {
        case .filtering(let text):
            var x = grid.put(" filter \(focus.title.lowercased()): /", x: 0, y: y, style: .key)
            x = grid.put(text, x: x, y: y)
            x = grid.put("▏", x: x, y: y, style: .key)
            grid.put("   Enter applies · Esc clears", x: x, y: y, style: .dim)
        default:
            if let status {
                grid.put(" " + TextWidth.truncate(status.text, to: grid.width - 2), x: 0, y: y, style: status.style)
            }
        }
    }

    /// The footer: the keys that apply here, `? help` and `q quit` first to stay when the
    /// terminal is narrow, the others as they fit, in table order.
    private func renderFooter(into grid: inout CellGrid, y: Int) {
        var x = 1
        if readOnly { x = grid.put("[read-only] ", x: x, y: y, style: .error) }
        let offered = footerKeys()
        func width(_ action: KeyAction) -> Int { TextWidth.of(action.label) + 1 + TextWidth.of(action.short) + 2 }
        let reserved = offered.filter { $0.command == .help || $0.command == .quit }
        var room = grid.width - x - reserved.reduce(0) { $0 + width($1) }
        var shown: [KeyAction] = []
        for action in offered where action.command != .help && action.command != .quit {
            guard width(action) <= room else { break }
            shown.append(action)
            room -= width(action)
        }
        for action in shown + reserved {
            x = grid.put(action.label, x: x, y: y, style: .key)
            x = grid.put(" " + action.short + "  ", x: x, y: y, style: .dim)
        }
    }

    /// The keys the footer offers now.
    func footerKeys() -> [KeyAction] {
        if inspector != nil {
            return KeyAction.table.filter { [.back, .retry, .cancel, .delete, .help, .quit].contains($0.command) }
                .filter { !($0.mutates && readOnly) && ($0.mutates ? inspectorApplies($0.command) : true) }
        }
        return KeyAction.table.filter { action in
            (action.inFooter || (showingProblems && action.command == .back)) && !(action.mutates && readOnly) && applies(action.command)
        }
    }

    private func inspectorApplies(_ command: KeyAction.Command) -> Bool {
        inspectorAction(command) != nil
    }

    private func problemsTitle() -> String {
        let order = problems.order == problems.defaultOrder ? "newest first" : "sort \(problems.order.label)"
        var title = "Problems \(Format.count(problemCount)) · failed, expired, stalled files and failed jobs · \(order)"
        if problems.all.count < problemCount { title += " · newest \(Format.count(problems.all.count)) listed" }
        if let filter = problems.filter { title += " · filter \"\(filter)\": \(Format.count(problems.count))" }
        return title
    }

    private func paneTitle(_ pane: Pane, suffix: String = "") -> String {
        let model = table(pane)
        var title = "\(pane.title)\(suffix) \(Format.count(model.total))"
        if let filter = model.filter { title += " · filter \"\(filter)\": \(Format.count(model.count))" }
        if model.order != model.defaultOrder { title += " · sort \(model.order.label)" }
        return title
    }
}
