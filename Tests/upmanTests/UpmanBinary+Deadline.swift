import Foundation
import TestSupport

extension UpmanBinary {
    /// How a run with a deadline ended.
    enum Ending {
        /// It exited (or a signal from elsewhere ended it) by itself.
        case exited
        /// It was SIGKILLed at `killAfter`, as planned.
        case killed
        /// It was SIGKILLed because it had not ended within the limit: a hang.
        case timedOut
    }

    /// Runs `upman arguments...` like `run`, but SIGKILLs it once `killAfter` has passed (a
    /// planned crash), when it has not ended within `limit` (a hang is a finding, not something
    /// to wait out), or when the calling task is cancelled.
    static func run(
        _ arguments: [String], within limit: Duration, killAfter: Duration? = nil
    ) async throws -> (result: Result, ending: Ending) {
        let (process, out, err) = try launch(arguments)
        async let stdout = offPool { PipeRead.toEnd(out.fileHandleForReading) }
        async let stderr = offPool { PipeRead.toEnd(err.fileHandleForReading) }
        let started = ContinuousClock.now
        let deadline = started + limit
        let killAt = killAfter.map { started + $0 }
        var status: Int32?
        var ending = Ending.exited
        while status == nil {
            let now = ContinuousClock.now
            if let killAt, now >= killAt {
                ending = .killed
                break
            }
            if now >= deadline {
                ending = .timedOut
                break
            }
            if Task.isCancelled { break }
            status = await process.exitStatus(within: .milliseconds(killAt == nil ? 250 : 20))
        }
        if status == nil {
            kill(process.processIdentifier, SIGKILL)
            status = try await offPool { process.waitForExit() }
        }
        let result = Result(
            status: status ?? -1, stdout: String(decoding: try await stdout, as: UTF8.self),
            stderr: String(decoding: try await stderr, as: UTF8.self))
        return (result, ending)
    }
}
