import Foundation
import TestSupport
import Testing

/// A third-party tus client, tuspy (PyPI `tuspy`, imported as `tusclient`), against `upman
/// serve`'s `/files/`: files go up with their bytes intact (the server's sha256 job), and an
/// upload resumes from the server's offset after the client or the server was SIGKILLed mid-upload.
@Suite(.serialized) struct TusClientTests {
    static let mib = 1 << 20

    /// What every run of the script gets besides its own options.
    static func arguments(endpoint: String, token: String, path: String, chunk: Int, extra: [String: Any] = [:]) -> [String: Any] {
        ["endpoint": endpoint, "token": token, "path": path, "chunk": chunk,
         "metadata": ["filename": URL(fileURLWithPath: path).lastPathComponent, "group": "tuspy"]].merging(extra) { $1 }
    }

    @Test(.enabled(if: TusPython.installed, "python3 with tuspy is not installed (pip install tuspy)"))
    func aSmallAndALargeFileGoUpWithChecksums() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let token = try await bed.userToken("alice")
        for (name, size, chunk) in [("small.bin", 1024, 1024), ("large.bin", 64 * Self.mib, 4 * Self.mib)] {
            let path = bed.folder.path(name)
            let sha256 = try await RandomFile.write(path, size: size, seed: UInt64(size))
            let run = try TusPython(Self.arguments(endpoint: bed.endpoint, token: token, path: path, chunk: chunk, extra: ["checksum": true]),
                                    logPath: bed.folder.path("\(name).log"))
            let code = try await run.finish()
            let done = run.last("done")
            #expect(code == 0 && done != nil, "\(name): tuspy ended \(code): \(run.events.last ?? [:])\n\(run.stderrTail)")
            let patches = run.events.filter { $0["event"] as? String == "patched" }
            #expect(patches.count == (size + chunk - 1) / chunk && patches.allSatisfy { $0.int("status") == 204 },
                    "\(name): one PATCH (204) per chunk, each with its sha1: \(patches)")
            #expect(done?.int("sent") == size, "\(name): sent \(done?.int("sent") ?? -1) of \(size)")
            let url = done?["url"] as? String ?? ""
            #expect(url.hasPrefix(bed.endpoint + "ses_"), "\(url)")
            #expect(try await bed.offset(url, token: token) == size)
            let sessionId = String(url.split(separator: "/").last ?? "")
            let finished = try await bed.finished(sessionId)
            #expect(finished.status == "COMPLETED" && finished.sha256 == sha256, "\(name): \(finished), want \(sha256)")
            #expect(try await bed.status(sessionId).session["fileName"] as? String == name)
        }
    }

    @Test(.enabled(if: TusPython.installed, "python3 with tuspy is not installed (pip install tuspy)"))
    func anEmptyFileIsCompleteOnceTuspyCreatesIt() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let token = try await bed.userToken("alice")
        let path = bed.folder.path("empty.bin")
        let sha256 = try await RandomFile.write(path, size: 0, seed: 0)
        let run = try TusPython(Self.arguments(endpoint: bed.endpoint, token: token, path: path, chunk: 1024, extra: ["checksum": true]),
                                logPath: bed.folder.path("empty.log"))
        let code = try await run.finish()
        let done = run.last("done")
        #expect(code == 0 && done != nil, "tuspy ended \(code): \(run.events.last ?? [:])\n\(run.stderrTail)")
        // tuspy creates the upload (POST, Upload-Length: 0) and sends no PATCH: creation finishes it.
        #expect(done?.int("patches") == 0, "\(done ?? [:])")
        let url = try #require(done?["url"] as? String)
        let finished = try await bed.finished(String(url.split(separator: "/").last ?? ""))
        #expect(finished.status == "COMPLETED" && finished.sha256 == sha256, "\(finished), want \(sha256)")
    }

    /// Where the first run of a resume test stalls: 300 KiB into its fifth 2 MiB PATCH, after the
    /// server acknowledged 8 MiB.
    static let pauseAt = 9 * mib + 300 * 1024

    @Test(.enabled(if: TusPython.installed, "python3 with tuspy is not installed (pip install tuspy)"))
    func aKilledClientsSuccessorSendsOnlyWhatTheServerLacks() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let token = try await bed.userToken("alice")
        let size = 32 * Self.mib
        let path = bed.folder.path("resume.bin")
        let sha256 = try await RandomFile.write(path, size: size, seed: 42)
        // tuspy keeps the upload's URL under the file's fingerprint: the successor finds it there.
        let base = Self.arguments(endpoint: bed.endpoint, token: token, path: path, chunk: 2 * Self.mib, extra: ["store": bed.folder.path("urls.json")])

        let first = try TusPython(base.merging(["pause_at": Self.pauseAt]) { $1 }, logPath: bed.folder.path("first.log"))
        let stalled = try await first.until { $0["event"] as? String == "stalled" }
        try await first.kill()
        let url = try #require(stalled?["url"] as? String, "the first client never stalled mid-PATCH: \(first.events.last ?? [:])\n\(first.stderrTail)")
        let acknowledged = first.last("patched")?.int("offset") ?? -1
        #expect(acknowledged == 8 * Self.mib, "four PATCHes acknowledged before the fifth stalled: \(first.events)")

        // The server may still be taking in the PATCH that was cut off: wait until HEAD stays put.
        var offset = try await bed.offset(url, token: token)
        var previous: Int?
        _ = await Patience.wait(interval: .milliseconds(500), progress: { offset }) {
            previous = offset
            offset = try? await bed.offset(url, token: token)
            return offset != nil && offset == previous
        }
        let before = try #require(offset, "HEAD after the kill has no Upload-Offset")
        #expect(before >= acknowledged && before <= Self.pauseAt,
                "HEAD says \(before): at least the \(acknowledged) acknowledged, at most the \(Self.pauseAt) sent")

        let second = try TusPython(base, logPath: bed.folder.path("second.log"))
        let code = try await second.finish()
        let ready = second.last("ready")
        let done = second.last("done")
        #expect(code == 0 && done != nil, "the successor ended \(code): \(second.events.last ?? [:])\n\(second.stderrTail)")
        #expect(ready?["url"] as? String == url, "the successor resumed the same upload: \(ready ?? [:])")
        #expect(ready?.int("offset") == before && done?.int("first_offset") == before, "it started at the server's offset \(before): \(done ?? [:])")
        #expect(done?.int("sent") == size - before, "it sent only the rest (\(size - before) bytes): \(done ?? [:])")
        let finished = try await bed.finished(String(url.split(separator: "/").last ?? ""))
        #expect(finished.status == "COMPLETED" && finished.sha256 == sha256, "\(finished), want \(sha256)")
    }

    @Test(.enabled(if: TusPython.installed, "python3 with tuspy is not installed (pip install tuspy)"))
    func anUploadResumesAfterTheServerWasKilled() async throws {
        let folder = try TemporaryFolder()
        let server = try RestartableServer(dataPath: folder.path("data"), logPath: folder.path("serve.log"))
        try await server.start()
        let made = try await UpmanBinary.run(["token", "create", "--data", folder.path("data"), "--user", "alice"])
        let token = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(made.status == 0, "\(made.stderr)")
        let admin = try String(contentsOfFile: folder.path("data/admin.token"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let size = 32 * Self.mib
        let path = folder.path("crash.bin")
        let sha256 = try await RandomFile.write(path, size: size, seed: 7)
        let base = Self.arguments(endpoint: server.url + "/files/", token: token, path: path, chunk: 2 * Self.mib,
                                  extra: ["store": folder.path("urls.json")])

        // The server dies while a PATCH is under way: the client has sent `pauseAt` bytes and waits.
        let first = try TusPython(base.merging(["pause_at": Self.pauseAt]) { $1 }, logPath: folder.path("first.log"))
        let stalled = try await first.until { $0["event"] as? String == "stalled" }
        try await server.kill()
        first.resume()
        let code = try await first.finish()
        let url = try #require(stalled?["url"] as? String, "the first client never stalled mid-PATCH: \(first.events.last ?? [:])\n\(first.stderrTail)")
        #expect(code != 0 && first.last("failed") != nil, "the client saw the server go: \(first.events.last ?? [:])")

        try await server.start()
        let offset = try #require(try await TusBed.offset(url, token: token, scratch: folder), "HEAD after the restart has no Upload-Offset\n\(server.logTail())")
        #expect(offset <= Self.pauseAt, "the server holds \(offset) bytes, more than the \(Self.pauseAt) sent before it died")

        let second = try TusPython(base, logPath: folder.path("second.log"))
        let ended = try await second.finish()
        let done = second.last("done")
        #expect(ended == 0 && done != nil, "the resumed upload ended \(ended): \(second.events.last ?? [:])\n\(second.stderrTail)\n\(server.logTail())")
        #expect(second.last("ready")?.int("offset") == offset, "it resumed at the server's offset \(offset)")
        #expect(done?.int("sent") == size - offset, "it sent only the rest: \(done ?? [:])")
        let finished = try await TusBed.finished(String(url.split(separator: "/").last ?? ""), controller: ControllerCalls(url: server.url, token: admin))
        #expect(finished.status == "COMPLETED" && finished.sha256 == sha256, "\(finished), want \(sha256)\n\(server.logTail())")
        _ = try await server.stop()
    }
}
