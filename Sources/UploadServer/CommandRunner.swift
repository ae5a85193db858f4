import Foundation

/// Runs an external command with a time limit and keeps the tail of its output.
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
        let process = Process()
        // setsid makes the command lead its own process group, so a timeout stops its children too.
        let setsid = "/usr/bin/setsid"
        let grouped = FileManager.default.isExecutableFile(atPath: setsid)
        process.executableURL = URL(fileURLWithPath: grouped ? setsid : "/usr/bin/env")
        process.arguments = [command] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let exited = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in exited.continuation.finish() }
        try process.run()
        let stdout = Task.detached { tail(out.fileHandleForReading.readDataToEndOfFile()) }
        let stderr = Task.detached { tail(err.fileHandleForReading.readDataToEndOfFile()) }
        let timedOut = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in exited.stream {}
                return false
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return !Task.isCancelled
            }
            let first = await group.next() ?? false
            if first {
                let target = grouped ? -process.processIdentifier : process.processIdentifier
                kill(target, SIGTERM)
                try? await Task.sleep(for: .seconds(2))
                kill(target, SIGKILL)
            }
            group.cancelAll()
            return first
        }
        process.waitUntilExit()
        if timedOut {
            return Result(status: process.terminationStatus, stdout: "", stderr: "", timedOut: true)
        }
        return Result(status: process.terminationStatus, stdout: await stdout.value, stderr: await stderr.value, timedOut: false)
    }

    private static func tail(_ data: Data) -> String {
        String(decoding: data.suffix(tailBytes), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
