@testable import Dashboard
import Foundation
import UploadModel
import UploadStore

/// A fixed data set for rendering and key tests: groups, files, parts and jobs held in memory,
/// plus an event list that `events(after:)` serves.
final class StaticSource: DashboardSource {
    var groups: [UploadGroup] = []
    var sessions: [UploadSession] = []
    var parts: [FilePart] = []
    var jobs: [ProcessingJob] = []
    var log: [UploadEvent] = []

    func overview(limit: Int) throws -> (groups: [UploadGroup], latestEventId: Int64) {
        (Array(groups.prefix(limit)), log.last?.id ?? 0)
    }

    func groups(_ query: GroupQuery) throws -> [UploadGroup] {
        let matching = groups.filter { group in
            query.search.map { group.name.lowercased().contains($0.lowercased()) || group.id.contains($0) } ?? true
        }
        let key: (UploadGroup) -> String = { group in
            switch query.sort {
            case .name: group.name.lowercased()
            case .created: String(format: "%020.3f", group.createdAt.timeIntervalSince1970)
            default: String(format: "%020.3f", group.lastActivityAt.timeIntervalSince1970)
            }
        }
        let sorted = matching.sorted { a, b in
            let (x, y) = (key(a), key(b))
            return query.descending ? (x != y ? x > y : a.id > b.id) : (x != y ? x < y : a.id < b.id)
        }
        return Array(sorted.dropFirst(query.offset).prefix(query.limit))
    }

    func groupCount(search: String?) throws -> Int {
        try groups(GroupQuery(search: search, limit: .max)).count
    }

    func groupSums() throws -> GroupSums {
        GroupSums(groups)
    }

    func problems(stalledBefore: Date, limit: Int) throws -> [ProblemRow] {
        let name = { (id: String) in self.groups.first { $0.id == id }?.name ?? id }
        var rows = sessions.filter { ProblemRow.isProblem($0, now: stalledBefore, stallAfter: 0) }
            .map { ProblemRow(subject: .session($0), groupName: name($0.groupId), fileName: $0.fileName) }
        for job in jobs where job.status == .failed {
            let file = sessions.first { $0.id == job.sessionId }?.fileName ?? job.sessionId
            rows.append(ProblemRow(subject: .job(job), groupName: name(job.groupId), fileName: file))
        }
        rows.sort { $0.time != $1.time ? $0.time > $1.time : $0.id > $1.id }
        return Array(rows.prefix(limit))
    }

    func problemCount(stalledBefore: Date) throws -> Int {
        try problems(stalledBefore: stalledBefore, limit: .max).count
    }

    func inspect(_ target: InspectTarget, historyLimit: Int) throws -> Inspection {
        var inspection = Inspection(entity: nil, storage: "disk /srv/upman/storage/objects")
        var entityId = ""
        var sessionId: String?
        switch target {
        case .group(let id):
            entityId = id
            inspection.entity = groups.first { $0.id == id }.map { .group($0) }
        case .session(let id):
            entityId = id
            sessionId = id
            inspection.entity = sessions.first { $0.id == id }.map { .session($0) }
        case .part(let id, let number):
            let part = parts.first { $0.sessionId == id && $0.partNumber == number }
            entityId = part?.id ?? ""
            sessionId = id
            inspection.entity = part.map { .part($0) }
        case .job(let id):
            entityId = id
            let job = jobs.first { $0.id == id }
            sessionId = job?.sessionId
            inspection.entity = job.map { .job($0) }
        }
        if let session = sessions.first(where: { $0.id == sessionId }) {
            inspection.fileName = session.fileName
            inspection.objectKey = session.objectKey
            inspection.groupName = groups.first { $0.id == session.groupId }?.name
        }
        inspection.history = Array(log.filter { $0.entityId == entityId }.suffix(historyLimit))
        return inspection
    }

    func sessions(groupId: String, limit: Int) throws -> [UploadSession] {
        Array(sessions.filter { $0.groupId == groupId }.prefix(limit))
    }

    func parts(sessionId: String) throws -> [FilePart] {
        parts.filter { $0.sessionId == sessionId }.sorted { $0.partNumber < $1.partNumber }
    }

    func jobs(sessionId: String) throws -> [ProcessingJob] {
        jobs.filter { $0.sessionId == sessionId }.sorted { $0.position < $1.position }
    }

    func events(after id: Int64, limit: Int) throws -> [UploadEvent] {
        Array(log.filter { $0.id > id }.prefix(limit))
    }

    func latestEventId() throws -> Int64 {
        log.last?.id ?? 0
    }

    /// The scene most snapshots use: three groups (one with a CJK name and an emoji, one with a
    /// very long name), a file with a failed part and a failed job.
    static func scene(now: Date) -> StaticSource {
        let source = StaticSource()
        let minute: TimeInterval = 60
        source.groups = [
            UploadGroup(id: "grp_a", userId: "alice", name: "写真 2026 📷", status: .inProgress, totalFiles: 3, completedFiles: 1,
                        failedFiles: 1, totalBytes: 48 << 20, bytesUploaded: 30 << 20, createdAt: now - 5 * minute,
                        lastActivityAt: now - 2),
            UploadGroup(id: "grp_b", userId: "bob",
                        name: "a-very-long-group-name-that-does-not-fit-in-any-reasonable-column-width-at-all",
                        status: .completed, totalFiles: 2, completedFiles: 2, totalBytes: 2_000_000, bytesUploaded: 2_000_000,
                        createdAt: now - 90 * minute, lastActivityAt: now - 60 * minute),
            UploadGroup(id: "grp_c", userId: "carol", name: "stuck-backup", status: .inProgress, totalFiles: 1,
                        totalBytes: 10 << 20, bytesUploaded: 1 << 20, createdAt: now - 30 * minute, lastActivityAt: now - 10 * minute),
        ]
        source.sessions = [
            UploadSession(id: "ses_1", groupId: "grp_a", userId: "alice", fileName: "東京タワー.jpg", size: 24 << 20,
                          objectKey: "alice/grp_a/ses_1/tokyo.jpg", method: .multipart, partSize: 8 << 20, totalParts: 3,
                          completedParts: 1, bytesUploaded: 8 << 20, status: .failed,
                          error: ErrorDetail(code: "partFailed", message: "part 2 checksum mismatch"),
                          createdAt: now - 5 * minute, lastActivityAt: now - 2),
            UploadSession(id: "ses_2", groupId: "grp_a", userId: "alice", fileName: "café-crème.png", size: 16 << 20,
                          objectKey: "alice/grp_a/ses_2/cafe.png", method: .multipart, partSize: 8 << 20, totalParts: 2,
                          completedParts: 2, bytesUploaded: 16 << 20, status: .completed, createdAt: now - 4 * minute),
            UploadSession(id: "ses_3", groupId: "grp_a", userId: "alice", fileName: "notes.txt", size: 8 << 20,
                          objectKey: "alice/grp_a/ses_3/notes.txt", method: .single, partSize: 8 << 20, totalParts: 1,
                          bytesUploaded: 6 << 20, status: .uploading, createdAt: now - 3 * minute, lastActivityAt: now - 1),
        ]
        source.parts = [
            FilePart(sessionId: "ses_1", groupId: "grp_a", partNumber: 1, offset: 0, size: 8 << 20, status: .uploaded,
                     etag: "\"0cc175b9c0f1b6a831c399e269772661\"", attempts: 1, createdAt: now - 5 * minute),
            FilePart(sessionId: "ses_1", groupId: "grp_a", partNumber: 2, offset: 8 << 20, size: 8 << 20, status: .failed,
                     attempts: 3, error: ErrorDetail(code: "checksumMismatch", message: "Content-MD5 does not match"),
                     createdAt: now - 5 * minute),
            FilePart(sessionId: "ses_1", groupId: "grp_a", partNumber: 3, offset: 16 << 20, size: 8 << 20, status: .pending,
                     createdAt: now - 5 * minute),
        ]
        source.jobs = [
            ProcessingJob(id: "job_1", sessionId: "ses_1", groupId: "grp_a", kind: "sha256", position: 0, status: .failed,
                          attempts: 3, error: ErrorDetail(code: "jobFailed", message: "declared sha256 differs"),
                          createdAt: now - 4 * minute, startedAt: now - 4 * minute, finishedAt: now - 4 * minute + 3),
            ProcessingJob(id: "job_2", sessionId: "ses_1", groupId: "grp_a", kind: "content-type", position: 1,
                          status: .queued, createdAt: now - 4 * minute),
        ]
        return source
    }
}
