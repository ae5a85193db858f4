import Foundation
import TestSupport

/// One run of `TusClientScript` as a child process: its JSON events as they come, SIGKILL at a
/// chosen moment, and its end waited with waitid (Tests/Support), off the cooperative pool.
final class TusPython: @unchecked Sendable {
    /// Whether python3 can import tuspy (`pip install tuspy`) and requests.
    static let installed: Bool = (try? runTool(["python3", "-c", "import tusclient, requests"]).code) == 0

    let process: Process
    /// Where its standard error goes.
    let logPath: String
    private let reader: FileHandle
    private let writer: FileHandle
    private var buffer = ""
    private let lock = NSLock()
    private var seen: [[String: Any]] = []
    private var inputClosed = false

    /// Starts the script with `arguments` (see `TusClientScript.source`).
    init(_ arguments: [String: Any], logPath: String) throws {
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let json = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-c", TusClientScript.source, json]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: logPath) ?? FileHandle.nullDevice
        let input = Pipe()
        process.standardInput = input
        self.process = process
        reader = out.fileHandleForReading
        writer = input.fileHandleForWriting
        try LaunchThread.run(process)
    }

    deinit { if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) } }

    /// Every event read so far.
    var events: [[String: Any]] { lock.withLock { seen } }

    /// The next event, or nil once the script's output has ended.
    func next() async throws -> [String: Any]? {
        while let line = try await offPool({ self.nextLine() }) {
            if let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
                lock.withLock { seen.append(event) }
                return event
            }
        }
        return nil
    }

    /// Reads events until one satisfies `condition` (answers it) or the output ends (nil).
    func until(_ condition: ([String: Any]) -> Bool) async throws -> [String: Any]? {
        while let event = try await next() {
            if condition(event) { return event }
        }
        return nil
    }

    /// Reads to the end of its output and waits for it; answers its exit status (128 + signal).
    func finish() async throws -> Int32 {
        lock.withLock {
            if !inputClosed { try? writer.close() }
            inputClosed = true
        }
        while try await next() != nil {}
        return try await offPool { self.process.waitForExit() }
    }

    /// Lets a run that said `stalled` go on (a line on its standard input).
    func resume() {
        lock.withLock {
            if !inputClosed { try? writer.write(contentsOf: Data("go\n".utf8)) }
        }
    }

    /// SIGKILLs it now and waits for it.
    func kill() async throws {
        Foundation.kill(process.processIdentifier, SIGKILL)
        _ = try await finish()
    }

    /// The last event named `name`.
    func last(_ name: String) -> [String: Any]? { events.last { $0["event"] as? String == name } }

    /// Its standard error's last lines, for failure messages.
    var stderrTail: String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    /// The next line of its output (blocks; nil at the end).
    private func nextLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: "\n") {
                let line = String(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            let chunk = PipeRead.available(reader)
            if chunk.isEmpty {
                defer { buffer = "" }
                return buffer.isEmpty ? nil : buffer
            }
            buffer += String(decoding: chunk, as: UTF8.self)
        }
    }
}

extension [String: Any] {
    /// An integer field of a JSON event (numbers, or strings of digits such as a header's value).
    func int(_ key: String) -> Int? {
        if let number = self[key] as? Int { return number }
        if let text = self[key] as? String { return Int(text) }
        return nil
    }
}
