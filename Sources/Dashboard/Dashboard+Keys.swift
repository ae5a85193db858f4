import Foundation
import UploadModel

extension Dashboard {
    /// Handles one key and returns what the host must do (send an action, quit, repaint).
    public func handle(_ key: Key, now: Date = Date()) -> [DashboardEffect] {
        needsRender = true
        if key == .interrupt { return [.quit] }
        if key == .repaint { return [.repaint] }
        switch mode {
        case .help:
            mode = .normal
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
        guard let action = KeyAction.action(for: key) else { return [] }
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
        case .nextPane: focus = focus.next
        case .previousPane: focus = focus.previous
        case .open: if focus != .jobs { focus = focus.next }
        case .back: if focus != .groups { focus = focus.previous }
        case .filter: mode = .filtering(filters[focus] ?? "")
        case .sort:
            sorts[focus] = sorts[focus]!.next(in: focus)
            markDirty(focus)
            setStatus("\(focus.title) sorted by \(sorts[focus]!.label)", now: now)
        case .reverse:
            sorts[focus]!.descending.toggle()
            markDirty(focus)
            setStatus("\(focus.title) sorted by \(sorts[focus]!.label)", now: now)
        case .help: mode = .help
        case .quit: return [.quit]
        case .retry, .cancel, .delete:
            guard let operation = operatorAction(action.command) else {
                setStatus("nothing selected to \(action.short)", style: .error, now: now)
                return []
            }
            if action.confirms {
                mode = .confirming(operation)
                return []
            }
            setStatus("\(operation.verb.rawValue): sending for \(operation.subject)…", now: now)
            return [.perform(operation)]
        }
        return []
    }

    /// The operator action a key means for the focused pane's selection.
    func operatorAction(_ command: KeyAction.Command) -> OperatorAction? {
        let verb: OperatorAction.Verb
        switch command {
        case .retry: verb = .retry
        case .cancel: verb = .cancel
        case .delete: verb = .delete
        default: return nil
        }
        if focus == .groups || (verb != .retry && selectedSession == nil && focus != .groups) {
            guard let group = selectedGroup else { return nil }
            let files = "\(group.totalFiles) file\(group.totalFiles == 1 ? "" : "s")"
            let subject = verb == .retry ? "everything failed in group '\(group.name)'" : "group '\(group.name)' (\(files))"
            return OperatorAction(verb: verb, groupId: group.id, subject: subject)
        }
        guard let session = selectedSession else { return nil }
        if verb == .retry {
            switch focus {
            case .parts:
                guard let part = selectedPart else { return nil }
                return OperatorAction(verb: .retry, sessionId: session.id, partNumbers: [part.partNumber],
                                      subject: "part \(part.partNumber) of '\(session.fileName)'")
            case .jobs:
                guard let job = selectedJob else { return nil }
                return OperatorAction(verb: .retry, jobId: job.id, subject: "\(job.kind) job of '\(session.fileName)'")
            default:
                return OperatorAction(verb: .retry, sessionId: session.id, subject: "failed parts of '\(session.fileName)'")
            }
        }
        return OperatorAction(verb: verb, sessionId: session.id, subject: "file '\(session.fileName)' (\(Format.bytes(session.size)))")
    }

    /// Moves the focused pane's selection by `delta` rows (clamped), loading what the new
    /// selection shows below it.
    func move(by delta: Int, now: Date) {
        switch focus {
        case .groups:
            let list = orderedGroups()
            guard let index = clampedIndex(list.firstIndex { $0.id == selectedGroupId }, delta, list.count) else { return }
            guard list[index].id != selectedGroupId else { return }
            selectedGroupId = list[index].id
            selectedSessionId = nil
            scroll[.files] = 0
            reloadSelection(now: now) { try self.loadSessions(now: now) }
        case .files:
            let list = orderedSessions()
            guard let index = clampedIndex(list.firstIndex { $0.id == selectedSessionId }, delta, list.count) else { return }
            guard list[index].id != selectedSessionId else { return }
            selectedSessionId = list[index].id
            selectedPartNumber = nil
            selectedJobId = nil
            reloadSelection(now: now) { try self.loadDetails() }
        case .parts:
            let list = orderedParts()
            guard let index = clampedIndex(list.firstIndex { $0.partNumber == selectedPartNumber }, delta, list.count) else { return }
            selectedPartNumber = list[index].partNumber
        case .jobs:
            let list = orderedJobs()
            guard let index = clampedIndex(list.firstIndex { $0.id == selectedJobId }, delta, list.count) else { return }
            selectedJobId = list[index].id
        }
    }

    /// Applies a filter to the focused pane and selects its first match.
    func setFilter(_ text: String?, now: Date) {
        filters[focus] = text
        markDirty(focus)
        scroll[focus] = 0
        switch focus {
        case .groups:
            if let first = orderedGroups().first, first.id != selectedGroupId {
                selectedGroupId = first.id
                selectedSessionId = nil
                reloadSelection(now: now) { try self.loadSessions(now: now) }
            }
        case .files:
            if let first = orderedSessions().first, first.id != selectedSessionId {
                selectedSessionId = first.id
                selectedPartNumber = nil
                selectedJobId = nil
                reloadSelection(now: now) { try self.loadDetails() }
            }
        case .parts:
            selectedPartNumber = orderedParts().first?.partNumber ?? selectedPartNumber
        case .jobs:
            selectedJobId = orderedJobs().first?.id ?? selectedJobId
        }
        if let text {
            let count = switch focus {
            case .groups: orderedGroups().count
            case .files: orderedSessions().count
            case .parts: orderedParts().count
            case .jobs: orderedJobs().count
            }
            setStatus("filter \"\(text)\": \(Format.count(count)) match\(count == 1 ? "" : "es") in \(focus.title)",
                      style: count == 0 ? .error : .normal, now: now)
        } else {
            setStatus("\(focus.title): filter cleared", now: now)
        }
    }

    func markDirty(_ pane: Pane) {
        switch pane {
        case .groups: groupsDirty = true
        case .files: sessionsDirty = true
        case .parts: partsDirty = true
        case .jobs: jobsDirty = true
        }
    }

    private func reloadSelection(now: Date, _ load: () throws -> Void) {
        do { try load() } catch { setStatus("could not read the database: \(error)", style: .error, now: now) }
    }

    private func clampedIndex(_ current: Int?, _ delta: Int, _ count: Int) -> Int? {
        guard count > 0 else { return nil }
        let start = current ?? 0
        let target = delta > 0 ? (start > count - 1 - delta ? count - 1 : start + delta) : (start < -delta ? 0 : start + delta)
        return min(count - 1, max(0, target))
    }
}
