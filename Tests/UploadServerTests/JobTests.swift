import Foundation
import Testing
import UploadModel
import UploadStore
@testable import UploadServer

/// Processing jobs: exec with retry and timeout, operator retry, restart recovery.
@Suite struct JobTests {
    func script(_ server: TestServer, _ body: String) throws -> String {
        try FileManager.default.createDirectory(at: server.folder, withIntermediateDirectories: true)
        let url = server.folder.appendingPathComponent("job-\(UUID().uuidString).sh")
        try ("#!/bin/sh\n" + body).write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    @Test func execJobRetriesUntilItSucceeds() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-jobs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let counter = folder.appendingPathComponent("count").path
        let path = folder.appendingPathComponent("flaky.sh")
        try """
            #!/bin/sh
            n=$(cat \(counter) 2>/dev/null || echo 0); n=$((n+1)); echo $n > \(counter)
            if [ $n -lt 2 ]; then echo "scanner busy" >&2; exit 3; fi
            echo "clean: $(wc -c < "$1") bytes"
            """.write(to: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path.path)
        let server = try await TestServer.start(folder: folder) {
            $0.jobs = ["exec"]
            $0.execCommand = path.path
        }
        let id = try await server.upload(randomBytes(42), name: "scan.bin")
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        let job = try #require(try await server.store.reader.jobs(sessionId: id).first)
        #expect(job.status == .succeeded && job.attempts == 2 && job.output == "clean: 42 bytes")
        let events = try await server.store.reader.events(after: 0, limit: 10_000).filter { $0.entityId == job.id }
        let statuses = try events.compactMap { event -> String? in
            if case .job(let j) = try event.change() { return j.status.rawValue } else { return nil }
        }
        #expect(statuses == ["QUEUED", "RUNNING", "FAILED", "QUEUED", "RUNNING", "SUCCEEDED"])
        await server.finish()
    }

    @Test func execTimeoutFailsTheJobAndAnOperatorRetryRunsItAgain() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upman-jobs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let flag = folder.appendingPathComponent("fast").path
        let path = folder.appendingPathComponent("slow.sh")
        try """
            #!/bin/sh
            if [ -f \(flag) ]; then echo done; exit 0; fi
            sleep 30
            """.write(to: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path.path)
        let server = try await TestServer.start(folder: folder) {
            $0.jobs = ["exec"]
            $0.execCommand = path.path
            $0.execTimeout = 0.3
            $0.jobMaxAttempts = 2
        }
        let id = try await server.upload(randomBytes(10), name: "slow.bin")
        try await server.waitFor("FAILED") { try await server.store.reader.session(id)?.status == .failed }
        let job = try #require(try await server.store.reader.jobs(sessionId: id).first)
        #expect(job.status == .failed && job.attempts == 2 && job.error?.code == "execTimeout")
        #expect(try await server.store.reader.session(id)?.error?.code == "jobFailed")
        _ = FileManager.default.createFile(atPath: flag, contents: Data())
        let retried = try await server.ok("retry", ["jobId": job.id])
        #expect((retried["jobs"] as? [[String: Any]])?.first?["status"] as? String == "QUEUED")
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        let after = try #require(try await server.store.reader.jobs(sessionId: id).first)
        #expect(after.attempts == 3 && after.output == "done")
        await server.finish()
    }

    @Test func contentTypeIsSniffedFromTheBytes() async throws {
        let server = try await TestServer.start()
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        png.append(randomBytes(100))
        let id = try await server.upload(png, name: "picture.dat")
        try await server.waitFor("COMPLETED") { try await server.store.reader.session(id)?.status == .completed }
        #expect(try await server.store.reader.jobs(sessionId: id).last?.output == "image/png")
        #expect(ContentSniffer.mediaType(of: Array("%PDF-1.7".utf8)) == "application/pdf")
        #expect(ContentSniffer.mediaType(of: Array("héllo".utf8)) == "text/plain")
        #expect(ContentSniffer.mediaType(of: [0, 1, 2, 200]) == "application/octet-stream")
        await server.finish()
    }
}
