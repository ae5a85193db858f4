import Dashboard
import Foundation
import UploadModel

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
