import Foundation
import UploadModel

extension Dashboard {
    /// Handles one key and returns what the host must do (send an action, quit, repaint).
    public func handle(_ key: Key, now: Date = Date()) -> [DashboardEffect] {
        needsRender = true
        if key == .interrupt { return [.quit] }
        if key == .repaint { return [.repaint] }
        if tooSmall {
            // Nothing is acted on that the operator cannot see (a `y` must not confirm a hidden dialog).
            return key == .character("q") ? [.quit] : []
        }
        switch mode {
        case .help:
            switch key {
            case .up, .character("k"): helpScroll = max(0, helpScroll - 1)
            case .down, .character("j"): helpScroll += 1
            case .pageUp: helpScroll = max(0, helpScroll - 8)
            case .pageDown, .character(" "): helpScroll += 8
            default:
                mode = .normal
                helpScroll = 0
            }
            return []
        case .confirming(let action):
            mode = .normal
            if key == .character("y") || key == .character("Y") {
                setStatus("\(action.verb.rawValue): sending for \(action.subject)…", now: now)
                return [.perform(action)]
            }
            setStatus("\(action.verb.rawValue.capitalized) declined: nothing changed.", now: now)
            return []
        case .filtering(let text):
            switch key {
            case .enter:
                mode = .normal
                setFilter(text.isEmpty ? nil : text, now: now)
            case .escape:
                mode = .normal
                setFilter(nil, now: now)
            case .backspace:
                mode = .filtering(String(text.dropLast()))
            case .character(let character):
                mode = .filtering(text + String(character))
            default:
                break
            }
            return []
        case .normal:
            break
        }
        if inspector != nil { return handleInspectorKey(key, now: now) }
        return handleNormal(key, now: now)
    }

    /// Keys of the panes (no overlay open).
    func handleNormal(_ key: Key, now: Date) -> [DashboardEffect] {
        guard let action = KeyAction.action(for: key) else {
            setStatus("\(Self.name(of: key)) does nothing here: press ? for the keys", style: .error, now: now)
            return []
        }
        if action.mutates && readOnly {
            setStatus("read-only: \(action.short) is disabled (started with --readonly)", style: .error, now: now)
            return []
        }
        switch action.command {
        case .up: move(by: -1, now: now)
        case .down: move(by: 1, now: now)
        case .pageUp: move(by: -max(1, (pageRows[focus] ?? 10) - 1), now: now)
        case .pageDown: move(by: max(1, (pageRows[focus] ?? 10) - 1), now: now)
        case .first: move(by: -Int.max / 2, now: now)
        case .last: move(by: Int.max / 2, now: now)
        case .nextPane: cycleFocus(by: 1)
        case .previousPane: cycleFocus(by: -1)
        case .open:
            if focus == .parts || focus == .jobs || focus == .problems {
                inspectSelection(now: now)
            } else if let index = panesOnScreen.firstIndex(of: focus), index + 1 < panesOnScreen.count {
                focus = panesOnScreen[index + 1]
            }
        case .back:
            if table(focus).filter != nil {
                setFilter(nil, now: now)
            } else if showingProblems {
                toggleProblems(now: now)
            } else if let index = panesOnScreen.firstIndex(of: focus), index > 0 {
                focus = panesOnScreen[index - 1]
            }
        case .inspect: inspectSelection(now: now)
        case .problems: toggleProblems(now: now)
        case .filter: mode = .filtering(table(focus).filter ?? "")
        case .sort:
            reorder(table(focus).nextOrder(), now: now)
        case .reverse:
            var order = table(focus).order
            order.descending.toggle()
            reorder(order, now: now)
        case .help: mode = .help
        case .quit: return [.quit]
        case .retry, .cancel, .delete:
            guard let operation = operatorAction(action.command) else {
                setStatus(nothingToDo(action.command), style: .error, now: now)
                return []
            }
            return request(operation, confirming: action.confirms, now: now)
        }
        return []
    }

    /// A key's name for a hint.
    static func name(of key: Key) -> String {
        switch key {
        case .character(let character): "'\(TerminalText.escaped(String(character)))'"
        default: "\(key)"
        }
    }

    private func cycleFocus(by step: Int) {
        let ring = showingProblems ? [Pane.problems] : panesOnScreen
        guard !ring.isEmpty else { return }
        let index = ring.firstIndex(of: focus) ?? 0
        focus = ring[(index + step + ring.count) % ring.count]
    }

    private func inspectSelection(now: Date) {
        guard let target = inspectTarget() else {
            setStatus("nothing selected to inspect", style: .error, now: now)
            return
        }
        do { try open(target, returnTo: focus) } catch {
            setStatus("could not read the database: \(error)", style: .error, now: now)
        }
    }

    /// Shows or hides the problems view (read at once when shown).
    func toggleProblems(now: Date) {
        showingProblems.toggle()
        if showingProblems {
            previousFocus = focus
            focus = .problems
            problemsStale = true
            problemsReadAt = .distantPast
            reloadSelection(now: now) { try self.refreshProblems(now: now) }
        } else {
            focus = previousFocus
        }
    }

    private func reorder(_ order: SortOrder, now: Date) {
        let model = table(focus)
        reloadSelection(now: now) { try model.setOrder(order) }
        follow(focus)
        setStatus("\(focus.title) sorted by \(order.label)", now: now)
    }

    /// The operator action a key means for the focused pane's selection, nil when it does not
    /// apply (nothing selected, nothing failed to retry, nothing left to cancel).
    /// Asks for confirmation of `operation` when its key wants one, or sends it now (the panes,
    /// the problems view and the inspector all start an action this way).
    func request(_ operation: OperatorAction, confirming: Bool, now: Date) -> [DashboardEffect] {
        if confirming {
            mode = .confirming(operation)
            return []
        }
        setStatus("\(operation.verb.rawValue): sending for \(operation.subject)…", now: now)
        return [.perform(operation)]
    }

    func operatorAction(_ command: KeyAction.Command) -> OperatorAction? {
        guard let verb = OperatorAction.Verb(command) else { return nil }
        if focus == .problems {
            guard let row = problems.selected else { return nil }
            switch (row.subject, verb) {
            case (.job(let job), _):
                return action(verb, on: job, fileName: row.fileName)
            case (.session(let session), _):
                return action(verb, on: session)
            }
        }
        if focus == .groups || (verb != .retry && files.selected == nil) {
            return groups.selected.flatMap { action(verb, on: $0) }
        }
        guard let session = files.selected else { return nil }
        if verb == .retry {
            switch focus {
            case .parts:
                return parts.selected.flatMap { action(.retry, on: $0, fileName: session.fileName) }
            case .jobs:
                return jobs.selected.flatMap { action(.retry, on: $0, fileName: session.fileName) }
            default:
                break
            }
        }
        return action(verb, on: session)
    }

    /// A retry, cancel or delete of a group, nil when it does not apply (nothing failed to
    /// retry; a COMPLETED or CANCELLED group has nothing to cancel).
    func action(_ verb: OperatorAction.Verb, on group: UploadGroup) -> OperatorAction? {
        let files = "\(group.totalFiles) file\(group.totalFiles == 1 ? "" : "s")"
        switch verb {
        case .retry:
            guard group.failedFiles > 0 || group.status == .failed else { return nil }
            return OperatorAction(verb: verb, groupId: group.id, subject: "everything failed in group '\(group.name)'")
        case .cancel:
            guard group.status != .completed && group.status != .cancelled else { return nil }
            return OperatorAction(verb: verb, groupId: group.id, subject: "group '\(group.name)' (\(files))")
        case .delete:
            return OperatorAction(verb: verb, groupId: group.id, subject: "group '\(group.name)' (\(files))")
        }
    }

    /// A retry of a FAILED part; a cancel or delete of its file.
    func action(_ verb: OperatorAction.Verb, on part: FilePart, fileName: String) -> OperatorAction? {
        guard verb == .retry else { return OperatorAction(verb: verb, sessionId: part.sessionId, subject: "file '\(fileName)'") }
        guard part.status == .failed else { return nil }
        return OperatorAction(verb: .retry, sessionId: part.sessionId, partNumbers: [part.partNumber],
                              subject: "part \(part.partNumber) of '\(fileName)'")
    }

    /// A retry of a FAILED job; a cancel or delete of its file.
    func action(_ verb: OperatorAction.Verb, on job: ProcessingJob, fileName: String) -> OperatorAction? {
        guard verb == .retry else { return OperatorAction(verb: verb, sessionId: job.sessionId, subject: "file '\(fileName)'") }
        guard job.status == .failed else { return nil }
        return OperatorAction(verb: .retry, jobId: job.id, subject: "\(job.kind) job of '\(fileName)'")
    }

    /// A retry, cancel or delete of a file, nil when it does not apply.
    func action(_ verb: OperatorAction.Verb, on session: UploadSession) -> OperatorAction? {
        switch verb {
        case .retry:
            let failedPart = files.selectedId == session.id && parts.rows.contains { $0.status == .failed }
            guard session.status.isFailure || failedPart else { return nil }
            return OperatorAction(verb: .retry, sessionId: session.id, subject: "what failed in '\(session.fileName)'")
        case .cancel:
            guard !session.status.isFinal else { return nil }
            return OperatorAction(verb: .cancel, sessionId: session.id, subject: "file '\(session.fileName)' (\(Format.bytes(session.size)))")
        case .delete:
            return OperatorAction(verb: .delete, sessionId: session.id, subject: "file '\(session.fileName)' (\(Format.bytes(session.size)))")
        }
    }

    /// Why a retry, cancel or delete does nothing here.
    private func nothingToDo(_ command: KeyAction.Command) -> String {
        if table(focus).selectedId == nil { return "nothing selected to \(command.rawValue)" }
        let what = focus == .groups ? "group" : focus == .parts ? "part" : focus == .jobs ? "job" : "file"
        switch command {
        case .retry: return "nothing to retry: this \(what) has nothing that failed"
        case .cancel: return "nothing to cancel: this \(what) has finished"
        default: return "nothing selected to \(command.rawValue)"
        }
    }

    /// Whether a key's action applies to the selection now (the footer offers only those).
    func applies(_ command: KeyAction.Command) -> Bool {
        switch command {
        case .retry, .cancel, .delete: operatorAction(command) != nil
        case .inspect: inspectTarget() != nil
        case .open: focus == .groups || focus == .files ? table(focus).selectedId != nil : inspectTarget() != nil
        case .nextPane, .previousPane: !showingProblems && panesOnScreen.count > 1
        default: true
        }
    }

    /// Moves the focused pane's selection by `delta` rows (clamped), loading what the new
    /// selection shows below it.
    func move(by delta: Int, now: Date) {
        let model = table(focus)
        guard model.count > 0 else { return }
        let current = model.selectedIndex ?? 0
        let target = delta > 0 ? (current > model.count - 1 - delta ? model.count - 1 : current + delta)
            : (current < -delta ? 0 : current + delta)
        let before = model.selectedId
        reloadSelection(now: now) { try model.select(index: target) }
        follow(focus)
        guard model.selectedId != before else { return }
        selectionChanged(in: focus, now: now)
    }

    /// Loads what a new selection shows below it.
    func selectionChanged(in pane: Pane, now: Date) {
        switch pane {
        case .groups:
            scrolls[.files] = TableScroll()
            reloadSelection(now: now) { try self.loadSessions(now: now) }
        case .files:
            reloadSelection(now: now) { try self.loadDetails() }
        default:
            break
        }
    }

    /// Applies a filter to the focused pane and selects its first match.
    func setFilter(_ text: String?, now: Date) {
        let model = table(focus)
        let before = model.selectedId
        reloadSelection(now: now) { try model.setFilter(text) }
        scrolls[focus] = TableScroll()
        follow(focus)
        if model.selectedId != before { selectionChanged(in: focus, now: now) }
        if let text {
            let count = model.count
            let scope = focus == .groups ? " (searched the database)" : ""
            setStatus("filter \"\(text)\": \(Format.count(count)) match\(count == 1 ? "" : "es") in \(focus.title)\(scope) · Esc clears",
                      style: count == 0 ? .error : .normal, now: now)
        } else {
            setStatus("\(focus.title): filter cleared", now: now)
        }
    }

    func reloadSelection(now: Date, _ load: () throws -> Void) {
        do { try load() } catch { setStatus("could not read the database: \(error)", style: .error, now: now) }
    }
}
