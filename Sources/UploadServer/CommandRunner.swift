import Foundation

/// Runs an external command with a time limit and keeps the tail of its output.
///
/// The waiting happens on a thread of its own, never on the cooperative pool that serves
/// requests: a slow command must not starve the server.
enum CommandRunner {
    /// What a run produced.
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut: Bool
    }

    /// Keeps the last 4 KiB of each stream.
    static let tailBytes = 4096

    static func run(command: String, arguments: [String], environment: [String: String], timeout: TimeInterval) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try runBlocking(command: command, arguments: arguments, environment: environment, timeout: timeout) })
            }
        }
    }

    private static func runBlocking(command: String, arguments: [String], environment: [String: String], timeout: TimeInterval) throws -> Result {
        let process = Process()
        // Foundation starts the child as the leader of its own process group, so a timeout can
        // stop the command's children too by signalling the group.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The end is seen with waitid on a thread of its own, not through Foundation's
        // termination handler: Foundation watches a descriptor that a child spawned at the same
        // moment by another job can inherit, and then it never notices this child's end
        // (swift-corelibs-foundation#4795). WNOWAIT leaves the reaping to Foundation.
        let exited = DispatchSemaphore(value: 0)
        let ending = ExitBox()
        let pid = process.processIdentifier
        Thread.detachNewThread {
            ending.set(Self.waitForEnd(of: pid))
            exited.signal()
        }
        let readers = DispatchGroup()
        let collected = OutputBox()
        for (pipe, isError) in [(out, false), (err, true)] {
            readers.enter()
            Thread.detachNewThread {
                collected.set(tail(pipe.fileHandleForReading.readDataToEndOfFile()), isError: isError)
                readers.leave()
            }
        }
        var timedOut = false
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            let target = -process.processIdentifier
            kill(target, SIGTERM)
            if exited.wait(timeout: .now() + 2) == .timedOut {
                kill(target, SIGKILL)
                exited.wait()
            }
        }
        _ = readers.wait(timeout: .now() + (timedOut ? 1 : 10))
        let (stdout, stderr) = collected.values
        var status = ending.value
        if status == nil {
            // Foundation reaped the child first; its record catches up within moments.
            for _ in 0..<200 where process.isRunning { usleep(5_000) }
            status = process.isRunning ? -1 : process.terminationStatus
        }
        return Result(status: status ?? -1, stdout: stdout, stderr: stderr, timedOut: timedOut)
    }

    /// Blocks until the child ends and returns its exit code (128 + the signal when a signal
    /// ended it), or nil when it was already reaped elsewhere.
    private static func waitForEnd(of pid: pid_t) -> Int32? {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 {
            if errno != EINTR { return nil }
        }
        let code = info._sifields._sigchld.si_status
        return info.si_code == Int32(CLD_EXITED) ? code : 128 + code
    }

    private static func tail(_ data: Data) -> String {
        String(decoding: data.suffix(tailBytes), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// How the child ended, written by the waiting thread.
    private final class ExitBox: @unchecked Sendable {
        private let lock = NSLock()
        private var status: Int32?

        func set(_ value: Int32?) { lock.withLock { status = value } }

        var value: Int32? { lock.withLock { status } }
    }

    /// The two output tails, written by reader threads.
    private final class OutputBox: @unchecked Sendable {
        private let lock = NSLock()
        private var stdout = ""
        private var stderr = ""

        func set(_ text: String, isError: Bool) {
            lock.withLock { if isError { stderr = text } else { stdout = text } }
        }

        var values: (String, String) { lock.withLock { (stdout, stderr) } }
    }
}
