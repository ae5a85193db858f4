import Foundation
import Logging
import ObjectStorage
import ServiceLifecycle
import UploadModel
import Synchronization
import UploadStore

/// Runs queued processing jobs with bounded concurrency: claims them (RUNNING), executes them,
/// and records the outcome; a failure is retried with exponential backoff until the job's
/// attempts run out, then the job and its session are FAILED. When a session's last job
/// succeeds, the session is COMPLETED in the same transaction.
///
/// A claim is a lease (`job_lease`, ``ServerConfiguration/jobLease``): the runner renews the
/// leases of its running jobs every third of it, and a job whose lease ran out (its process died)
/// is queued again by a runner that sees it. With one process on SQLite, every RUNNING job left at start-up is
/// queued again at once; on a shared PostgreSQL database only expired ones are, since the others
/// belong to live instances. An outcome is recorded only while the lease is still this runner's.
public final class JobRunner: Service, Sendable {
    /// How long a claim holds without renewal (``ServerConfiguration/jobLease``).
    let leaseDuration: TimeInterval
    /// This process's name on its leases.
    let owner = UploadID.make("run")
    let store: UploadStore
    let executor: JobExecutor
    let signal: JobSignal
    let concurrency: Int
    let backoff: TimeInterval
    let metrics: ServerMetrics
    let logger: Logger

    /// Creates a runner.
    public init(
        store: UploadStore, storage: any ObjectStorage, configuration: ServerConfiguration, signal: JobSignal,
        metrics: ServerMetrics, logger: Logger
    ) {
        self.store = store
        self.executor = JobExecutor(storage: storage, configuration: configuration)
        self.signal = signal
        self.concurrency = max(1, configuration.jobConcurrency)
        self.backoff = configuration.jobBackoff
        self.leaseDuration = configuration.jobLease
        self.metrics = metrics
        self.logger = logger
    }

    /// Re-queues jobs a crashed process left RUNNING, then runs jobs until graceful shutdown;
    /// jobs under way then finish before it returns.
    public func run() async throws {
        try await requeueAbandoned(all: !store.isShared)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.keepLeases() }
                while !self.state.withLock({ $0.stopping }) {
                    let free = concurrency - state.withLock { $0.running }
                    let claimed = (try? await claim(limit: free)) ?? []
                    for job in claimed {
                        state.withLock { $0.running += 1 }
                        group.addTask {
                            await self.execute(job)
                            self.state.withLock { $0.running -= 1 }
                            self.signal.notify()
                        }
                    }
                    let delay = (try? await nextDelay()) ?? 1
                    let timer = Task { [signal] in
                        try? await Task.sleep(for: .seconds(delay))
                        if !Task.isCancelled { signal.notify() }
                    }
                    await signal.wait()
                    timer.cancel()
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.state.withLock { $0.stopping = true }
            self.signal.notify()
        }
    }

    private let state = Mutex<(running: Int, stopping: Bool)>((0, false))

    /// Renews this runner's leases, and queues again the jobs whose leases ran out, every third of
    /// a lease, until cancelled.
    private func keepLeases() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: .seconds(self.leaseDuration / 3)) } catch { return }
            let owner = self.owner
            do {
                try await store.transaction(actedBy: "system") { tx in
                    try tx.jobs.renewLeases(owner: owner, until: tx.now.addingTimeInterval(self.leaseDuration))
                }
                try await requeueAbandoned(all: false)
            } catch {
                logger.warning("cannot renew job leases", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Queues again the RUNNING jobs of a process that died: every one (`all`, one process on
    /// SQLite at start-up), else those whose lease ran out.
    private func requeueAbandoned(all: Bool) async throws {
        let requeued = try await store.transaction(actedBy: "system") { tx -> Int in
            let abandoned = all ? try tx.jobs.running() : try tx.jobs.expiredLeases()
            for job in abandoned {
                try tx.jobs.transition(job.id, to: .queued, error: ErrorDetail(code: "interrupted", message: "the server stopped while the job ran"))
            }
            return abandoned.count
        }
        if requeued > 0 { signal.notify() }
    }

    private func claim(limit: Int) async throws -> [(ProcessingJob, UploadSession)] {
        guard limit > 0 else { return [] }
        let owner = self.owner
        return try await store.transaction(actedBy: "system") { tx in
            try tx.jobs.runnable(limit: limit).map { job in
                (try tx.jobs.claim(job.id, owner: owner, until: tx.now.addingTimeInterval(self.leaseDuration)),
                 try tx.sessions.get(job.sessionId))
            }
        }
    }

    private func nextDelay() async throws -> TimeInterval {
        let next = try await store.transaction(actedBy: "system") { tx in try tx.jobs.nextRunAfter() }
        guard let next else { return 5 }
        return min(5, max(0.01, next.timeIntervalSinceNow))
    }

    private func execute(_ claimed: (ProcessingJob, UploadSession)) async {
        let (job, session) = claimed
        let started = ContinuousClock.now
        let outcome = await executor.run(job, session: session)
        let duration = ContinuousClock.now - started
        let backoff = self.backoff
        let owner = self.owner
        do {
            let completed = try await store.transaction(actedBy: "system") { tx -> Bool in
                let current = try tx.jobs.get(job.id)
                guard current.status == .running, try tx.jobs.holdsLease(job.id, owner: owner) else { return false }
                switch outcome {
                case .succeeded(let output):
                    try tx.jobs.transition(job.id, to: .succeeded, output: output)
                    let all = try tx.jobs.forSession(job.sessionId)
                    let owner = try tx.sessions.get(job.sessionId)
                    if owner.status == .processing, all.allSatisfy({ $0.status == .succeeded }) {
                        try tx.sessions.transition(job.sessionId, to: .completed)
                        return true
                    }
                case .failed(let error, let retryable, let output):
                    if retryable && current.attempts < current.maxAttempts {
                        let delay = backoff * pow(2, Double(max(0, current.attempts - 1)))
                        try tx.jobs.transition(job.id, to: .failed, output: output, error: error)
                        try tx.jobs.transition(job.id, to: .queued, runAfter: tx.now.addingTimeInterval(delay))
                    } else {
                        try tx.jobs.transition(job.id, to: .failed, output: output, error: error)
                        let owner = try tx.sessions.get(job.sessionId)
                        if owner.status == .processing {
                            try tx.sessions.transition(
                                job.sessionId, to: .failed,
                                error: ErrorDetail(code: "jobFailed", message: "\(job.kind): \(error.message)"))
                        }
                    }
                }
                return false
            }
            if completed { metrics.sessionCompleted() }
        } catch {
            logger.error("could not record job outcome", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
        let name: String
        switch outcome {
        case .succeeded: name = "succeeded"
        case .failed: name = "failed"
        }
        metrics.jobFinished(kind: job.kind, outcome: name, duration: duration)
    }
}
