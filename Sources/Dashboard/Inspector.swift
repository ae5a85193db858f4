import Foundation
import UploadModel

/// The open inspector: what it shows, what was read, where the operator came from, and how far
/// the text is scrolled.
struct Inspector {
    /// What is inspected.
    var target: InspectTarget
    /// What was read (kept live by events).
    var inspection: Inspection {
        didSet { history = HistoryEntry.entries(inspection.history) }
    }
    /// The history's lines, decoded once per change rather than once per frame.
    private(set) var history: [HistoryEntry] = []
    /// The pane to return to with Esc.
    var returnFocus: Pane
    /// The first line on screen.
    var scroll = 0
    /// Lines that fit on screen at the last frame (for PgUp/PgDn).
    var pageLines = 10

    /// An inspector over what was read.
    init(target: InspectTarget, inspection: Inspection, returnFocus: Pane, scroll: Int = 0) {
        self.target = target
        self.inspection = inspection
        self.returnFocus = returnFocus
        self.scroll = scroll
        history = HistoryEntry.entries(inspection.history)
    }

    /// The id the event log knows the entity by.
    var entityId: String {
        switch target {
        case .group(let id), .session(let id), .job(let id): id
        case .part(let sessionId, let number): FilePart.makeId(sessionId: sessionId, partNumber: number)
        }
    }
}
