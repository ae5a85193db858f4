import Foundation

extension Process {
    /// Waits until the child ends and returns its exit status (128 + the signal when a signal
    /// ended it). See `waitForTermination()`.
    public func waitForExit() -> Int32 {
        let end = waitForTermination()
        return end.bySignal ? 128 + end.code : end.code
    }

    /// Waits until the child ends and returns its exit code, or the signal that ended it,
    /// without reaping it and without relying on Foundation's own exit detection, which misses
    /// a child whose descendants still hold the descriptor it watches
    /// (swift-corelibs-foundation#4795: a tmux client whose server lives on, a shell whose job
    /// lives on, or any child spawned at the same moment by a test running in parallel).
    /// Blocks the calling thread: call it off the cooperative pool.
    public func waitForTermination() -> (code: Int32, bySignal: Bool) {
        var info = siginfo_t()
        while waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOWAIT) == -1 {
            if errno == EINTR { continue }
            return reapedByFoundation(patience: 10) ?? (-1, false)
        }
        return (info._sifields._sigchld.si_status, info.si_code != Int32(CLD_EXITED))
    }

    /// The exit status (128 + signal when a signal ended it) once the child has ended, or nil
    /// when it still runs after `timeout`. Polls without blocking a thread and never asks
    /// Foundation for a status it does not have yet (its `terminationStatus` traps while its
    /// `isRunning` is still true, even after the child is gone).
    public func exitStatus(within timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while true {
            var info = siginfo_t()
            let result = waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOWAIT | WNOHANG)
            if result == 0, info._sifields._sigchld.si_pid != 0 {
                let code = info._sifields._sigchld.si_status
                return info.si_code == Int32(CLD_EXITED) ? code : 128 + code
            }
            if result == -1, errno != EINTR, let end = reapedByFoundation(patience: 0) {
                return end.bySignal ? 128 + end.code : end.code
            }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The exit status (128 + the signal when a signal ended it) once the child has ended, or nil
    /// when it still runs after `seconds`: a bounded ``waitForExit()``. Polls `waitid` without
    /// reaping. Blocks the calling thread: call it off the cooperative pool.
    public func waitForExit(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            var info = siginfo_t()
            let result = waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOWAIT | WNOHANG)
            if result == 0, info._sifields._sigchld.si_pid != 0 {
                let code = info._sifields._sigchld.si_status
                return info.si_code == Int32(CLD_EXITED) ? code : 128 + code
            }
            if result == -1, errno != EINTR, let end = reapedByFoundation(patience: 0) {
                return end.bySignal ? 128 + end.code : end.code
            }
            if Date() >= deadline { return nil }
            usleep(10_000)
        }
    }

    /// Foundation reaped the child first (ECHILD): its own record says how it ended, once it
    /// has caught up.
    private func reapedByFoundation(patience seconds: TimeInterval) -> (code: Int32, bySignal: Bool)? {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning && Date() < deadline { usleep(5_000) }
        if isRunning { return nil }
        return (terminationStatus, terminationReason == .uncaughtSignal)
    }
}
