import Foundation
import UploadModel

extension Dashboard {
    /// Opens the inspector on a target, read from the source; Esc returns to `pane`.
    func open(_ target: InspectTarget, returnTo pane: Pane) throws {
        let inspection = try source.inspect(target, historyLimit: Self.historyLimit)
        let scroll = inspector?.target == target ? inspector!.scroll : 0
        inspector = Inspector(target: target, inspection: inspection, returnFocus: pane, scroll: scroll)
        needsRender = true
    }

    /// The inspector's target for the focused pane's selection.
    func inspectTarget() -> InspectTarget? {
        switch focus {
        case .groups: groups.selectedId.map { .group($0) }
        case .files: files.selectedId.map { .session($0) }
        case .parts: parts.selected.map { .part(sessionId: $0.sessionId, partNumber: $0.partNumber) }
        case .jobs: jobs.selectedId.map { .job($0) }
        case .problems:
            switch problems.selected?.subject {
            case .session(let session): .session(session.id)
            case .job(let job): .job(job.id)
            case nil: nil
            }
        }
    }

    /// Keeps the open inspector live: an event about its entity replaces the entity and adds
    /// to its history.
    func inspectorSaw(_ event: UploadEvent, change: EntityChange) {
        guard var open = inspector else { return }
        // A part or job goes with its file.
        if case .deleted(let gone) = change, gone.kind == .session || gone.kind == .group, open.entityId != event.entityId {
            let sessionId: String? = switch open.inspection.entity {
            case .part(let part): part.sessionId
            case .job(let job): job.sessionId
            default: nil
            }
            let groupId: String? = switch open.inspection.entity {
            case .session(let session): session.groupId
            case .part(let part): part.groupId
            case .job(let job): job.groupId
            default: nil
            }
            if gone.id == sessionId || (gone.kind == .group && gone.id == groupId) {
                open.inspection.entity = nil
                inspector = open
            }
            return
        }
        guard event.entityId == open.entityId else { return }
        switch change {
        case .group(let group): open.inspection.entity = .group(group)
        case .session(let session): open.inspection.entity = .session(session)
        case .part(let part): open.inspection.entity = .part(part)
        case .job(let job): open.inspection.entity = .job(job)
        case .deleted: open.inspection.entity = nil
        }
        open.inspection.history.append(event)
        if open.inspection.history.count > Self.historyLimit { open.inspection.history.removeFirst() }
        inspector = open
    }

    /// The operator action a key means for what the inspector shows, nil when it does not apply.
    func inspectorAction(_ command: KeyAction.Command) -> OperatorAction? {
        guard let open = inspector, let entity = open.inspection.entity else { return nil }
        guard let verb = OperatorAction.Verb(command) else { return nil }
        let file = open.inspection.fileName ?? "?"
        switch entity {
        case .group(let group): return action(verb, on: group)
        case .session(let session): return action(verb, on: session)
        case .part(let part): return action(verb, on: part, fileName: file)
        case .job(let job): return action(verb, on: job, fileName: file)
        }
    }

    /// Keys while the inspector is open: scrolling, `r`/`c`/`d` on what it shows, Esc back.
    func handleInspectorKey(_ key: Key, now: Date) -> [DashboardEffect] {
        guard var open = inspector else { return [] }
        let page = max(1, open.pageLines - 1)
        switch KeyAction.action(for: key)?.command {
        case .up: open.scroll -= 1
        case .down: open.scroll += 1
        case .pageUp: open.scroll -= page
        case .pageDown: open.scroll += page
        case .first: open.scroll = 0
        case .last: open.scroll = Int.max / 2
        case .back, .inspect:
            inspector = nil
            focus = open.returnFocus
            return []
        case .quit: return [.quit]
        case .help:
            mode = .help
            return []
        case .retry, .cancel, .delete:
            if readOnly {
                setStatus("read-only: \(KeyAction.action(for: key)!.short) is disabled (started with --readonly)", style: .error, now: now)
                return []
            }
            let command = KeyAction.action(for: key)!
            // Acts on what the inspector shows (which may no longer be the selected row).
            guard let operation = inspectorAction(command.command) else {
                setStatus(open.inspection.entity == nil ? "it no longer exists: nothing to \(command.short)"
                          : "nothing to \(command.short) here", style: .error, now: now)
                return []
            }
            return request(operation, confirming: command.confirms, now: now)
        default:
            setStatus("in the inspector: ↑/↓ PgUp/PgDn scroll · Esc or i goes back · ? help", now: now)
            return []
        }
        open.scroll = max(0, open.scroll)
        inspector = open
        return []
    }
}
