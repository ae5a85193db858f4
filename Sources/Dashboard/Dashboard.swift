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
            let filter = filters[.groups]?.lowercased() ?? ""
            var list = filter.isEmpty ? Array(groupsById.values) : groupsById.values.filter {
                $0.name.lowercased().contains(filter) || $0.id.lowercased().contains(filter)
                    || $0.status.rawValue.lowercased().contains(filter)
            }
            let order = sorts[.groups]!
            list.sort { a, b in
                let ascending: Bool
                switch order.column {
                case "name": ascending = a.name.lowercased() != b.name.lowercased() ? a.name.lowercased() < b.name.lowercased() : a.id < b.id
                case "status": ascending = a.status.rawValue != b.status.rawValue ? a.status.rawValue < b.status.rawValue : a.id < b.id
                case "progress": ascending = Self.fraction(a.bytesUploaded, a.totalBytes) != Self.fraction(b.bytesUploaded, b.totalBytes)
                    ? Self.fraction(a.bytesUploaded, a.totalBytes) < Self.fraction(b.bytesUploaded, b.totalBytes) : a.id < b.id
                case "size": ascending = a.totalBytes != b.totalBytes ? a.totalBytes < b.totalBytes : a.id < b.id
                case "errors": ascending = a.failedFiles != b.failedFiles ? a.failedFiles < b.failedFiles : a.id < b.id
                case "created": ascending = a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.id < b.id
                default: ascending = a.lastActivityAt != b.lastActivityAt ? a.lastActivityAt < b.lastActivityAt : a.id < b.id
                }
                return order.descending ? !ascending : ascending
            }
            visibleGroups = list
            groupsDirty = false
        }
        return visibleGroups
    }

    /// The selected group's files in the pane's order and filter.
    func orderedSessions() -> [UploadSession] {
        if sessionsDirty {
            let filter = filters[.files]?.lowercased() ?? ""
            var list = filter.isEmpty ? sessions : sessions.filter {
                $0.fileName.lowercased().contains(filter) || $0.id.lowercased().contains(filter)
                    || $0.status.rawValue.lowercased().contains(filter)
            }
            let order = sorts[.files]!
            list.sort { a, b in
                let ascending: Bool
                switch order.column {
                case "name": ascending = a.fileName.lowercased() != b.fileName.lowercased() ? a.fileName.lowercased() < b.fileName.lowercased() : a.id < b.id
                case "status": ascending = a.status.rawValue != b.status.rawValue ? a.status.rawValue < b.status.rawValue : a.id < b.id
                case "progress": ascending = Self.fraction(a.bytesUploaded, a.size) != Self.fraction(b.bytesUploaded, b.size)
                    ? Self.fraction(a.bytesUploaded, a.size) < Self.fraction(b.bytesUploaded, b.size) : a.id < b.id
                case "size": ascending = a.size != b.size ? a.size < b.size : a.id < b.id
                case "activity": ascending = a.lastActivityAt != b.lastActivityAt ? a.lastActivityAt < b.lastActivityAt : a.id < b.id
                default: ascending = a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.id < b.id
                }
                return order.descending ? !ascending : ascending
            }
            visibleSessions = list
            sessionsDirty = false
        }
        return visibleSessions
    }

    /// The selected file's parts in the pane's order and filter.
    func orderedParts() -> [FilePart] {
        if partsDirty {
            let filter = filters[.parts]?.lowercased() ?? ""
            var list = filter.isEmpty ? parts : parts.filter {
                String($0.partNumber) == filter || $0.status.rawValue.lowercased().contains(filter)
                    || ($0.error?.message.lowercased().contains(filter) ?? false)
            }
            let order = sorts[.parts]!
            list.sort { a, b in
                let ascending: Bool
                switch order.column {
                case "status": ascending = a.status.rawValue != b.status.rawValue ? a.status.rawValue < b.status.rawValue : a.partNumber < b.partNumber
                case "attempts": ascending = a.attempts != b.attempts ? a.attempts < b.attempts : a.partNumber < b.partNumber
                default: ascending = a.partNumber < b.partNumber
                }
                return order.descending ? !ascending : ascending
            }
            visibleParts = list
            partsDirty = false
        }
        return visibleParts
    }

    /// The selected file's jobs in the pane's order and filter.
    func orderedJobs() -> [ProcessingJob] {
        if jobsDirty {
            let filter = filters[.jobs]?.lowercased() ?? ""
            var list = filter.isEmpty ? jobs : jobs.filter {
                $0.kind.lowercased().contains(filter) || $0.status.rawValue.lowercased().contains(filter)
            }
            let order = sorts[.jobs]!
            list.sort { a, b in
                let ascending: Bool
                switch order.column {
                case "status": ascending = a.status.rawValue != b.status.rawValue ? a.status.rawValue < b.status.rawValue : a.position < b.position
                case "kind": ascending = a.kind != b.kind ? a.kind < b.kind : a.position < b.position
                default: ascending = a.position != b.position ? a.position < b.position : a.id < b.id
                }
                return order.descending ? !ascending : ascending
            }
            visibleJobs = list
            jobsDirty = false
        }
        return visibleJobs
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
