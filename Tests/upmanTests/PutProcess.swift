import Foundation
import TestSupport

/// `upman put` running as a child process, its standard output read line by line as it arrives
/// (on threads of their own), so a test can act when the run reaches a point: after the third
/// part, when it says it is waiting for the server.
final class PutProcess: @unchecked Sendable {
    private let process: Process
    private let condition = NSCondition()
    private var lines: [String] = []
    private var partial = Data()
    private var ended = false
    private var errors = Data()
    private var errorsEnded = false

    /// Starts `upman arguments...`.
    init(_ arguments: [String]) throws {
        let (process, out, err) = try UpmanBinary.launch(arguments)
        self.process = process
        Thread.detachNewThread { [self] in
            while true {
                let chunk = PipeRead.available(out.fileHandleForReading)
                condition.lock()
                if chunk.isEmpty {
                    if !partial.isEmpty { lines.append(String(decoding: partial, as: UTF8.self)) }
                    ended = true
                } else {
                    partial.append(chunk)
                    while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
                        lines.append(String(decoding: partial[partial.startIndex..<newline], as: UTF8.self))
                        partial = Data(partial[partial.index(after: newline)...])
                    }
                }
                condition.broadcast()
                condition.unlock()
                if chunk.isEmpty { return }
            }
        }
        Thread.detachNewThread { [self] in
            let data = PipeRead.toEnd(err.fileHandleForReading)
            condition.lock()
            errors = data
            errorsEnded = true
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Waits until `count` JSON lines satisfy `predicate` and returns the last of them, or nil when
    /// the output ends first (put exited).
    func waitFor(_ count: Int = 1, _ predicate: @escaping @Sendable ([String: Any]) -> Bool) async throws -> [String: Any]? {
        let line: String? = try await offPool { [self] in
            condition.lock()
            defer { condition.unlock() }
            var seen = 0
            var index = 0
            while true {
                while index < lines.count {
                    if let object = Self.object(lines[index]), predicate(object) {
                        seen += 1
                        if seen == count { return lines[index] }
                    }
                    index += 1
                }
                if ended { return nil }
                condition.wait()
            }
        }
        return line.flatMap(Self.object)
    }

    /// Waits for the exit and returns the status and everything printed.
    func finish() async throws -> (status: Int32, stdout: String, stderr: String) {
        let status = try await offPool { [process] in process.waitForExit() }
        let (stdout, stderr): (String, String) = try await offPool { [self] in
            condition.lock()
            defer { condition.unlock() }
            while !ended || !errorsEnded { condition.wait() }
            return (lines.joined(separator: "\n"), String(decoding: errors, as: UTF8.self))
        }
        return (status, stdout, stderr)
    }

    /// Every JSON line printed so far.
    var objects: [[String: Any]] {
        condition.lock()
        defer { condition.unlock() }
        return lines.compactMap(Self.object)
    }

    /// Kills it (when a test gives up on it).
    func kill() {
        signal(SIGKILL)
    }

    /// Sends it `number` (SIGCONT lets it go on after a stop).
    func signal(_ number: Int32) {
        Foundation.kill(process.processIdentifier, number)
    }

    /// Its process id.
    var pid: Int32 { process.processIdentifier }

    static func object(_ line: String) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }
}
