/// What one `GET /api/v1/snapshot?view=…` reads: one view per request, each the answer to one
/// question a dashboard asks (a page of groups, a count, a group's files, …), read in one
/// consistent snapshot of the database. The server parses it, `upman top --server` asks with it.
public enum SnapshotView: String, Sendable, Hashable, CaseIterable, Codable {
    /// The most recently active groups and the event id they reflect (`upman top --once`).
    case overview
    /// A page of groups, filtered (`search`, `status`) and sorted (`sort`, `order`).
    case groups
    /// How many groups match the filters (`count`).
    case groupCount
    /// Sums over every visible group (`sums`).
    case sums
    /// A page of one group's files (`groupId`).
    case sessions
    /// A page of one file's parts by number (`sessionId`).
    case parts
    /// One file's processing jobs in run order (`sessionId`).
    case jobs
    /// Events after an id (`after`), oldest first.
    case events
    /// The newest event id the caller may see (every answer carries it; this view reads nothing else).
    case latestEventId
    /// Files in trouble and failed jobs, newest first (`stalledFor`).
    case problems
    /// How many problems there are in all (`count`).
    case problemCount
    /// One entity with its names and history (`groupId`, `sessionId` [+ `partNumber`] or `jobId`).
    case inspect

    /// The most rows one answer of this view holds; a larger `limit` is clamped to it (nil: the view
    /// is not paged).
    public var maximumLimit: Int? {
        switch self {
        case .overview, .groups: 1_000
        case .sessions: 5_000
        case .parts: 10_000
        case .events: 5_000
        case .problems: 2_000
        case .inspect: 1_000
        case .jobs, .groupCount, .sums, .latestEventId, .problemCount: nil
        }
    }

    /// The `limit` when the request names none.
    public var defaultLimit: Int {
        switch self {
        case .overview, .groups: 100
        case .sessions: 500
        case .parts: 10_000
        case .events: 1_000
        case .problems: 500
        case .inspect: 500
        case .jobs, .groupCount, .sums, .latestEventId, .problemCount: 0
        }
    }
}
