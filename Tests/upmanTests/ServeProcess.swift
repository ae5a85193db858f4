import TestSupport
import Foundation

/// `upman serve` as a child process on a free port.
enum ServeProcess {
    /// Starts it with data in `folder/data`; returns the process and its base URL.
    static func start(_ folder: TemporaryFolder, extra: [String] = []) async throws -> (Process, String) {
        let path = folder.path("data")
        return try await offPool { try startBlocking(dataPath: path, extra: extra) }
    }

    private static func startBlocking(dataPath: String, extra: [String]) throws -> (Process, String) {
        let process = Process()
        process.executableURL = UpmanBinary.url
        process.arguments = ["serve", "--data", dataPath, "--port", "0"] + extra
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try LaunchThread.run(process)
        var line = ""
        let handle = out.fileHandleForReading
        while !line.contains("\n") {
            let chunk = PipeRead.available(handle)
            if chunk.isEmpty { break }
            line += String(decoding: chunk, as: UTF8.self)
        }
        let url = line.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init) ?? ""
        return (process, url)
    }
}
