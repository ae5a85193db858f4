import TestSupport
import Foundation

/// Runs the built `upman` executable as a separate process.
enum UpmanBinary {
    /// The `upman` binary beside the test bundle (both live in the build's products folder).
    static var url: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for folder in candidates {
            let binary = folder.appendingPathComponent("upman")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/upman")
    }

    /// The result of one run.
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `upman arguments...` to completion, waiting on a thread of its own (never on the
    /// cooperative pool, which the tests' in-process servers need).
    static func run(_ arguments: [String]) async throws -> Result {
        try await offPool { try runBlocking(arguments) }
    }

    /// Starts `upman arguments...` with its output and errors on pipes.
    static func launch(_ arguments: [String]) throws -> (process: Process, out: Pipe, err: Pipe) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try LaunchThread.run(process)
        return (process, out, err)
    }

    private static func runBlocking(_ arguments: [String]) throws -> Result {
        let (process, out, err) = try launch(arguments)
        let outData = PipeRead.toEnd(out.fileHandleForReading)
        let errData = PipeRead.toEnd(err.fileHandleForReading)
        return Result(
            status: process.waitForExit(), stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}


extension UpmanBinary {
    /// Runs `upman arguments...`, sends `signal` once stdout has shown `marker` `count` times, and
    /// waits for the end. Returns everything printed (stdout includes what came before the signal).
    static func runInterrupted(
        _ arguments: [String], after marker: String, count: Int, signal: Int32
    ) async throws -> (result: Result, killedBySignal: Bool) {
        try await offPool {
            let (process, out, err) = try launch(arguments)
            var seen = ""
            while seen.components(separatedBy: marker).count <= count {
                let chunk = PipeRead.available(out.fileHandleForReading)
                if chunk.isEmpty { break }
                seen += String(decoding: chunk, as: UTF8.self)
            }
            kill(process.processIdentifier, signal)
            let stderr = String(decoding: PipeRead.toEnd(err.fileHandleForReading), as: UTF8.self)
            seen += String(decoding: PipeRead.toEnd(out.fileHandleForReading), as: UTF8.self)
            let end = process.waitForTermination()
            return (Result(status: end.code, stdout: seen, stderr: stderr), end.bySignal)
        }
    }
}
