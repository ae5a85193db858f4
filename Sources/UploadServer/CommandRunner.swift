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
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
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
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr, timedOut: timedOut)
    }

    private static func tail(_ data: Data) -> String {
        String(decoding: data.suffix(tailBytes), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
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
