import Foundation
import UploadModel
import UploadStore

/// The dashboard's state: the panes (each a table that keeps its rows in order as events
/// arrive), the selection, focus, the problems view, the inspector and the input mode. Pure: it
/// reads a `DashboardSource`, takes keys and events, and renders into a `CellGrid`; the
/// terminal and the network live elsewhere. Used from one thread only.
public final class Dashboard {
    /// How many files of one group are listed.
    public static let sessionLimit = 20_000
    /// Seconds without progress after which a moving group or file is shown as stalled.
    public static let stallAfter: TimeInterval = 30
    /// How many problems are read at a time.
    static let problemLimit = 2_000
    /// How many events of an entity's history the inspector reads.
    static let historyLimit = 500

    let source: DashboardSource
    /// Whether retry, cancel and delete are removed.
    public let readOnly: Bool
    /// The server shown in the header.
    public var serverLabel: String
    /// How changes arrive.
    public var connection: ConnectionState = .connecting
    /// The time zone timestamps are shown in (the inspector).
    public var timeZone: TimeZone = .current

    // Panes.
    /// Every pane's table, made from the pane's declaration (``Pane/makeTable(source:)``).
    let tables: [Pane: TableModel]
    /// The panes the selection cascades through, typed.
    var groups: GroupWindow { tables[.groups] as! GroupWindow }
    var files: RowTable<UploadSession> { tables[.files] as! RowTable<UploadSession> }
    var parts: RowTable<FilePart> { tables[.parts] as! RowTable<FilePart> }
    var jobs: RowTable<ProcessingJob> { tables[.jobs] as! RowTable<ProcessingJob> }
    var problems: RowTable<ProblemRow> { tables[.problems] as! RowTable<ProblemRow> }
    /// Problems in all (the header's count), and whether it must be read again.
    var problemCount = 0
    var problemsStale = true
    var problemsReadAt = Date.distantPast
    /// When the problem count must be read again because a session may have stalled by then.
    var problemsDue: Date?
    /// The newest activity of a moving (PENDING, UPLOADING) session seen in an event.
    var latestMovingActivity: Date?
    /// The header's totals over every group, and whether group events made them stale.
    var sums = GroupSums()
    var sumsStale = true
    var sumsReadAt = Date.distantPast
    var countsReadAt = Date.distantPast
    /// Whether the problems view replaces the four panes.
    public internal(set) var showingProblems = false
    /// The inspector, when open.
    var inspector: Inspector?

    /// The last event applied.
    public internal(set) var lastEventId: Int64 = 0
    var groupMeters: [String: RateMeter] = [:]
    var sessionMeters: [String: RateMeter] = [:]
    var throughput = ThroughputHistory()

    // View.
    /// The pane with the focus.
    public internal(set) var focus: Pane = .groups
    /// Where each pane is scrolled.
    var scrolls: [Pane: TableScroll] = [:]
    /// Rows each pane showed at the last frame (for PgUp/PgDn).
    var pageRows: [Pane: Int] = [:]
    /// The panes drawn in the last frame (Tab moves only among these).
    var panesOnScreen: [Pane] = Pane.main
    /// The pane focused before the problems view opened.
    var previousFocus: Pane = .groups
    /// Whether the last frame was too small to lay out (keys other than quit are ignored then).
    var tooSmall = false
    /// The help overlay's first line on screen.
    var helpScroll = 0
    /// What keys mean now.
    public internal(set) var mode: InputMode = .normal
    /// The status line's message.
    public internal(set) var status: StatusMessage?
    /// Set when something changed since the last render.
    public internal(set) var needsRender = true
    /// The soonest time something on screen changes by itself (an age, a speed, a stall),
    /// found while drawing; nil when nothing will.
    public internal(set) var nextChange: Date?

    /// Creates a dashboard over a source and loads the first page. With `deferTotals` the
    /// header's totals and problem count (full scans of the database) are read by the first
    /// ``refresh(now:)`` after the first frame instead, so the first frame comes sooner.
    public convenience init(source: DashboardSource, readOnly: Bool = false, serverLabel: String = "", now: Date = Date(),
                deferTotals: Bool = false) throws {
        self.init(unloaded: source, readOnly: readOnly, serverLabel: serverLabel)
        try reload(now: now, deferTotals: deferTotals)
    }

    /// Creates an empty dashboard over a source that cannot be read yet (a server that is away):
    /// it shows no rows until ``reload(now:deferTotals:)`` succeeds.
    public init(unloaded source: DashboardSource, readOnly: Bool = false, serverLabel: String = "") {
        self.source = source
        self.readOnly = readOnly
        self.serverLabel = serverLabel
        tables = Dictionary(uniqueKeysWithValues: Pane.allCases.map { ($0, $0.makeTable(source: source)) })
    }

    /// Reads everything again from the source (start, and after a `reset` from the server).
    public func reload(now: Date = Date(), deferTotals: Bool = false) throws {
        lastEventId = try source.latestEventId()
        try groups.reload()
        for group in groups.held { groupMeters[group.id, default: RateMeter()].record(value: group.bytesUploaded, at: now) }
        try loadSessions(now: now)
        problemsStale = true
        problemsReadAt = .distantPast
        sumsStale = true
        sumsReadAt = .distantPast
        // Once the stall time has passed, sessions that were moving at the start may be stalled.
        problemsDue = now.addingTimeInterval(Self.stallAfter + 0.5)
        if !deferTotals {
            try refreshProblems(now: now)
            try refreshSums(now: now)
        }
        // Panes on screen that read their own rows (not fed by the selection) read them again.
        for pane in panesOnScreen where !Pane.main.contains(pane) { _ = try table(pane).reloadRows(from: source, now: now) }
        if let inspector { try open(inspector.target, returnTo: inspector.returnFocus) }
        needsRender = true
    }

    /// The table behind a pane.
    func table(_ pane: Pane) -> TableModel { tables[pane]! }

    /// Loads the selected group's files (and the selected file's parts and jobs).
    func loadSessions(now: Date) throws {
        let previous = files.selectedId
        if let group = groups.selected {
            let rows = try source.sessions(groupId: group.id, limit: Self.sessionLimit)
            files.replaceAll(rows)
            files.unlisted = max(0, group.totalFiles - rows.count)
            for session in rows { sessionMeters[session.id, default: RateMeter()].record(value: session.bytesUploaded, at: now) }
        } else {
            files.replaceAll([])
            files.unlisted = 0
        }
        files.select(id: previous)
        if files.selectedId != previous { scrolls[.files] = TableScroll() }
        try loadDetails()
    }

    /// Loads the selected file's parts and jobs.
    func loadDetails() throws {
        let (part, job) = (parts.selectedId, jobs.selectedId)
        if let sessionId = files.selectedId {
            parts.replaceAll(try source.parts(sessionId: sessionId))
            jobs.replaceAll(try source.jobs(sessionId: sessionId))
        } else {
            parts.replaceAll([])
            jobs.replaceAll([])
        }
        parts.select(id: part)
        jobs.select(id: job)
        if parts.selectedId != part { scrolls[.parts] = TableScroll() }
        if jobs.selectedId != job { scrolls[.jobs] = TableScroll() }
    }

    /// Reads the problems (when shown) and their count again: at most once a second when events
    /// made them stale, and when a moving session seen last may have become stalled by time
    /// (`problemsDue`); never on a timer while nothing happens.
    func refreshProblems(now: Date) throws {
        let due = problemsDue.map { $0 <= now } ?? false
        guard (problemsStale && now.timeIntervalSince(problemsReadAt) >= 1) || due else { return }
        problemsStale = false
        problemsReadAt = now
        if due { problemsDue = latestMovingActivity.map { $0.addingTimeInterval(Self.stallAfter + 0.5) }.flatMap { $0 > now ? $0 : nil } }
        let cutoff = now.addingTimeInterval(-Self.stallAfter)
        let count = try source.problemCount(stalledBefore: cutoff)
        if count != problemCount { problemCount = count; needsRender = true }
        if showingProblems, try problems.reloadRows(from: source, now: now) {
            problems.unlisted = max(0, count - problems.all.count)
            needsRender = true
        }
    }

    /// Reads the header's totals again when group events made them stale (at most once a second).
    func refreshSums(now: Date) throws {
        guard sumsStale, now.timeIntervalSince(sumsReadAt) >= 1 else { return }
        sumsStale = false
        sumsReadAt = now
        let read = try source.groupSums()
        if read != sums { sums = read; needsRender = true }
    }

    /// Work the loop does between frames: counts, totals and problems read again when events
    /// made them stale (coalesced: at most once a second) or time made them due.
    @discardableResult
    public func refresh(now: Date = Date()) throws -> Bool {
        let before = needsRender
        if groups.needsCount, now.timeIntervalSince(countsReadAt) >= 1 {
            countsReadAt = now
            try groups.recount()
            needsRender = true
        }
        try refreshSums(now: now)
        try refreshProblems(now: now)
        return needsRender && !before
    }

    /// When ``refresh(now:)`` next has reading to do (nil: nothing until an event arrives).
    public var nextRead: Date? {
        var times: [Date] = []
        if groups.needsCount { times.append(countsReadAt.addingTimeInterval(1)) }
        if sumsStale { times.append(sumsReadAt.addingTimeInterval(1)) }
        if problemsStale { times.append(problemsReadAt.addingTimeInterval(1)) }
        if let problemsDue { times.append(problemsDue) }
        return times.min()
    }

    /// The selected group, if any.
    public var selectedGroup: UploadGroup? { groups.selected }
    /// The selected group's id.
    public var selectedGroupId: String? { groups.selectedId }
    /// The selected file, if any.
    public var selectedSession: UploadSession? { files.selected }
    /// The selected file's id.
    public var selectedSessionId: String? { files.selectedId }
    /// The selected part, if any.
    public var selectedPart: FilePart? { parts.selected }
    /// The selected job, if any.
    public var selectedJob: ProcessingJob? { jobs.selected }
    /// What the inspector shows, when open.
    public var inspecting: InspectTarget? { inspector?.target }

    /// Sets the status line.
    public func setStatus(_ text: String, style: Style = .normal, now: Date = Date()) {
        status = StatusMessage(text, style: style, time: now)
        needsRender = true
    }

    /// Sets how changes arrive.
    public func setConnection(_ state: ConnectionState) {
        guard state != connection else { return }
        connection = state
        needsRender = true
    }

    /// Marks the dashboard drawn.
    public func rendered() {
        needsRender = false
    }

    /// Makes a pane's view follow its selection at the next frame (a key moved it).
    func follow(_ pane: Pane) {
        scrolls[pane, default: TableScroll()].followSelection = true
    }

    /// Records that something on screen changes by itself at `time`.
    func noteChange(at time: Date) {
        if nextChange.map({ time < $0 }) ?? true { nextChange = time }
    }

    /// An age for the screen (`45s`, `12m`, `3h`), noting when it will read differently.
    func age(from date: Date, now: Date) -> String {
        let seconds = max(0, now.timeIntervalSince(date))
        let unit: Double = seconds < 60 ? 1 : seconds < 3600 ? 60 : seconds < 86_400 ? 3600 : 86_400
        noteChange(at: date.addingTimeInterval((floor(seconds / unit) + 1) * unit))
        return Format.duration(seconds)
    }

    static func fraction(_ done: Int64, _ total: Int64) -> Double {
        total <= 0 ? 0 : Double(done) / Double(total)
    }
}
