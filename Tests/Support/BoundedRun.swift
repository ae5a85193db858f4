#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One short-lived command run to its end within a time bound: its exit status, standard output
/// and standard error, read apart (so a notice on standard error never mixes into the answer).
public struct BoundedRun: Sendable {
    /// The exit status, 128 + the signal when a signal ended it.
    public let status: Int32
    /// What it wrote to standard output.
    public let output: String
    /// What it wrote to standard error.
    public let errors: String

    /// Runs `executable` with `arguments`, in `directory` if given, with `environment` (this
    /// process's when nil); kills it (SIGKILL to its process group) when it has not ended within
    /// `timeout` seconds and throws `POSIXError(.ETIMEDOUT)`. Blocks the calling thread: call it
    /// off the cooperative pool.
    public static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil,
        environment: [String: String]? = nil, timeout: Double = 60
    ) throws -> BoundedRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try LaunchThread.run(process)
        // Both pipes are drained at once, so a child filling one while the other is read never stalls.
        let output = PipeDrain(out.fileHandleForReading)
        let errors = PipeDrain(err.fileHandleForReading)
        guard let status = process.waitForExit(seconds: timeout) else {
            kill(-process.processIdentifier, SIGKILL)
            kill(process.processIdentifier, SIGKILL)
            _ = process.waitForExit(seconds: 10)
            throw POSIXError(.ETIMEDOUT)
        }
        return BoundedRun(
            status: status, output: String(decoding: output.wait(seconds: 10), as: UTF8.self),
            errors: String(decoding: errors.wait(seconds: 10), as: UTF8.self)
        )
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeDrain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = PipeRead.toEnd(handle)
            done.signal()
        }
    }

    /// What was read, once the pipe ended or `seconds` passed (then what arrived is lost).
    func wait(seconds: Double) -> Data {
        done.wait(timeout: .now() + seconds) == .success ? data : Data()
    }
}
