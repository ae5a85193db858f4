import Foundation
import UploadModel
import UploadStore

/// The query of one `GET /api/v1/snapshot`, parsed and checked before anything is read.
///
/// A value the document's schema refuses (an unknown `view`, `sort` or `order`, a number that is not
/// digits) is 400 `badRequest`; a well-formed request that does not fit
/// its view (no `groupId` for `sessions`, a group sort for files, an unknown status) is 422
/// `invalidArgument`, as the controller answers its bodies. `limit` is clamped to the view's
/// ``SnapshotView/maximumLimit``, never refused for being large.
struct SnapshotRequest: Sendable, Hashable {
    /// The view.
    var view: SnapshotView
    /// Only rows whose name (a group's also its id) contains this text.
    var search: String?
    /// Only rows with one of these statuses (raw values; checked against the view's status type).
    var statuses: Set<String> = []
    /// The order's name, when given.
    var sort: String?
    /// Whether the order runs backwards; nil for the list's standard direction.
    var descending: Bool?
    /// Rows to skip.
    var offset = 0
    /// Rows at most (already clamped).
    var limit: Int
    /// A group (`sessions`, `events`, `inspect`).
    var groupId: String?
    /// A file (`parts`, `jobs`, `inspect`).
    var sessionId: String?
    /// A job (`inspect`).
    var jobId: String?
    /// A part of `sessionId` (`inspect`).
    var partNumber: Int?
    /// Events after this id (`events`).
    var after: Int64 = 0
    /// Moving files quiet since before this time are stalled (`problems`, `problemCount`): `stalledFor`
    /// seconds before the server's clock, so a client's clock does not matter.
    var stalledBefore: Date

    /// Every order a list of groups or files knows (the document's `sort` enum).
    static let sortNames: [String] = {
        var names = GroupSort.allCases.map(\.rawValue)
        for name in SessionSort.allCases.map(\.rawValue) where !names.contains(name) { names.append(name) }
        return names
    }()

    /// How long a moving file may be quiet before it counts as stalled, when `stalledFor` is not given.
    static let stallAfter = 30
    /// The longest `stalledFor` taken (about 31 years); more is clamped, so the cut-off stays a time
    /// the database's milliseconds can hold.
    static let longestStall = 1_000_000_000

    /// Parses `query` (the request's parameters; the first of repeated ones counts) at `now`.
    init(query: [String: String], now: Date = Date()) throws {
        guard let name = query["view"], !name.isEmpty else {
            throw UploadError(.badRequest, "query parameter 'view' is missing; one of: \(Self.viewNames)")
        }
        guard let view = SnapshotView(rawValue: name) else {
            throw UploadError(.badRequest, "unknown view '\(name)'; one of: \(Self.viewNames)")
        }
        self.view = view
        search = query["search"].flatMap { $0.isEmpty ? nil : $0 }
        if let text = query["status"], !text.isEmpty {
            statuses = Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        if let sort = query["sort"] {
            guard Self.sortNames.contains(sort) else {
                throw UploadError(.badRequest, "unknown sort '\(sort)'; one of: \(Self.sortNames.joined(separator: ", "))")
            }
            self.sort = sort
        }
        switch query["order"] {
        case nil: descending = nil
        case "asc": descending = false
        case "desc": descending = true
        case let other?: throw UploadError(.badRequest, "order must be asc or desc, not '\(other)'")
        }
        offset = try Self.number("offset", query) ?? 0
        let asked = try Self.number("limit", query) ?? view.defaultLimit
        limit = view.maximumLimit.map { min(asked, $0) } ?? asked
        groupId = Self.identifier(query["groupId"])
        sessionId = Self.identifier(query["sessionId"])
        jobId = Self.identifier(query["jobId"])
        partNumber = try Self.number("partNumber", query)
        after = Int64(try Self.number("after", query) ?? 0)
        let quiet = min(try Self.number("stalledFor", query) ?? Self.stallAfter, Self.longestStall)
        stalledBefore = now.addingTimeInterval(-TimeInterval(quiet))
        try checkFitsView()
    }

    /// The view's own needs: the ids it reads by, and its sorts and statuses.
    private func checkFitsView() throws {
        switch view {
        case .sessions:
            guard groupId != nil else { throw UploadError(.invalidArgument, "view 'sessions' needs groupId") }
            _ = try sessionQuery(userId: nil)
        case .groups, .groupCount, .overview:
            _ = try groupQuery(userId: nil)
        case .parts, .jobs:
            guard sessionId != nil else { throw UploadError(.invalidArgument, "view '\(view.rawValue)' needs sessionId") }
        case .inspect:
            _ = try inspectTarget()
        case .problems:
            guard offset == 0 else {
                throw UploadError(.invalidArgument, "view 'problems' is not paged by offset: it lists the newest `limit` (count them with problemCount)")
            }
        case .sums, .events, .latestEventId, .problemCount:
            break
        }
    }

    /// The groups' query (`groups`, `groupCount`; `overview` always lists the most recently active first).
    func groupQuery(userId: String?) throws -> GroupQuery {
        var query = GroupQuery(statuses: try Self.statuses(statuses, as: GroupStatus.self), userId: userId, search: search,
                               offset: offset, limit: limit)
        if view == .overview { return query }
        if let sort { query.sort = try Self.named(sort, as: GroupSort.self, "groups cannot be sorted by") }
        if let descending { query.descending = descending }
        return query
    }

    /// The files' query (`sessions`).
    func sessionQuery(userId: String?) throws -> SessionQuery {
        var query = SessionQuery(groupId: groupId, statuses: try Self.statuses(statuses, as: FileStatus.self), userId: userId,
                                 search: search, offset: offset, limit: limit)
        if let sort { query.sort = try Self.named(sort, as: SessionSort.self, "files cannot be sorted by") }
        if let descending { query.descending = descending }
        return query
    }

    /// What `inspect` names: a group, a file, a part (a file and `partNumber`) or a job; exactly one.
    func inspectTarget() throws -> SnapshotTarget {
        switch (groupId, sessionId, partNumber, jobId) {
        case (let group?, nil, nil, nil): return .group(group)
        case (nil, let session?, nil, nil): return .session(session)
        case (nil, let session?, let number?, nil): return .part(sessionId: session, partNumber: number)
        case (nil, nil, nil, let job?): return .job(job)
        default:
            throw UploadError(.invalidArgument, "view 'inspect' takes exactly one of: groupId, sessionId, sessionId with partNumber, jobId")
        }
    }

    private static var viewNames: String { SnapshotView.allCases.map(\.rawValue).joined(separator: ", ") }

    /// A non-negative whole number of at most 18 digits, or nil when absent; 400 otherwise.
    private static func number(_ name: String, _ query: [String: String]) throws -> Int? {
        guard let text = query[name] else { return nil }
        guard !text.isEmpty, text.count <= 18, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text) else {
            throw UploadError(.badRequest, "\(name) must be a whole number of at most 18 digits, not '\(text.prefix(40))'")
        }
        return value
    }

    /// An id, or nil when absent or empty.
    private static func identifier(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// The statuses named, each one of `Status`'s; 422 otherwise.
    private static func statuses<Status: RawRepresentable<String> & CaseIterable & Hashable>(
        _ names: Set<String>, as type: Status.Type
    ) throws -> Set<Status> {
        try Set(names.map { try named($0, as: Status.self, "unknown status") })
    }

    /// The case of `Value` spelled `name`; otherwise `invalidArgument`: "`refusal` 'name'; one of: …".
    private static func named<Value: RawRepresentable<String> & CaseIterable>(
        _ name: String, as type: Value.Type, _ refusal: String
    ) throws -> Value {
        guard let value = Value(rawValue: name) else {
            throw UploadError(.invalidArgument, "\(refusal) '\(name)'; one of: \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
