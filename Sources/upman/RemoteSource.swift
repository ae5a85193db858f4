import Dashboard
import Foundation
import UploadClient
import UploadModel
import UploadStore

/// The dashboard's data read from a server's `GET /api/v1/snapshot` (`upman top --server URL`
/// without a database): each ``DashboardSource`` call is one or a few HTTP requests that block the
/// calling thread, so it is used only from the dashboard's terminal thread (``TopLoop``), never from
/// the cooperative pool. What the token may not see is never sent: a user token sees its own uploads.
struct RemoteSource: DashboardSource {
    /// The snapshot client.
    let client: SnapshotClient

    /// The most recently active groups and the event id they reflect (one snapshot for the first
    /// 1,000; more are read in further pages).
    func overview(limit: Int) throws -> (groups: [UploadGroup], latestEventId: Int64) {
        let first = try client.read(.overview, ["limit": String(limit)])
        var groups = first.groups ?? []
        if groups.count < limit, groups.count == SnapshotView.overview.maximumLimit {
            groups += try self.groups(GroupQuery(offset: groups.count, limit: limit - groups.count))
        }
        return (groups, first.latestEventId)
    }

    /// A page of groups, read in pages of at most the server's maximum.
    func groups(_ query: GroupQuery) throws -> [UploadGroup] {
        try paged(limit: query.limit, page: SnapshotView.groups.maximumLimit ?? query.limit) { offset, limit in
            try client.read(.groups, [
                "search": query.search, "status": Self.list(query.statuses), "sort": query.sort.rawValue,
                "order": query.descending ? "desc" : "asc", "offset": String(query.offset + offset), "limit": String(limit),
            ]).groups ?? []
        }
    }

    /// How many groups match.
    func groupCount(search: String?) throws -> Int {
        try client.read(.groupCount, ["search": search]).count ?? 0
    }

    /// Sums over every visible group.
    func groupSums() throws -> GroupSums {
        try client.read(.sums).sums ?? GroupSums()
    }

    /// A group's files, oldest first (none when the group is gone).
    func sessions(groupId: String, limit: Int) throws -> [UploadSession] {
        try Self.orNone {
            try paged(limit: limit, page: SnapshotView.sessions.maximumLimit ?? limit) { offset, limit in
                try client.read(.sessions, [
                    "groupId": groupId, "sort": SessionSort.created.rawValue, "order": "asc",
                    "offset": String(offset), "limit": String(limit),
                ]).sessions ?? []
            }
        }
    }

    /// A file's parts (none when the file is gone).
    func parts(sessionId: String) throws -> [FilePart] {
        try Self.orNone { try client.read(.parts, ["sessionId": sessionId]).parts ?? [] }
    }

    /// A file's jobs (none when the file is gone).
    func jobs(sessionId: String) throws -> [ProcessingJob] {
        try Self.orNone { try client.read(.jobs, ["sessionId": sessionId]).jobs ?? [] }
    }

    /// Events after an id (at most the server's page).
    func events(after id: Int64, limit: Int) throws -> [UploadEvent] {
        try client.read(.events, ["after": String(id), "limit": String(limit)]).events ?? []
    }

    /// The newest event id the token may see.
    func latestEventId() throws -> Int64 {
        try client.read(.latestEventId).latestEventId
    }

    /// Files in trouble and failed jobs, newest first.
    func problems(stalledBefore: Date, limit: Int) throws -> [ProblemRow] {
        let answer = try client.read(.problems, ["stalledFor": Self.seconds(since: stalledBefore), "limit": String(limit)])
        return (answer.problems ?? []).compactMap { problem in
            if let session = problem.session {
                return ProblemRow(subject: .session(session), groupName: problem.groupName, fileName: problem.fileName)
            }
            return problem.job.map { ProblemRow(subject: .job($0), groupName: problem.groupName, fileName: problem.fileName) }
        }
    }

    /// How many problems there are.
    func problemCount(stalledBefore: Date) throws -> Int {
        try client.read(.problemCount, ["stalledFor": Self.seconds(since: stalledBefore)]).count ?? 0
    }

    /// One entity, its names and its history (no entity when it is gone or not the token's).
    func inspect(_ target: InspectTarget, historyLimit: Int) throws -> Inspection {
        var parameters: [String: String?] = ["limit": String(historyLimit)]
        switch target {
        case .group(let id): parameters["groupId"] = id
        case .session(let id): parameters["sessionId"] = id
        case .part(let id, let number): (parameters["sessionId"], parameters["partNumber"]) = (id, String(number))
        case .job(let id): parameters["jobId"] = id
        }
        guard let found = try Self.orNil({ try client.read(.inspect, parameters).inspection }) else {
            return Inspection(entity: nil)
        }
        let entity: Inspection.Entity? =
            if let group = found.group { .group(group) }
            else if let session = found.session { .session(session) }
            else if let part = found.part { .part(part) }
            else if let job = found.job { .job(job) }
            else { nil }
        return Inspection(entity: entity, groupName: found.groupName, fileName: found.fileName, objectKey: found.objectKey,
                          storage: found.storage, history: found.history)
    }

    /// Up to `limit` rows read `page` at a time, until a short page.
    private func paged<Row>(limit: Int, page: Int, _ read: (_ offset: Int, _ limit: Int) throws -> [Row]) throws -> [Row] {
        var rows: [Row] = []
        while rows.count < limit {
            let want = min(page, limit - rows.count)
            let got = try read(rows.count, want)
            rows += got
            if got.count < want { break }
        }
        return rows
    }

    /// The whole seconds from `date` to now: the server applies them to its own clock.
    private static func seconds(since date: Date) -> String {
        String(Int(max(0, Date().timeIntervalSince(date)).rounded()))
    }

    /// Statuses as the endpoint's comma-separated list (nil when none).
    private static func list<Status: RawRepresentable<String>>(_ statuses: Set<Status>) -> String? {
        statuses.isEmpty ? nil : statuses.map(\.rawValue).sorted().joined(separator: ",")
    }

    /// The rows `body` reads, or none when the server answers 404 (the entity is gone, or never was the token's).
    private static func orNone<Row>(_ body: () throws -> [Row]) throws -> [Row] {
        try orNil(body) ?? []
    }

    /// What `body` reads, or nil when the server answers 404.
    private static func orNil<T>(_ body: () throws -> T?) throws -> T? {
        do { return try body() } catch let error as ClientError where error.status == 404 { return nil }
    }
}
