import Foundation
import UploadModel

extension Dashboard {
    /// The inspector: the body of the screen given to one entity's text, scrollable.
    func renderInspector(into grid: inout CellGrid, frame: Frame, now: Date) {
        guard var open = inspector else { return }
        let inner = frame.inner
        let lines = InspectorText.lines(open.inspection, now: now, timeZone: timeZone, width: max(20, inner.width - 1),
                                        history: open.history)
        let visible = max(1, inner.height)
        open.pageLines = visible
        open.scroll = max(0, min(open.scroll, lines.count - visible))
        inspector = open
        var title = "Inspect · " + InspectorText.title(open.inspection, target: open.target)
        if lines.count > visible { title += " · \(open.scroll + 1)-\(min(lines.count, open.scroll + visible))/\(lines.count)" }
        TableWidget.box(into: &grid, frame: frame, title: title, focused: true)
        for (offset, line) in lines.dropFirst(open.scroll).prefix(visible).enumerated() {
            grid.put(line.text, x: inner.x + 1, y: inner.y + offset, style: line.style, limit: inner.width - 1)
        }
        // Ages in the text move on their own.
        noteChange(at: now.addingTimeInterval(now.timeIntervalSince(Self.newestTime(open.inspection)) < 60 ? 1 : 60))
    }

    private static func newestTime(_ inspection: Inspection) -> Date {
        switch inspection.entity {
        case .group(let group): group.updatedAt
        case .session(let session): session.updatedAt
        case .part(let part): part.updatedAt
        case .job(let job): job.updatedAt
        case nil: .distantPast
        }
    }

    /// The help overlay: every key, scrollable when the terminal is short.
    func renderHelp(into grid: inout CellGrid) {
        let rows = KeyAction.table
        let width = min(grid.width - 4, 84)
        let height = min(grid.height - 2, rows.count + 4)
        let frame = Frame(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
        let visible = height - 4
        helpScroll = max(0, min(helpScroll, rows.count - visible))
        grid.fill(x: frame.x, y: frame.y, width: frame.width, height: frame.height, style: .dialog)
        var title = "Keys" + (readOnly ? " (read-only)" : "")
        if rows.count > visible { title += " \(helpScroll + 1)-\(helpScroll + visible)/\(rows.count)" }
        TableWidget.box(into: &grid, frame: frame, title: title, focused: true, style: .dialog)
        for (index, action) in rows.dropFirst(helpScroll).prefix(visible).enumerated() {
            let y = frame.y + 1 + index
            let disabled = action.mutates && readOnly
            grid.put(TextWidth.fit(action.label, to: 7), x: frame.x + 2, y: y, style: disabled ? .disabled : .key)
            let text = action.summary + (disabled ? " (disabled: read-only)" : "")
            grid.put(TextWidth.truncate(text, to: frame.width - 12), x: frame.x + 10, y: y, style: disabled ? .disabled : .dialog)
        }
        let hint = rows.count > visible ? "↑/↓ scroll · any other key closes" : "any key closes this help"
        grid.put(hint, x: frame.x + 2, y: frame.y + frame.height - 2, style: .dim)
    }

    /// The question before a dangerous action.
    func renderConfirm(_ action: OperatorAction, into grid: inout CellGrid) {
        let width = min(grid.width - 4, max(44, min(90, TextWidth.of(action.confirmation) + 6)))
        let lines = InspectorText.wrap(action.confirmation, width: width - 4)
        let height = lines.count + 4
        let frame = Frame(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
        grid.fill(x: frame.x, y: frame.y, width: frame.width, height: frame.height, style: .dialog)
        TableWidget.box(into: &grid, frame: frame, title: "Confirm \(action.verb.rawValue)", focused: true, style: .dialog)
        for (index, line) in lines.enumerated() {
            grid.put(line, x: frame.x + 2, y: frame.y + 1 + index, style: .dialog)
        }
        let x = grid.put("y", x: frame.x + 2, y: frame.y + height - 2, style: .key)
        grid.put(" confirms · any other key declines", x: x, y: frame.y + height - 2, style: .dialog)
    }
}
