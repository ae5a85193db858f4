import Foundation

/// What the crash loop did so far, shared by the killer and the upload lanes.
final class CrashLoopTally: @unchecked Sendable {
    private let lock = NSLock()
    private var killCount = 0
    private var killing = true
    private var batchCount = 0
    private var putRunCount = 0
    private var reasonCounts: [String: Int] = [:]
    private var retryCount = 0
    private var uploaderKillCount = 0
    private var finishedGroups: Set<String> = []

    /// SIGKILLs sent so far.
    var kills: Int { lock.withLock { killCount } }
    /// Whether the killer still has kills to send.
    var stillKilling: Bool { lock.withLock { killing } }
    /// Batches (one group each) that finished and were checked.
    var batches: Int { lock.withLock { batchCount } }
    /// The groups of those batches.
    var groupIds: Set<String> { lock.withLock { finishedGroups } }
    /// Part PUTs the uploader sent again by itself (it rode out an outage without a resume).
    var partRetries: Int { lock.withLock { retryCount } }
    /// `upman put` runs, first runs and resumes together.
    var putRuns: Int { lock.withLock { putRunCount } }

    /// `upman put` runs SIGKILLed on purpose.
    var uploaderKills: Int { lock.withLock { uploaderKillCount } }

    /// Counts one kill.
    func killed() { lock.withLock { killCount += 1 } }
    /// Counts one `upman put` run SIGKILLed on purpose.
    func uploaderKilled() {
        lock.withLock {
            putRunCount += 1
            uploaderKillCount += 1
        }
    }
    /// The killer is done.
    func killerFinished() { lock.withLock { killing = false } }
    /// Counts one checked batch, `groupId`.
    func batchDone(_ groupId: String) {
        lock.withLock {
            batchCount += 1
            finishedGroups.insert(groupId)
        }
    }
    /// Counts part retries the uploader reported.
    func partRetried(_ count: Int) { lock.withLock { retryCount += count } }
    /// Counts one `upman put` run that ended with `reason` (nil when it succeeded).
    func putRun(failedWith reason: String?) {
        lock.withLock {
            putRunCount += 1
            if let reason { reasonCounts[reason, default: 0] += 1 }
        }
    }

    /// Why runs of `upman put` gave up, most frequent first.
    var reasons: [(String, Int)] {
        lock.withLock { reasonCounts.sorted { $0.value > $1.value } }
    }
}
