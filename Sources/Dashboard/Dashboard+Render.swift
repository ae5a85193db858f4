import Foundation
import UploadModel

extension Dashboard {
    /// The smallest terminal the dashboard lays out in.
    public static let minimumSize = (width: 60, height: 16)

    /// Renders the whole screen into a grid of `width` × `height` cells at time `now`.
    public func render(width: Int, height: Int, now: Date = Date()) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        guard width >= Self.minimumSize.width, height >= Self.minimumSize.height else {
            renderTooSmall(into: &grid)
            return grid
        }
        renderHeader(into: &grid, now: now)
        let bodyTop = 1
        let bodyHeight = height - 3
        let groupsHeight = max(6, bodyHeight * 36 / 100)
        let filesHeight = max(6, bodyHeight * 30 / 100)
        let bottomHeight = bodyHeight - groupsHeight - filesHeight
        let partsWidth = width * 58 / 100
        renderGroups(into: &grid, frame: Frame(x: 0, y: bodyTop, width: width, height: groupsHeight), now: now)
        renderFiles(into: &grid, frame: Frame(x: 0, y: bodyTop + groupsHeight, width: width, height: filesHeight), now: now)
        let bottom = bodyTop + groupsHeight + filesHeight
        renderParts(into: &grid, frame: Frame(x: 0, y: bottom, width: partsWidth, height: bottomHeight))
        renderJobs(into: &grid, frame: Frame(x: partsWidth, y: bottom, width: width - partsWidth, height: bottomHeight), now: now)
        renderStatusLine(into: &grid, y: height - 2)
        renderFooter(into: &grid, y: height - 1)
        switch mode {
        case .help: renderHelp(into: &grid)
        case .confirming(let action): renderConfirm(action, into: &grid)
        default: break
        }
        return grid
    }

    /// A rectangle on the grid.
    struct Frame {
        var x: Int
        var y: Int
        var width: Int
        var height: Int
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
        let connectionStyle: Style = connection == .live ? .live : .offline
        x = grid.put(connection.label, x: x, y: 0, style: connectionStyle)
        var files = 0, done = 0, failed = 0
        var total: Int64 = 0, uploaded: Int64 = 0
        for group in groupsById.values {
            files += group.totalFiles
            done += group.completedFiles
            failed += group.failedFiles
            total += group.totalBytes
            uploaded += group.bytesUploaded
        }
        let rate = throughput.rate(window: 5, now: now)
        let sparkWidth = grid.width >= 120 ? 20 : 12
        let right = " \(Format.rate(rate, zero: "0 B/s")) "
        let rightWidth = sparkWidth + TextWidth.of(right)
        let totals = " │ \(Format.count(groupsById.count)) group\(groupsById.count == 1 ? "" : "s") · files \(Format.count(done))/\(Format.count(files))"
            + (failed > 0 ? " · \(Format.count(failed)) failed" : "")
            + " · \(Format.bytes(uploaded))/\(Format.bytes(total)) "
        x = grid.put(TextWidth.truncate(totals, to: max(0, grid.width - rightWidth - x)), x: x, y: 0, style: .header)
        let sparkX = grid.width - rightWidth
        if sparkX >= x {
            grid.put(throughput.sparkline(width: sparkWidth, now: now), x: sparkX, y: 0, style: .sparkline)
            grid.put(right, x: sparkX + sparkWidth, y: 0, style: .header)
        }
    }

    private func renderGroups(into grid: inout CellGrid, frame: Frame, now: Date) {
        let list = orderedGroups()
        let columns = [
            Column("NAME", width: 14, flexible: true, priority: 10),
            Column("STATUS", width: 11, priority: 9),
            Column("FILES", width: 11, alignRight: true, priority: 8),
            Column("PROGRESS", width: 16, priority: 7),
            Column("BYTES", width: 19, alignRight: true, priority: 4),
            Column("SPEED", width: 10, alignRight: true, priority: 5),
            Column("AGE", width: 4, alignRight: true, priority: 3),
            Column("ERR", width: 4, alignRight: true, priority: 6),
        ]
        let selected = list.firstIndex { $0.id == selectedGroupId }
        let title = paneTitle(.groups, shown: list.count, total: groupsById.count)
        drawTable(into: &grid, frame: frame, pane: .groups, title: title, columns: columns, count: list.count,
                  selected: selected, empty: groupsById.isEmpty ? "No uploads yet. Start one with: upman put FILE" : "No group matches the filter.") { index in
            let group = list[index]
            let stalled = self.isStalled(group, now: now)
            let status = stalled ? "STALLED" : group.status.rawValue
            let fraction = Self.fraction(group.bytesUploaded, group.totalBytes)
            return [
                .text(group.name, stalled ? .stalled : .normal),
                .text(status, stalled ? .stalled : Style.forStatus(group.status.rawValue)),
                .plain("\(Format.count(group.completedFiles))/\(Format.count(group.totalFiles))"),
                .bar(group.status == .completed ? 1 : fraction, Format.percent(group.status == .completed ? 1 : fraction)),
                .plain("\(Format.bytes(group.bytesUploaded))/\(Format.bytes(group.totalBytes))"),
                .plain(Format.rate(self.groupRate(group.id, now: now))),
                .text(Format.age(from: group.createdAt, now: now), .dim),
                .text(group.failedFiles > 0 ? String(group.failedFiles) : "-", group.failedFiles > 0 ? .error : .dim),
            ]
        }
    }

    private func renderFiles(into grid: inout CellGrid, frame: Frame, now: Date) {
        let list = orderedSessions()
        let columns = [
            Column("FILE", width: 14, flexible: true, priority: 10),
            Column("STATUS", width: 10, priority: 9),
            Column("SIZE", width: 9, alignRight: true, priority: 7),
            Column("PROGRESS", width: 16, priority: 8),
            Column("PARTS", width: 11, alignRight: true, priority: 6),
            Column("SPEED", width: 10, alignRight: true, priority: 5),
            Column("ETA", width: 7, alignRight: true, priority: 4),
            Column("LAST ERROR", width: 10, flexible: true, priority: 3),
        ]
        let selected = list.firstIndex { $0.id == selectedSessionId }
        let name = selectedGroup.map { " of \($0.name)" } ?? ""
        let title = paneTitle(.files, shown: list.count, total: sessions.count, suffix: name)
        drawTable(into: &grid, frame: frame, pane: .files, title: title, columns: columns, count: list.count,
                  selected: selected, empty: selectedGroup == nil ? "Select a group." : "No files.") { index in
            let session = list[index]
            let stalled = self.isStalled(session, now: now)
            let rate = self.sessionRate(session.id, now: now)
            let remaining = Double(max(0, session.size - session.bytesUploaded))
            let eta = session.status == .uploading && rate > 0 ? Format.clock(remaining / rate) : "-"
            let fraction = session.status == .completed ? 1 : Self.fraction(session.bytesUploaded, session.size)
            return [
                .text(session.fileName, stalled ? .stalled : .normal),
                .text(stalled ? "STALLED" : session.status.rawValue, stalled ? .stalled : Style.forStatus(session.status.rawValue)),
                .plain(Format.bytes(session.size)),
                .bar(fraction, Format.percent(fraction)),
                .plain("\(Format.count(session.completedParts))/\(Format.count(session.totalParts))"),
                .plain(Format.rate(rate)),
                .plain(eta),
                .text(session.error.map { "\($0.code): \($0.message)" } ?? "", .error),
            ]
        }
    }

    private func renderParts(into grid: inout CellGrid, frame: Frame) {
        let list = orderedParts()
        let inner = Frame(x: frame.x + 1, y: frame.y + 1, width: frame.width - 2, height: frame.height - 2)
        let done = parts.reduce(0) { $0 + ($1.status == .uploaded ? 1 : 0) }
        let failed = parts.reduce(0) { $0 + ($1.status == .failed ? 1 : 0) }
        var title = paneTitle(.parts, shown: list.count, total: parts.count)
        var mapNote = ""
        if !parts.isEmpty { title += " · \(Format.count(done)) done" + (failed > 0 ? " · \(failed) failed" : "") }
        // The map takes up to a third of the pane, at least one row.
        let mapRows = parts.isEmpty || inner.height < 4 ? 0
            : min(max(1, inner.height / 3), (parts.count + inner.width - 1) / max(1, inner.width))
        if mapRows > 0 {
            let per = PartMap.partsPerCell(total: parts.count, cells: mapRows * inner.width)
            if per > 1 { mapNote = " \(per) parts/cell " }
        }
        drawBox(into: &grid, frame: frame, title: title, focused: focus == .parts)
        if !mapNote.isEmpty {
            grid.put(mapNote, x: frame.x + 2, y: frame.y + frame.height - 1, style: .dim)
        }
        if mapRows > 0 {
            let cells = PartMap.cells(parts, cells: mapRows * inner.width)
            for (index, state) in cells.enumerated() {
                let x = inner.x + index % inner.width
                let y = inner.y + index / inner.width
                grid[x, y] = Cell(PartMap.glyph(state), style: Style.forPart(state))
            }
        }
        let columns = [
            Column("#", width: 6, alignRight: true, priority: 10),
            Column("SIZE", width: 9, alignRight: true, priority: 8),
            Column("STATUS", width: 9, priority: 9),
            Column("ATT", width: 3, alignRight: true, priority: 6),
            Column("ETAG", width: 10, priority: 4),
            Column("ERROR", width: 8, flexible: true, priority: 7),
        ]
        let selected = list.firstIndex { $0.partNumber == selectedPartNumber }
        let tableFrame = Frame(x: inner.x, y: inner.y + mapRows, width: inner.width, height: inner.height - mapRows)
        drawRows(into: &grid, inner: tableFrame, pane: .parts, columns: columns, count: list.count, selected: selected,
                 empty: selectedSession == nil ? "Select a file." : "No parts.") { index in
            let part = list[index]
            return [
                .plain(String(part.partNumber)),
                .plain(Format.bytes(part.size)),
                .text(part.status.rawValue, Style.forStatus(part.status.rawValue)),
                .plain(String(part.attempts)),
                .text(part.etag.map { $0.replacingOccurrences(of: "\"", with: "") } ?? "-", .dim),
                .text(part.error.map { "\($0.code): \($0.message)" } ?? "", .error),
            ]
        }
    }

    private func renderJobs(into grid: inout CellGrid, frame: Frame, now: Date) {
        let list = orderedJobs()
        let columns = [
            Column("KIND", width: 12, priority: 10),
            Column("STATUS", width: 9, priority: 9),
            Column("ATT", width: 3, alignRight: true, priority: 5),
            Column("TIME", width: 5, alignRight: true, priority: 4),
            Column("OUTPUT / ERROR", width: 8, flexible: true, priority: 8),
        ]
        let selected = list.firstIndex { $0.id == selectedJobId }
        drawTable(into: &grid, frame: frame, pane: .jobs, title: paneTitle(.jobs, shown: list.count, total: jobs.count),
                  columns: columns, count: list.count, selected: selected,
                  empty: selectedSession == nil ? "Select a file." : "No jobs.") { index in
            let job = list[index]
            let duration: String
            if let start = job.startedAt {
                duration = Format.duration((job.finishedAt ?? now).timeIntervalSince(start))
            } else {
                duration = "-"
            }
            let detail: TableCell = if let error = job.error {
                .text("\(error.code): \(error.message)", .error)
            } else {
                .text((job.output ?? "").replacingOccurrences(of: "\n", with: " "), .dim)
            }
            return [
                .plain(job.kind),
                .text(job.status.rawValue, Style.forStatus(job.status.rawValue)),
                .plain("\(job.attempts)/\(job.maxAttempts)"),
                .plain(duration),
                detail,
            ]
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

    private func renderFooter(into grid: inout CellGrid, y: Int) {
        var x = 1
        if readOnly { x = grid.put("[read-only] ", x: x, y: y, style: .error) }
        for action in KeyAction.table where action.inFooter {
            if action.mutates && readOnly { continue }
            let width = TextWidth.of(action.label) + 1 + TextWidth.of(action.short) + 2
            guard x + width <= grid.width else { break }
            x = grid.put(action.label, x: x, y: y, style: .key)
            x = grid.put(" " + action.short + "  ", x: x, y: y, style: .dim)
        }
    }

    private func renderHelp(into grid: inout CellGrid) {
        let rows = KeyAction.table
        let width = min(grid.width - 4, 76)
        let height = min(grid.height - 2, rows.count + 4)
        let frame = Frame(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
        grid.fill(x: frame.x, y: frame.y, width: frame.width, height: frame.height, style: .dialog)
        drawBox(into: &grid, frame: frame, title: "Keys" + (readOnly ? " (read-only)" : ""), focused: true, style: .dialog)
        for (index, action) in rows.enumerated() where index < height - 4 {
            let y = frame.y + 1 + index
            let disabled = action.mutates && readOnly
            grid.put(TextWidth.fit(action.label, to: 7), x: frame.x + 2, y: y, style: disabled ? .disabled : .key)
            let text = action.summary + (disabled ? "  (disabled: read-only)" : "")
            grid.put(text, x: frame.x + 10, y: y, style: disabled ? .disabled : .dialog, limit: frame.width - 12)
        }
        grid.put("any key closes this help", x: frame.x + 2, y: frame.y + frame.height - 2, style: .dim)
    }

    private func renderConfirm(_ action: OperatorAction, into grid: inout CellGrid) {
        let width = min(grid.width - 4, max(44, min(90, TextWidth.of(action.confirmation) + 6)))
        let lines = wrap(action.confirmation, width: width - 4)
        let height = lines.count + 4
        let frame = Frame(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
        grid.fill(x: frame.x, y: frame.y, width: frame.width, height: frame.height, style: .dialog)
        drawBox(into: &grid, frame: frame, title: "Confirm \(action.verb.rawValue)", focused: true, style: .dialog)
        for (index, line) in lines.enumerated() {
            grid.put(line, x: frame.x + 2, y: frame.y + 1 + index, style: .dialog)
        }
        let x = grid.put("y", x: frame.x + 2, y: frame.y + height - 2, style: .key)
        grid.put(" confirms · any other key declines", x: x, y: frame.y + height - 2, style: .dialog)
    }

    // MARK: - Drawing helpers

    private func paneTitle(_ pane: Pane, shown: Int, total: Int, suffix: String = "") -> String {
        var title = "\(pane.title)\(suffix) \(Format.count(total))"
        if let filter = filters[pane] { title += " · filter \"\(filter)\": \(Format.count(shown))" }
        if sorts[pane] != SortOrder.defaultOrder(of: pane) { title += " · sort \(sorts[pane]!.label)" }
        return title
    }

    func drawBox(into grid: inout CellGrid, frame: Frame, title: String, focused: Bool, style: Style? = nil) {
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

    private func drawTable(
        into grid: inout CellGrid, frame: Frame, pane: Pane, title: String, columns: [Column], count: Int,
        selected: Int?, empty: String, row: (Int) -> [TableCell]
    ) {
        drawBox(into: &grid, frame: frame, title: title, focused: focus == pane)
        let inner = Frame(x: frame.x + 1, y: frame.y + 1, width: frame.width - 2, height: frame.height - 2)
        drawRows(into: &grid, inner: inner, pane: pane, columns: columns, count: count, selected: selected, empty: empty, row: row)
    }

    private func drawRows(
        into grid: inout CellGrid, inner: Frame, pane: Pane, columns: [Column], count: Int,
        selected: Int?, empty: String, row: (Int) -> [TableCell]
    ) {
        guard inner.height >= 1, inner.width >= 4 else { return }
        let layout = Column.layout(columns, width: inner.width)
        for slot in layout {
            let column = columns[slot.index]
            grid.put(TextWidth.fit(column.title, to: slot.width, alignRight: column.alignRight),
                     x: inner.x + slot.x, y: inner.y, style: .columnHeading)
        }
        let visible = inner.height - 1
        pageRows[pane] = visible
        guard count > 0 else {
            if visible > 0 { grid.put(TextWidth.truncate(empty, to: inner.width), x: inner.x, y: inner.y + 1, style: .dim) }
            return
        }
        var top = scroll[pane] ?? 0
        if let selected {
            if selected < top { top = selected }
            if selected >= top + visible { top = selected - visible + 1 }
        }
        top = max(0, min(top, count - visible))
        scroll[pane] = top
        for line in 0..<min(visible, count - top) {
            let index = top + line
            let y = inner.y + 1 + line
            let cells = row(index)
            for slot in layout where slot.width > 0 {
                let column = columns[slot.index]
                let x = inner.x + slot.x
                switch cells[slot.index] {
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
                grid.restyle(x: inner.x, y: y, width: inner.width, style: focus == pane ? .selected : .selectedInactive)
            }
        }
        if count > visible {
            let marker = "\(top + 1)-\(min(count, top + visible))/\(Format.count(count))"
            grid.put(" \(marker) ", x: inner.x + inner.width - TextWidth.of(marker) - 3, y: inner.y + inner.height, style: .dim)
        }
    }

    private func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if TextWidth.of(candidate) > width, !current.isEmpty {
                lines.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { TextWidth.truncate($0, to: width) }
    }
}
