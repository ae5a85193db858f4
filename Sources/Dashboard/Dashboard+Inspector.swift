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
        guard var open = inspector, event.entityId == open.entityId else { return }
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
            // Acts on what is inspected, as from its own pane.
            let saved = focus
            focus = open.returnFocus
            let effects = handleNormal(key, now: now)
            focus = saved
            return effects
        default:
            setStatus("in the inspector: ↑/↓ PgUp/PgDn scroll · Esc or i goes back · ? help", now: now)
            return []
        }
        open.scroll = max(0, open.scroll)
        inspector = open
        return []
    }
}
