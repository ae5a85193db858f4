import Foundation
import TestSupport

extension UpmanBinary {
    /// Runs `upman arguments...` like `run`, but SIGKILLs it when it has not ended within
    /// `limit`; `timedOut` says so (a hang is a finding, not something to wait out).
    static func run(_ arguments: [String], within limit: Duration) async throws -> (result: Result, timedOut: Bool) {
        let (process, out, err) = try launch(arguments)
        async let stdout = offPool { out.fileHandleForReading.readDataToEndOfFile() }
        async let stderr = offPool { err.fileHandleForReading.readDataToEndOfFile() }
        var status = await process.exitStatus(within: limit)
        let timedOut = status == nil
        if timedOut {
            kill(process.processIdentifier, SIGKILL)
            status = try await offPool { process.waitForExit() }
        }
        let result = Result(
            status: status ?? -1, stdout: String(decoding: try await stdout, as: UTF8.self),
            stderr: String(decoding: try await stderr, as: UTF8.self))
        return (result, timedOut)
    }
}
