import Foundation
import UploadModel
import UploadStore

/// Where the dashboard reads its data: the database (read-only) in practice. Every list is
/// paged or bounded, so the dashboard's memory does not grow with the database.
public protocol DashboardSource {
    /// The most recently active groups (up to `limit`) and the event id they reflect, read
    /// from one snapshot (`upman top --once`).
    func overview(limit: Int) throws -> (groups: [UploadGroup], latestEventId: Int64)
    /// A page of groups in an order, filtered by `query.search` (name or id).
    func groups(_ query: GroupQuery) throws -> [UploadGroup]
    /// How many groups match `search` (all when nil).
    func groupCount(search: String?) throws -> Int
    /// Sums over every group (the header).
    func groupSums() throws -> GroupSums
    /// A group's files.
    func sessions(groupId: String, limit: Int) throws -> [UploadSession]
    /// A file's parts, by number.
    func parts(sessionId: String) throws -> [FilePart]
    /// A file's jobs, in order.
    func jobs(sessionId: String) throws -> [ProcessingJob]
    /// Events after an id, oldest first (for watching the database when the server is away).
    func events(after id: Int64, limit: Int) throws -> [UploadEvent]
    /// The newest event id (cheap: tells whether anything changed).
    func latestEventId() throws -> Int64
    /// Sessions in trouble (FAILED, EXPIRED, quiet since `stalledBefore`) and FAILED jobs across
    /// all groups, newest first: a page of each kind, merged.
    func problems(stalledBefore: Date, limit: Int) throws -> [ProblemRow]
    /// How many problems there are in all.
    func problemCount(stalledBefore: Date) throws -> Int
    /// One entity with its names, storage and history.
    func inspect(_ target: InspectTarget, historyLimit: Int) throws -> Inspection
}
