import Foundation

/// Starts child processes from one thread that lives as long as the test process. Every test
/// launches its children through it: Foundation's `Process.run()` crashed (a bad pointer in its
/// memcpy) when many threads launched at once, and one thread launching also ties the children's
/// parent-death signal to the test process.
///
/// Linux delivers a child's parent-death signal (`prctl(PR_SET_PDEATHSIG)`, which `setpriv
/// --pdeathsig` sets) when the *thread* that spawned it ends, not the process: a server started
/// from a pool thread or an `offPool` thread would be signalled as soon as that thread retired.
/// Spawning every long-lived server from this one thread ties their lives to the test process's.
public enum LaunchThread {
    private final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        var jobs: [@Sendable () -> Void] = []
    }

    private static let queue: Queue = {
        let queue = Queue()
        let thread = Thread {
            while true {
                queue.condition.lock()
                while queue.jobs.isEmpty { queue.condition.wait() }
                let job = queue.jobs.removeFirst()
                queue.condition.unlock()
                job()
            }
        }
        thread.name = "upman-test-launcher"
        thread.start()
        return queue
    }()

    /// Runs `process.run()` on the launcher thread and returns once it has, rethrowing its error.
    /// Blocks the calling thread for the moment the spawn takes (a minute at most).
    public static func run(_ process: Process) throws {
        final class Outcome: @unchecked Sendable {
            let done = DispatchSemaphore(value: 0)
            var error: (any Error)?
        }
        let outcome = Outcome()
        queue.condition.lock()
        queue.jobs.append {
            do { try process.run() } catch { outcome.error = error }
            outcome.done.signal()
        }
        queue.condition.signal()
        queue.condition.unlock()
        guard outcome.done.wait(timeout: .now() + 60) == .success else {
            throw POSIXError(.ETIMEDOUT)
        }
        if let error = outcome.error { throw error }
    }
}
