import Foundation
import ObjectStorage
import UploadModel
import UploadStore

/// Finishes a session whose bytes all arrived (UPLOADED, then PROCESSING with its jobs queued,
/// or COMPLETED when no jobs are configured), and expires one whose storage upload vanished.
/// The controller's `complete`, the storage webhook and the reconciler all finish through it.
struct SessionFinisher: Sendable {
    let kinds: [String]
    let maxAttempts: Int
    let metrics: ServerMetrics
    let jobs: JobSignal

    init(configuration: ServerConfiguration, metrics: ServerMetrics, jobs: JobSignal) {
        self.kinds = configuration.jobs
        self.maxAttempts = configuration.jobMaxAttempts
        self.metrics = metrics
        self.jobs = jobs
    }

    /// Inside `tx`: moves a PENDING or UPLOADING session on; any other session is returned as it is.
    ///
    /// - Throws: ``UploadError/Code/conflict`` (409) unless every part of the session is UPLOADED: a
    ///   session is never finished with bytes that did not all arrive.
    func finish(_ id: String, in tx: StoreTransaction) throws -> UploadSession {
        let current = try tx.sessions.get(id)
        guard current.status == .pending || current.status == .uploading else { return current }
        let parts = try tx.parts.forSession(id)
        let missing = parts.filter { $0.status != .uploaded }.map(\.partNumber)
        guard missing.isEmpty, parts.count == current.totalParts else {
            throw UploadError(.conflict, "session \(id) cannot finish: part(s) \(PartAudit.list(missing)) are not uploaded")
        }
        try tx.sessions.transition(id, to: .uploaded)
        guard !kinds.isEmpty else { return try tx.sessions.transition(id, to: .completed) }
        let processing = try tx.sessions.transition(id, to: .processing)
        for (position, kind) in kinds.enumerated() {
            try tx.jobs.enqueue(ProcessingJob(
                id: UploadID.make("job"), sessionId: id, groupId: current.groupId, kind: kind,
                position: position, maxAttempts: maxAttempts, createdAt: tx.now))
        }
        return processing
    }

    /// After commit: counts a completion or wakes the job runner.
    func announce(_ session: UploadSession) {
        if session.status == .completed { metrics.sessionCompleted() }
        if session.status == .processing { jobs.notify() }
    }

    /// Inside `tx`: an open session whose storage upload is gone becomes EXPIRED with the reason
    /// (code `uploadGone`); a session that already moved on is returned as it is.
    static func expireGone(_ id: String, reason: UploadError, in tx: StoreTransaction) throws -> UploadSession {
        let current = try tx.sessions.get(id)
        guard current.status == .pending || current.status == .uploading else { return current }
        return try tx.sessions.transition(
            id, to: .expired,
            error: ErrorDetail(code: UploadError.Code.uploadGone.rawValue,
                               message: "the storage no longer has this upload (\(reason.message)); its bytes are gone"))
    }
}
