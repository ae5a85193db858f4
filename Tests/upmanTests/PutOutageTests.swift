import Foundation
import Testing
import TestSupport
import UploadModel
import UploadStore

/// A server that goes away mid-upload (SIGKILL, then started again on the same port): `upman put`
/// waits for it, says so, and carries on; past its patience it stops with the command that resumes.
@Suite struct PutOutageTests {
    /// The old uploader gave each part five attempts (about 10 s) and then failed the file: the
    /// server stays away here until put has made seven rounds of tries (more than 15 s), counted
    /// by put itself, not by a clock.
    @Test func aServerAwayLongerThanAPartsAttemptsIsWaitedFor() async throws {
        try await PartWatch.untilCaught { try await longOutageRun(missIsFinal: $0) }
    }

    /// One run of `aServerAwayLongerThanAPartsAttemptsIsWaitedFor`; false when put was not caught
    /// mid-upload (and that is not final), having checked nothing.
    func longOutageRun(missIsFinal: Bool) async throws -> Bool {
        let folder = try TemporaryFolder()
        let server = try RestartableServer(dataPath: folder.path("data"), logPath: folder.path("serve.log"))
        try await server.start()
        let digest = try await RandomFile.write(folder.path("big.bin"), size: 60 << 20, seed: 12)
        let put = try PutProcess(["put", folder.path("big.bin"), "--server", server.url, "--data", folder.path("data"), "--json",
                                  "--concurrency", "2", "--part-size", "5MiB", "--patience", "600s"])
        defer { put.kill() }
        // Held still the moment the server has three parts, so no machine is slow enough for it to finish first.
        let pid = put.pid
        let held = try await PartWatch.signal(SIGSTOP, pid: { pid }, database: folder.path("data/upman.db")) { parts in
            parts.count { $0.status == .uploaded } >= 3
        }
        guard held != nil else {
            #expect(!missIsFinal, "put was never caught mid-upload, in three runs")
            return false
        }
        try await server.kill()
        put.signal(SIGCONT)
        let waiting = try await put.waitFor {
            $0["event"] as? String == "server" && $0["state"] as? String == "waiting" && ($0["attempt"] as? Int ?? 0) >= 7
        }
        if waiting == nil {
            let end = try await put.finish()
            Issue.record("put ended (status \(end.status)) while the server was away: \(end.stderr)")
            return true
        }
        try await server.start()
        let end = try await put.finish()
        #expect(end.status == 0, "\(end.stderr)")
        let objects = put.objects
        #expect(objects.contains { $0["event"] as? String == "server" && $0["state"] as? String == "reachable" })
        let summary = try #require(objects.last)
        #expect(summary["event"] as? String == "summary" && summary["completed"] as? Int == 1)
        let groupId = try #require(summary["groupId"] as? String)
        let store = try UploadReader.open(path: folder.path("data/upman.db"))
        let session = try #require(try await store.sessions(SessionQuery(groupId: groupId)).first)
        #expect(session.status == .completed)
        #expect(try await store.jobs(sessionId: session.id).first?.output == digest)
        return true
    }

    @Test func aServerThatStaysAwayEndsWithTheCommandThatResumes() async throws {
        try await PartWatch.untilCaught { try await shortPatienceRun(missIsFinal: $0) }
    }

    /// One run of `aServerThatStaysAwayEndsWithTheCommandThatResumes`; false when put was not caught
    /// mid-upload (and that is not final), having checked nothing.
    func shortPatienceRun(missIsFinal: Bool) async throws -> Bool {
        let folder = try TemporaryFolder()
        let server = try RestartableServer(dataPath: folder.path("data"), logPath: folder.path("serve.log"))
        try await server.start()
        let digest = try await RandomFile.write(folder.path("my file.bin"), size: 60 << 20, seed: 13)
        let put = try PutProcess(["put", folder.path("my file.bin"), "--server", server.url, "--data", folder.path("data"), "--json",
                                  "--concurrency", "1", "--part-size", "5MiB", "--patience", "2s"])
        defer { put.kill() }
        let pid = put.pid
        let held = try await PartWatch.signal(SIGSTOP, pid: { pid }, database: folder.path("data/upman.db")) { parts in
            parts.count { $0.status == .uploaded } >= 2
        }
        guard held != nil else {
            #expect(!missIsFinal, "put was never caught mid-upload, in three runs")
            return false
        }
        try await server.kill()
        put.signal(SIGCONT)
        let end = try await put.finish()
        #expect(end.status == 1)
        let objects = put.objects
        #expect(objects.contains { $0["event"] as? String == "server" && $0["state"] as? String == "gaveUp" })
        let hint = try #require(end.stderr.split(separator: "\n").first { $0.hasPrefix("resume with: upman put ") }, "\(end.stderr)")
        let command = String(hint.dropFirst("resume with: upman".count))
        #expect(command.contains("'\(folder.path("my file.bin"))'") && command.contains("--resume grp_"))
        #expect(objects.last?["resumeCommand"] as? String == "upman" + command)

        try await server.start()
        let resumed = try await offPool { try runTool(["bash", "-c", "exec \"$0\"" + command, UpmanBinary.url.path]) }
        #expect(resumed.code == 0, "\(resumed.output)")
        let started = resumed.output.split(separator: "\n").compactMap { PutProcess.object(String($0)) }
            .first { $0["event"] as? String == "file" && $0["state"] as? String == "uploading" }
        #expect((started?["partsAlreadyUploaded"] as? Int ?? 0) >= 2)
        let store = try UploadReader.open(path: folder.path("data/upman.db"))
        let sessionId = try #require(started?["sessionId"] as? String)
        #expect(try await store.jobs(sessionId: sessionId).first?.output == digest)
        return true
    }
}
