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
    /// lives on). Blocks the calling thread: call it off the cooperative pool.
    public func waitForTermination() -> (code: Int32, bySignal: Bool) {
        var info = siginfo_t()
        while waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOWAIT) == -1 {
            if errno != EINTR {
                // ECHILD: Foundation reaped the child first; give it a moment to record how the child ended.
                let deadline = Date().addingTimeInterval(5)
                while isRunning && Date() < deadline { usleep(10_000) }
                return (isRunning ? -1 : terminationStatus, !isRunning && terminationReason == .uncaughtSignal)
            }
        }
        return (info._sifields._sigchld.si_status, info.si_code != Int32(CLD_EXITED))
    }
}
