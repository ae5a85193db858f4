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
public final class JobRunner: Service, Sendable {
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
        self.metrics = metrics
        self.logger = logger
    }

    /// Re-queues jobs a crashed process left RUNNING, then runs jobs until graceful shutdown;
    /// jobs under way then finish before it returns.
    public func run() async throws {
        try await requeueAbandoned()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
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
            }
        } onGracefulShutdown: {
            self.state.withLock { $0.stopping = true }
            self.signal.notify()
        }
    }

    private let state = Mutex<(running: Int, stopping: Bool)>((0, false))

    private func requeueAbandoned() async throws {
        try await store.transaction(actedBy: "system") { tx in
            for job in try tx.jobs.running() {
                try tx.jobs.transition(job.id, to: .queued, error: ErrorDetail(code: "interrupted", message: "the server stopped while the job ran"))
            }
        }
    }

    private func claim(limit: Int) async throws -> [(ProcessingJob, UploadSession)] {
        guard limit > 0 else { return [] }
        return try await store.transaction(actedBy: "system") { tx in
            try tx.jobs.runnable(limit: limit).map { job in
                (try tx.jobs.transition(job.id, to: .running), try tx.sessions.get(job.sessionId))
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
        do {
            let completed = try await store.transaction(actedBy: "system") { tx -> Bool in
                let current = try tx.jobs.get(job.id)
                guard current.status == .running else { return false }
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
