import Foundation
import UploadModel

/// Queues processing jobs and moves them through their lifecycle.
public struct ProcessingJobRepository: EntityRepository {
    /// The transaction it acts in.
    public let tx: StoreTransaction
    /// It keeps jobs, `no job …` when absent.
    public typealias Entity = ProcessingJob
    /// What a `notFound` message calls a job.
    public static let noun = "job"

    /// The jobs of a session in the order they run.
    public func forSession(_ sessionId: String) throws -> [ProcessingJob] {
        try tx.db.records("SELECT * FROM processing_jobs WHERE sessionId = ? ORDER BY position, id", [sessionId])
    }

    /// QUEUED jobs whose backoff has passed and whose earlier jobs (by position) all succeeded,
    /// oldest first, at most `limit`. On PostgreSQL the rows are locked (`FOR UPDATE SKIP
    /// LOCKED`): a job another instance is claiming at the same moment is passed over, not waited
    /// for, so two instances never claim one job.
    public func runnable(limit: Int) throws -> [ProcessingJob] {
        try tx.db.records(
            """
                SELECT * FROM processing_jobs j
                WHERE j.status = 'QUEUED' AND (j.runAfter IS NULL OR j.runAfter <= ?)
                  AND NOT EXISTS (SELECT 1 FROM processing_jobs p
                                  WHERE p.sessionId = j.sessionId AND p.position < j.position
                                    AND p.status != 'SUCCEEDED')
                ORDER BY j.createdAt, j.position LIMIT ?\(tx.db.dialect == .postgres ? " FOR UPDATE OF j SKIP LOCKED" : "")
                """,
            [Timestamp.millis(tx.now), limit])
    }

    /// The earliest time a QUEUED job waiting for its backoff becomes runnable, if any.
    public func nextRunAfter() throws -> Date? {
        let next: Int64?? = try tx.db.scalar(
            "SELECT min(runAfter) FROM processing_jobs WHERE status = 'QUEUED' AND runAfter > ?", [Timestamp.millis(tx.now)])
        return next.flatMap { $0 }.map(Timestamp.date(millis:))
    }

    /// Cancels every job of the session that has not ended (QUEUED or RUNNING): the one way a
    /// session's jobs are cancelled, whether the session was cancelled or its object is gone.
    public func cancelUnfinished(ofSession sessionId: String) throws {
        for job in try forSession(sessionId) where job.status == .queued || job.status == .running {
            try transition(job.id, to: .cancelled)
        }
    }

    /// Jobs left RUNNING (by a process that died), for re-queueing at start-up.
    public func running() throws -> [ProcessingJob] {
        try tx.db.records("SELECT * FROM processing_jobs WHERE status = ?", [JobStatus.running])
    }

    /// Stores a new QUEUED job.
    @discardableResult
    public func enqueue(_ job: ProcessingJob) throws -> ProcessingJob {
        var job = job
        guard job.status == .queued else {
            throw UploadError(.invalidTransition, "a new job starts QUEUED, not \(job.status.rawValue)")
        }
        _ = try tx.sessions.get(job.sessionId)
        job.updatedAt = tx.now
        job.actedBy = tx.actedBy
        try job.insert(tx.db)
        try tx.record(.job(job))
        return job
    }

    /// Moves a job to `status` if the lifecycle allows it. Starting it (RUNNING) counts an attempt;
    /// ending it stamps `finishedAt`; `output`, `error` and `runAfter` are recorded when given.
    @discardableResult
    public func transition(
        _ id: String, to status: JobStatus, output: String? = nil, error: ErrorDetail? = nil,
        runAfter: Date? = nil
    ) throws -> ProcessingJob {
        var job = try get(id)
        try UploadLifecycle.checkMove(from: job.status, to: status, id: id)
        switch status {
        case .running:
            job.attempts += 1
            job.startedAt = tx.now
            job.finishedAt = nil
        case .succeeded, .failed, .cancelled:
            job.finishedAt = tx.now
        case .queued:
            job.runAfter = runAfter
        }
        if status == .succeeded { job.error = nil }
        if let output { job.output = output }
        if let error { job.error = error }
        job.status = status
        job.updatedAt = tx.now
        job.actedBy = tx.actedBy
        try job.update(tx.db)
        try tx.record(.job(job))
        return job
    }
}

extension ProcessingJobRepository {
    /// Starts job `id` (RUNNING) for the process `owner`, which holds it until `until` unless it
    /// renews the lease (see ``renewLeases(owner:until:)``).
    @discardableResult
    public func claim(_ id: String, owner: String, until: Date) throws -> ProcessingJob {
        let job = try transition(id, to: .running)
        try tx.db.execute(
            "UPDATE processing_jobs SET leaseOwner = ?, leaseUntil = ? WHERE id = ?", [owner, Timestamp.millis(until), id])
        return job
    }

    /// Extends the leases of every job `owner` is running to `until`; answers how many.
    @discardableResult
    public func renewLeases(owner: String, until: Date) throws -> Int {
        try tx.db.execute(
            "UPDATE processing_jobs SET leaseUntil = ? WHERE leaseOwner = ? AND status = 'RUNNING'",
            [Timestamp.millis(until), owner])
    }

    /// Whether `owner` still holds job `id`'s lease (no other process queued it again meanwhile).
    public func holdsLease(_ id: String, owner: String) throws -> Bool {
        let holder: String?? = try tx.db.scalar("SELECT leaseOwner FROM processing_jobs WHERE id = ? AND status = 'RUNNING'", [id])
        return holder == .some(.some(owner))
    }

    /// RUNNING jobs whose lease ran out (or that have none): their process died or lost touch.
    public func expiredLeases() throws -> [ProcessingJob] {
        try tx.db.records(
            "SELECT * FROM processing_jobs WHERE status = 'RUNNING' AND (leaseUntil IS NULL OR leaseUntil < ?)",
            [Timestamp.millis(tx.now)])
    }

    /// Gives a job a new attempt budget (after an operator's retry), recording the change.
    public func setMaxAttempts(_ id: String, _ maxAttempts: Int) throws {
        var job = try get(id)
        guard job.maxAttempts != maxAttempts else { return }
        job.maxAttempts = maxAttempts
        job.updatedAt = tx.now
        job.actedBy = tx.actedBy
        try job.update(tx.db)
        try tx.record(.job(job))
    }
}
