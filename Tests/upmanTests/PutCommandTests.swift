import TestSupport
import AsyncHTTPClient
import Foundation
import Testing
import Crypto
import UploadModel
import UploadStore

/// `upman put` as scripts use it: JSON lines, exit status, one-line errors, Ctrl-C and resume.
@Suite struct PutCommandTests {
    func lines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func write(_ folder: TemporaryFolder, _ name: String, size: Int) throws -> String {
        let path = folder.path(name)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var bytes = [UInt8](repeating: 0, count: size)
        for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: index &* 2654435761 >> 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aDirectoryBecomesOneGroupAndEveryLineNamesIt() async throws {
        let folder = try TemporaryFolder()
        let (server, url) = try await ServeProcess.start(folder)
        defer { server.terminate() }
        _ = try write(folder, "batch/a.txt", size: 10)
        _ = try write(folder, "batch/sub/b.bin", size: 9 << 20)
        _ = try write(folder, "batch/empty", size: 0)
        let run = try await UpmanBinary.run(["put", folder.path("batch"), "--server", url, "--data", folder.path("data"), "--json", "--part-size", "5MiB"])
        #expect(run.status == 0, "\(run.stderr)")
        let events = lines(run.stdout)
        #expect(!events.isEmpty)
        let groupId = events.first?["groupId"] as? String
        #expect(groupId?.hasPrefix("grp_") == true)
        #expect(events.allSatisfy { $0["groupId"] as? String == groupId })
        #expect(events.filter { $0["event"] as? String == "file" }.allSatisfy { ($0["sessionId"] as? String)?.hasPrefix("ses_") == true })
        let completed = events.filter { $0["event"] as? String == "file" && $0["state"] as? String == "completed" }
        #expect(Set(completed.compactMap { $0["fileName"] as? String }) == ["batch/a.txt", "batch/sub/b.bin", "batch/empty"])
        let summary = try #require(events.last)
        #expect(summary["event"] as? String == "summary" && summary["completed"] as? Int == 3 && summary["failed"] as? Int == 0)
    }

    @Test func theWholeFilesChecksumIsRecordedAndMD5OnlyWhenAsked() async throws {
        let folder = try TemporaryFolder()
        let (server, url) = try await ServeProcess.start(folder)
        defer { server.terminate() }
        let big = try write(folder, "sums/big.bin", size: (12 << 20) + 17)
        _ = try write(folder, "sums/small.txt", size: 100)
        let wrong = try await UpmanBinary.run(["put", big, "--server", url, "--data", folder.path("data"), "--checksum", "sha1"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("--checksum must be crc32c or md5"))
        var groups: [String] = []
        for mode in ["crc32c", "md5"] {
            let run = try await UpmanBinary.run(["put", folder.path("sums"), "--server", url, "--data", folder.path("data"), "--json",
                                                 "--part-size", "5MiB", "--checksum", mode, "--group", mode])
            #expect(run.status == 0, "\(run.stderr)")
            groups += lines(run.stdout).compactMap { $0["groupId"] as? String }.prefix(1)
        }
        let reader = try UploadReader.open(path: folder.path("data/upman.db"))
        var sessions: [UploadSession] = []
        for group in groups { sessions += try await reader.sessions(SessionQuery(groupId: group)) }
        #expect(sessions.count == 4)
        for session in sessions {
            let name = String(session.fileName.split(separator: "/").last ?? "")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path("sums/" + name)))
            // S3's full-object CRC-32C of the file, combined by the server from its parts'.
            #expect(session.checksum == ObjectChecksum(crc32c: CRC32C.checksum(bytes)), "\(session.fileName)")
        }
    }

    @Test func userMistakesAreOneLine() async throws {
        let folder = try TemporaryFolder()
        let missing = try await UpmanBinary.run(["put", folder.path("nope.txt"), "--token", "x"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such file"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
        let file = try write(folder, "f.txt", size: 5)
        let unreachable = try await UpmanBinary.run(["put", file, "--server", "http://127.0.0.1:9", "--token", "x", "--patience", "1s"])
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("cannot reach"))
        #expect(unreachable.stderr.split(separator: "\n").count == 1)
        let (server, url) = try await ServeProcess.start(folder)
        defer { server.terminate() }
        let badToken = try await UpmanBinary.run(["put", file, "--server", url, "--token", "wrong"])
        #expect(badToken.status == 1)
        #expect(badToken.stderr.contains("token"))
        #expect(badToken.stderr.split(separator: "\n").count == 1)
        #expect(!badToken.stderr.contains("Fatal"))
    }

    @Test func ctrlCPrintsTheResumeCommandAndResumeFinishes() async throws {
        let folder = try TemporaryFolder()
        let (server, url) = try await ServeProcess.start(folder)
        defer { server.terminate() }
        let big = try write(folder, "big.bin", size: 200 << 20)
        let (run, _) = try await UpmanBinary.runInterrupted(
            ["put", big, "--server", url, "--data", folder.path("data"), "--json", "--concurrency", "1", "--part-size", "5MiB"],
            after: "\"part\"", count: 1, signal: SIGINT)
        let stderr = run.stderr
        #expect(run.status == 130)
        let hint = try #require(stderr.split(separator: "\n").first { $0.contains("resume with: upman put") })
        let groupId = try #require(hint.split(separator: " ").last.map(String.init))
        #expect(groupId.hasPrefix("grp_"))
        let resumed = try await UpmanBinary.run(["put", big, "--resume", groupId, "--server", url, "--data", folder.path("data"), "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let started = lines(resumed.stdout).first { $0["event"] as? String == "file" && $0["state"] as? String == "uploading" }
        #expect((started?["partsAlreadyUploaded"] as? Int ?? 0) >= 1)
    }
}

/// A real SIGKILL of the uploader mid-file; the resume sends only what is missing. The server's
/// own record decides what "sent" means, not the uploader's report: part events in the log
/// (every PUT the store accepts moves its part to UPLOADING) and the parts counter of `/metrics`.
@Suite struct PutKillTests {
    @Test func killedClientResumesWithOnlyTheMissingParts() async throws {
        let folder = try TemporaryFolder()
        let (server, url) = try await ServeProcess.start(folder)
        defer { server.terminate() }
        let size = 80 << 20
        var bytes = [UInt8](repeating: 0, count: size)
        var state: UInt64 = 42
        for index in bytes.indices {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 56)
        }
        let path = folder.path("k.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (run, killed) = try await UpmanBinary.runInterrupted(
            ["put", path, "--server", url, "--data", folder.path("data"), "--json", "--concurrency", "2", "--part-size", "5MiB"],
            after: "\"state\":\"uploaded\"", count: 3, signal: SIGKILL)
        #expect(killed)
        let first = run.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let groupId = try #require(first.first?["groupId"] as? String)
        let sessionId = try #require(first.first { $0["sessionId"] != nil }?["sessionId"] as? String)

        // The server notices the dropped connections and fails the parts that were in flight.
        let store = try UploadReader.open(path: folder.path("data/upman.db"))
        var before = try await store.parts(sessionId: sessionId)
        for _ in 0..<200 where before.contains(where: { $0.status == .uploading }) {
            try await Task.sleep(for: .milliseconds(50))
            before = try await store.parts(sessionId: sessionId)
        }
        #expect(!before.contains { $0.status == .uploading }, "parts still UPLOADING after the uploader died")
        let missing = Set(before.filter { $0.status != .uploaded }.map(\.partNumber))
        let kept = before.filter { $0.status == .uploaded }
        #expect(kept.count >= 3 && !missing.isEmpty, "\(kept.count) parts kept, \(missing.count) missing")
        let mark = try await store.latestEventId()
        let receivedBefore = try await partsReceived(url)

        let resumed = try await UpmanBinary.run(["put", path, "--resume", groupId, "--server", url, "--data", folder.path("data"), "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let events = resumed.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let started = try #require(events.first { $0["event"] as? String == "file" && $0["state"] as? String == "uploading" })
        #expect(started["partsAlreadyUploaded"] as? Int == kept.count)

        // What the server received after the resume began: one accepted PUT per missing part.
        var puts: [Int: Int] = [:]
        var uploaded: [Int: Int] = [:]
        for event in try await store.events(after: mark, limit: 100_000, groupId: groupId) {
            guard case .part(let part) = try event.change(), part.sessionId == sessionId else { continue }
            if part.status == .uploading { puts[part.partNumber, default: 0] += 1 }
            if part.status == .uploaded { uploaded[part.partNumber, default: 0] += 1 }
        }
        #expect(Set(puts.keys) == missing, "the server received parts \(puts.keys.sorted()); \(missing.sorted()) were missing")
        #expect(puts.values.allSatisfy { $0 == 1 } && uploaded.values.allSatisfy { $0 == 1 } && Set(uploaded.keys) == missing,
                "parts received more than once: \(puts.filter { $0.value > 1 }) \(uploaded.filter { $0.value > 1 })")
        #expect(try await partsReceived(url) - receivedBefore == missing.count)
        let after = Dictionary(uniqueKeysWithValues: try await store.parts(sessionId: sessionId).map { ($0.partNumber, $0) })
        for part in kept {
            #expect(after[part.partNumber]?.attempts == part.attempts && after[part.partNumber]?.etag == part.etag,
                    "part \(part.partNumber) was kept, yet the server took it again")
        }

        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        #expect(try await store.jobs(sessionId: sessionId).first?.output == digest)
        #expect(try await store.session(sessionId)?.status == .completed)
        #expect(try await store.session(sessionId)?.bytesUploaded == Int64(size))
    }

    /// `upman_parts_uploaded_total` from the server's `/metrics`: parts its store accepted.
    func partsReceived(_ url: String) async throws -> Int {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/metrics"), timeout: .seconds(Patience.requestSeconds))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("upman_parts_uploaded_total") })
        return try #require(line.split(separator: " ").last.flatMap { Double($0) }.map { Int($0) })
    }
}
