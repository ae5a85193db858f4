import Foundation
import TestSupport

/// `upman serve` as a child process on one fixed port and data folder, so that it can be
/// SIGKILLed and started again where signed URLs (which carry host:port) still point.
final class RestartableServer: @unchecked Sendable {
    /// The data folder.
    let dataPath: String
    /// The port every generation listens on.
    let port: Int
    /// `http://127.0.0.1:PORT`.
    var url: String { "http://127.0.0.1:\(port)" }
    /// The servers' standard error, appended generation after generation.
    let logPath: String
    private let lock = NSLock()
    private var current: Process?
    private var generation = 0

    init(dataPath: String, logPath: String) throws {
        self.dataPath = dataPath
        self.logPath = logPath
        self.port = try freeLoopbackPort()
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    }

    /// Starts a new generation and waits until it listens; retries for a few seconds while the
    /// port is still held by the one that was just killed.
    func start() async throws {
        try await offPool { try self.startBlocking() }
    }

    private func startBlocking() throws {
        let deadline = Date().addingTimeInterval(Patience.quiet)
        while true {
            let process = Process()
            process.executableURL = UpmanBinary.url
            process.arguments = ["serve", "--data", dataPath, "--host", "127.0.0.1", "--port", String(port)]
            let out = Pipe()
            process.standardOutput = out
            let log = FileHandle(forWritingAtPath: logPath)
            log?.seekToEndOfFile()
            process.standardError = log ?? FileHandle.nullDevice
            try LaunchThread.run(process)
            try? log?.close()
            var line = ""
            while !line.contains("\n") {
                let chunk = PipeRead.available(out.fileHandleForReading)
                if chunk.isEmpty { break }
                line += String(decoding: chunk, as: UTF8.self)
            }
            if line.contains("listening on") {
                lock.withLock {
                    current = process
                    generation += 1
                }
                return
            }
            // It ended without listening (the port was still taken): reap it and try again.
            _ = process.waitForExit()
            guard Date() < deadline else {
                throw ServerStartError(message: "upman serve did not listen on port \(port) within \(Int(Patience.quiet)) s; see \(logPath)")
            }
            usleep(100_000)
        }
    }

    /// SIGKILLs the running generation and waits until it is gone.
    func kill() async throws {
        guard let process = lock.withLock({ current }) else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        _ = try await offPool { process.waitForTermination() }
        lock.withLock { current = nil }
    }

    /// Stops the running generation with SIGTERM (a graceful shutdown) and returns its status.
    func stop() async throws -> Int32? {
        guard let process = lock.withLock({ current }) else { return nil }
        Foundation.kill(process.processIdentifier, SIGTERM)
        let status = await process.exitStatus(within: .seconds(Patience.quiet))
        if status == nil {
            Foundation.kill(process.processIdentifier, SIGKILL)
            _ = try await offPool { process.waitForTermination() }
        }
        lock.withLock { current = nil }
        return status
    }

    deinit {
        if let current { Foundation.kill(current.processIdentifier, SIGKILL) }
    }

    /// The last `lines` lines the servers wrote to standard error.
    func logTail(_ lines: Int = 40) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
