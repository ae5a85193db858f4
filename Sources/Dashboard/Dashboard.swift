import Foundation
import UploadModel

/// The dashboard's state: the data it shows (kept live by events), the selection, focus,
/// filters and sorts, and the input mode. Pure: it reads a `DashboardSource`, takes keys and
/// events, and renders into a `CellGrid`; the terminal and the network live elsewhere.
/// Used from one thread only.
public final class Dashboard {
    /// How many groups are kept in memory (the most recently active).
    public static let groupLimit = 50_000
    /// How many files of one group are listed.
    public static let sessionLimit = 20_000
    /// Seconds without progress after which a moving group or file is shown as stalled.
    public static let stallAfter: TimeInterval = 30

    let source: DashboardSource
    /// Whether retry, cancel and delete are removed.
    public let readOnly: Bool
    /// The server shown in the header.
    public var serverLabel: String
    /// How changes arrive.
    public var connection: ConnectionState = .connecting

    // Data.
    var groupsById: [String: UploadGroup] = [:]
    var visibleGroups: [UploadGroup] = []
    var groupsDirty = true
    var sessions: [UploadSession] = []
    var visibleSessions: [UploadSession] = []
    var sessionsDirty = true
    var parts: [FilePart] = []
    var visibleParts: [FilePart] = []
    var partsDirty = true
    var jobs: [ProcessingJob] = []
    var visibleJobs: [ProcessingJob] = []
    var jobsDirty = true
    /// The last event applied.
    public internal(set) var lastEventId: Int64 = 0
    var groupMeters: [String: RateMeter] = [:]
    var sessionMeters: [String: RateMeter] = [:]
    var throughput = ThroughputHistory()

    // Selection and view.
    /// The pane with the focus.
    public internal(set) var focus: Pane = .groups
    /// The selected group's id.
    public internal(set) var selectedGroupId: String?
    /// The selected file's id.
    public internal(set) var selectedSessionId: String?
    var selectedPartNumber: Int?
    var selectedJobId: String?
    var scroll: [Pane: Int] = [:]
    var pageRows: [Pane: Int] = [:]
    var filters: [Pane: String] = [:]
    var sorts: [Pane: SortOrder] = Dictionary(uniqueKeysWithValues: Pane.allCases.map { ($0, SortOrder.defaultOrder(of: $0)) })
    /// What keys mean now.
    public internal(set) var mode: InputMode = .normal
    /// The status line's message.
    public internal(set) var status: StatusMessage?
    /// Set when something changed since the last render.
    public internal(set) var needsRender = true

    /// Creates a dashboard over a source and loads the first snapshot.
    public init(source: DashboardSource, readOnly: Bool = false, serverLabel: String = "", now: Date = Date()) throws {
        self.source = source
        self.readOnly = readOnly
        self.serverLabel = serverLabel
        try reload(now: now)
    }

    /// Reads everything again from the source (start, and after a `reset` from the server).
    public func reload(now: Date = Date()) throws {
        let overview = try source.overview(limit: Self.groupLimit)
        groupsById = Dictionary(overview.groups.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for group in overview.groups { groupMeters[group.id, default: RateMeter()].record(value: group.bytesUploaded, at: now) }
        lastEventId = overview.latestEventId
        groupsDirty = true
        if selectedGroupId == nil || groupsById[selectedGroupId!] == nil {
            selectedGroupId = orderedGroups().first?.id
        }
        try loadSessions(now: now)
        needsRender = true
    }

    /// The groups in the pane's order and filter.
    func orderedGroups() -> [UploadGroup] {
        if groupsDirty {
            visibleGroups = arrange(Array(groupsById.values), pane: .groups, matches: { group, text in
                group.name.lowercased().contains(text) || group.id.lowercased().contains(text)
                    || group.status.rawValue.lowercased().contains(text)
            }, ascending: { a, b, column in
                let tie = a.id < b.id
                switch column {
                case "name": return Self.before(a.name.lowercased(), b.name.lowercased(), tie)
                case "status": return Self.before(a.status.rawValue, b.status.rawValue, tie)
                case "progress": return Self.before(Self.fraction(a.bytesUploaded, a.totalBytes), Self.fraction(b.bytesUploaded, b.totalBytes), tie)
                case "size": return Self.before(a.totalBytes, b.totalBytes, tie)
                case "errors": return Self.before(a.failedFiles, b.failedFiles, tie)
                case "created": return Self.before(a.createdAt, b.createdAt, tie)
                default: return Self.before(a.lastActivityAt, b.lastActivityAt, tie)
                }
            })
            groupsDirty = false
        }
        return visibleGroups
    }

    /// The selected group's files in the pane's order and filter.
    func orderedSessions() -> [UploadSession] {
        if sessionsDirty {
            visibleSessions = arrange(sessions, pane: .files, matches: { session, text in
                session.fileName.lowercased().contains(text) || session.id.lowercased().contains(text)
                    || session.status.rawValue.lowercased().contains(text)
            }, ascending: { a, b, column in
                let tie = a.id < b.id
                switch column {
                case "name": return Self.before(a.fileName.lowercased(), b.fileName.lowercased(), tie)
                case "status": return Self.before(a.status.rawValue, b.status.rawValue, tie)
                case "progress": return Self.before(Self.fraction(a.bytesUploaded, a.size), Self.fraction(b.bytesUploaded, b.size), tie)
                case "size": return Self.before(a.size, b.size, tie)
                case "activity": return Self.before(a.lastActivityAt, b.lastActivityAt, tie)
                default: return Self.before(a.createdAt, b.createdAt, tie)
                }
            })
            sessionsDirty = false
        }
        return visibleSessions
    }

    /// The selected file's parts in the pane's order and filter.
    func orderedParts() -> [FilePart] {
        if partsDirty {
            visibleParts = arrange(parts, pane: .parts, matches: { part, text in
                String(part.partNumber) == text || part.status.rawValue.lowercased().contains(text)
                    || (part.error?.message.lowercased().contains(text) ?? false)
            }, ascending: { a, b, column in
                let tie = a.partNumber < b.partNumber
                switch column {
                case "status": return Self.before(a.status.rawValue, b.status.rawValue, tie)
                case "attempts": return Self.before(a.attempts, b.attempts, tie)
                default: return tie
                }
            })
            partsDirty = false
        }
        return visibleParts
    }

    /// The selected file's jobs in the pane's order and filter.
    func orderedJobs() -> [ProcessingJob] {
        if jobsDirty {
            visibleJobs = arrange(jobs, pane: .jobs, matches: { job, text in
                job.kind.lowercased().contains(text) || job.status.rawValue.lowercased().contains(text)
            }, ascending: { a, b, column in
                switch column {
                case "status": return Self.before(a.status.rawValue, b.status.rawValue, a.position < b.position)
                case "kind": return Self.before(a.kind, b.kind, a.position < b.position)
                default: return Self.before(a.position, b.position, a.id < b.id)
                }
            })
            jobsDirty = false
        }
        return visibleJobs
    }

    /// A pane's rows: those matching its filter (lowercased), in its sort order.
    private func arrange<Row>(
        _ rows: [Row], pane: Pane, matches: (Row, String) -> Bool, ascending: (Row, Row, String) -> Bool
    ) -> [Row] {
        let filter = filters[pane]?.lowercased() ?? ""
        var list = filter.isEmpty ? rows : rows.filter { matches($0, filter) }
        let order = sorts[pane]!
        list.sort { a, b in order.descending ? !ascending(a, b, order.column) : ascending(a, b, order.column) }
        return list
    }

    /// Whether `x` sorts before `y`, with `tie` deciding equal keys.
    private static func before<Key: Comparable>(_ x: Key, _ y: Key, _ tie: Bool) -> Bool {
        x != y ? x < y : tie
    }

    /// Loads the selected group's files (and the selected file's parts and jobs).
    func loadSessions(now: Date) throws {
        if let groupId = selectedGroupId {
            sessions = try source.sessions(groupId: groupId, limit: Self.sessionLimit)
            for session in sessions { sessionMeters[session.id, default: RateMeter()].record(value: session.bytesUploaded, at: now) }
        } else {
            sessions = []
        }
        sessionsDirty = true
        if selectedSessionId == nil || !sessions.contains(where: { $0.id == selectedSessionId }) {
            selectedSessionId = orderedSessions().first?.id
            scroll[.files] = 0
        }
        try loadDetails()
    }

    /// Loads the selected file's parts and jobs.
    func loadDetails() throws {
        if let sessionId = selectedSessionId {
            parts = try source.parts(sessionId: sessionId)
            jobs = try source.jobs(sessionId: sessionId)
        } else {
            parts = []
            jobs = []
        }
        partsDirty = true
        jobsDirty = true
        if selectedPartNumber == nil || !parts.contains(where: { $0.partNumber == selectedPartNumber }) {
            selectedPartNumber = orderedParts().first?.partNumber
            scroll[.parts] = 0
        }
        if selectedJobId == nil || !jobs.contains(where: { $0.id == selectedJobId }) {
            selectedJobId = orderedJobs().first?.id
            scroll[.jobs] = 0
        }
    }

    /// The selected group, if any.
    public var selectedGroup: UploadGroup? { selectedGroupId.flatMap { groupsById[$0] } }
    /// The selected file, if any.
    public var selectedSession: UploadSession? { sessions.first { $0.id == selectedSessionId } }
    /// The selected part, if any.
    public var selectedPart: FilePart? { parts.first { $0.partNumber == selectedPartNumber } }
    /// The selected job, if any.
    public var selectedJob: ProcessingJob? { jobs.first { $0.id == selectedJobId } }

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

    static func fraction(_ done: Int64, _ total: Int64) -> Double {
        total <= 0 ? 0 : Double(done) / Double(total)
    }
}
