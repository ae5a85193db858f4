import Foundation
import Testing
import TestSupport

/// More files than the process may have open at once: each is opened only while it is read.
@Suite struct PutManyFilesTests {
    @Test func moreFilesThanDescriptorsAllArrive() async throws {
        let folder = try TemporaryFolder()
        let (server, url) = try await ServeProcess.start(folder)
        defer { server.terminate() }
        let many = folder.path("many")
        try FileManager.default.createDirectory(atPath: many, withIntermediateDirectories: true)
        for index in 1...400 { try Data("file \(index)\n".utf8).write(to: URL(fileURLWithPath: "\(many)/f\(index).txt")) }
        let arguments = ["sh", "-c", "ulimit -n 64 && exec \"$@\"", "sh", UpmanBinary.url.path, "put", many,
                         "--server", url, "--data", folder.path("data"), "--json"]
        let run = try await offPool { try runTool(arguments) }
        #expect(run.code == 0, "\(run.output.suffix(600))")
        let completed = run.output.split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["event"] as? String == "file" && $0["state"] as? String == "completed" }
        #expect(completed.count == 400)
    }
}
