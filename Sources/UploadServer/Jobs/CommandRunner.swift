import Foundation
import Subprocess

/// Runs an external command through swift-subprocess with a time limit, keeping the tail of its
/// output.
///
/// The command runs as the leader of a process group of its own, so a timeout stops what it
/// started too: SIGTERM to the group, then SIGKILL to the group two seconds later. Output is read
/// as it arrives (both pipes at once, so neither can fill and block the child) and only the last
/// ``tailBytes`` of each stream are kept. Nothing here blocks a thread: the child's end and its
/// pipes are watched by swift-subprocess's monitor (pidfd and epoll on Linux).
enum CommandRunner {
    /// What a run produced.
    struct Result: Sendable {
        /// The exit code, or 128 + the signal's number when a signal ended the command.
        var status: Int32
        /// The tail of standard output, trimmed of surrounding whitespace.
        var stdout: String
        /// The tail of standard error, trimmed of surrounding whitespace.
        var stderr: String
        /// Whether the time limit was reached and the command's process group stopped.
        var timedOut: Bool
    }

    /// Keeps the last 4 KiB of each stream.
    static let tailBytes = 4096

    /// How long the group has between SIGTERM and SIGKILL after a timeout.
    static let gracePeriod = Duration.seconds(2)

    /// Runs `command` (a name looked up in `PATH`, or a path) with `arguments` and the server's
    /// environment plus `environment`, stopping it after `timeout` seconds.
    ///
    /// - Throws: `SubprocessError` when the command cannot be started at all (`/usr/bin/env`
    ///   missing); a command `env` cannot find exits with status 127 instead.
    static func run(command: String, arguments: [String], environment: [String: String], timeout: TimeInterval) async throws -> Result {
        var options = PlatformOptions()
        options.processGroupID = 0
        let teardown: [TeardownStep] = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: gracePeriod)]
        options.teardownSequence = teardown
        var updates: [Environment.Key: String?] = [:]
        for (name, value) in environment { updates[Environment.Key(stringLiteral: name)] = value }
        let outcome = try await Subprocess.run(
            .path("/usr/bin/env"), arguments: Arguments([command] + arguments),
            environment: .inherit.updating(updates), platformOptions: options,
            input: .none, output: .sequence, error: .sequence
        ) { execution in
            // Readers and the clock are tasks of their own, not children of a task group: a
            // grandchild that left the group can keep a pipe open after the command ended, and
            // reads do not stop for cancellation. When the body returns, swift-subprocess closes
            // both streams, which ends any read still waiting.
            let (events, sink) = AsyncStream.makeStream(of: Stream.self)
            let stdout = execution.standardOutput
            let stderr = execution.standardError
            Task { sink.yield(.output((try? await tail(of: stdout)) ?? "", isError: false)) }
            Task { sink.yield(.output((try? await tail(of: stderr)) ?? "", isError: true)) }
            let clock = Task {
                try? await Task.sleep(for: .seconds(timeout))
                if !Task.isCancelled { sink.yield(.deadline) }
            }
            defer { clock.cancel() }
            var collected = Collected()
            for await event in events {
                switch event {
                case .output(let text, let isError):
                    if isError { collected.stderr = text } else { collected.stdout = text }
                    collected.open -= 1
                    if collected.open == 0 { return collected }
                case .deadline:
                    // The second deadline is the readers' grace after a teardown: stop reading.
                    if collected.timedOut { return collected }
                    collected.timedOut = true
                    await execution.teardown(using: teardown)
                    Task {
                        try? await Task.sleep(for: .seconds(1))
                        sink.yield(.deadline)
                    }
                }
            }
            return collected
        }
        let result = outcome.closureResult
        let status: Int32
        switch outcome.terminationStatus {
        case .exited(let code): status = code
        case .signaled(let signal): status = 128 + signal
        }
        return Result(status: status, stdout: result.stdout, stderr: result.stderr, timedOut: result.timedOut)
    }

    /// What the run's readers have kept so far.
    private struct Collected: Sendable {
        var stdout = ""
        var stderr = ""
        var timedOut = false
        /// Streams not yet read to their end.
        var open = 2
    }

    /// What one of the run's tasks finished with.
    private enum Stream: Sendable {
        case output(String, isError: Bool)
        case deadline
    }

    /// Reads `sequence` to its end, keeping only its last ``tailBytes`` bytes.
    private static func tail(of sequence: SubprocessOutputSequence) async throws -> String {
        var kept: [UInt8] = []
        for try await buffer in sequence {
            buffer.withUnsafeBytes { kept.append(contentsOf: $0) }
            if kept.count > 2 * tailBytes { kept.removeFirst(kept.count - tailBytes) }
        }
        return String(decoding: kept.suffix(tailBytes), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
