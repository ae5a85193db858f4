import Dashboard
import Foundation
import Testing
import TestSupport
import UploadModel
import UploadStore

/// `upman put` on a real terminal (tmux): its progress lines stay in place at any width, a server
/// that is away is shown as such, and what it shows is what the server holds.
@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux (.ci/run installs it)"))
struct PutTerminalTests {
    let binary = UpmanBinary.url.path

    /// How many rows of the screen and scrollback show a progress line of `marker`.
    func copies(_ text: String, of marker: String) -> Int {
        text.split(separator: "\n").count { $0.contains(marker) }
    }

    @Test func aNarrowTerminalKeepsOneCopyOfEachLineThroughResizes() async throws {
        try await PartWatch.untilCaught { try await resizedRun(missIsFinal: $0) }
    }

    /// One run of `aNarrowTerminalKeepsOneCopyOfEachLineThroughResizes`; false when put was not
    /// caught mid-upload (and that is not final), having checked nothing.
    func resizedRun(missIsFinal: Bool) async throws -> Bool {
        let folder = try TemporaryFolder()
        let (server, url) = try await ServeProcess.start(folder)
        defer { server.terminate() }
        let path = folder.path("报告-a-rather-long-file-name-for-the-report.bin")
        try await RandomFile.write(path, size: 100 << 20, seed: 5)
        let pidFile = folder.path("put.pid")
        let put = PartWatch.recordingPID(pidFile, "\(binary) put '\(path)' --part-size 5MiB --concurrency 1 --server \(url) --data \(folder.path("data"))")
        let tmux = try await TmuxSession("\(put); echo put-exited-$?", width: 60, height: 30)
        defer { Task { await tmux.stop() } }
        // Narrower, then a little wider, mid-upload: put is held still at a count of parts while the
        // window changes, then let go (its SIGWINCH waits for it).
        for (parts, width) in [(3, 34), (10, 47)] {
            let held = try await PartWatch.signal(SIGSTOP, pidFile: pidFile, database: folder.path("data/upman.db")) { found in
                found.count { $0.status == .uploaded } >= parts
            }
            guard held != nil else {
                #expect(!missIsFinal, "put was never caught mid-upload, in three runs")
                return false
            }
            try await tmux.resize(width: width, height: 30)
            kill(try #require(PartWatch.pid(in: pidFile)), SIGCONT)
        }
        let end = try await tmux.waitFor("put-exited-", timeout: 180)
        #expect(end.contains("put-exited-0"), "\(end)")
        let history = try await tmux.history()
        #expect(copies(history, of: "report.bin [") <= 2, "stale copies of the progress line:\n\(history)")
        #expect(copies(history, of: "total 0/1 files") <= 2, "stale copies of the total line:\n\(history)")
        return true
    }

    @Test func aServerThatIsAwayIsShownAsWaitingNotAsDone() async throws {
        try await PartWatch.untilCaught { try await awayRun(missIsFinal: $0) }
    }

    /// One run of `aServerThatIsAwayIsShownAsWaitingNotAsDone`; false when put was not caught
    /// mid-upload (and that is not final), having checked nothing.
    func awayRun(missIsFinal: Bool) async throws -> Bool {
        let folder = try TemporaryFolder()
        let server = try RestartableServer(dataPath: folder.path("data"), logPath: folder.path("serve.log"))
        try await server.start()
        let path = folder.path("away.bin")
        try await RandomFile.write(path, size: 60 << 20, seed: 6)
        let pidFile = folder.path("put.pid")
        let put = PartWatch.recordingPID(pidFile, "\(binary) put \(path) --part-size 5MiB --concurrency 1 --patience 600s --server \(server.url) --data \(folder.path("data"))")
        let tmux = try await TmuxSession("\(put); echo put-exited-$?", width: 100, height: 30)
        defer { Task { await tmux.stop() } }
        // Held still the moment the server has two parts, while the server goes away.
        let held = try await PartWatch.signal(SIGSTOP, pidFile: pidFile, database: folder.path("data/upman.db")) { parts in
            parts.count { $0.status == .uploaded } >= 2
        }
        guard held != nil else {
            #expect(!missIsFinal, "put was never caught mid-upload, in three runs")
            try? await server.kill()
            return false
        }
        try await server.kill()
        kill(try #require(PartWatch.pid(in: pidFile)), SIGCONT)
        let waiting = try await tmux.waitFor("waiting for the server (attempt ", timeout: 60)
        #expect(waiting.contains(", next in "), "\(waiting)")
        #expect(!waiting.contains("100.0%"), "\(waiting)")
        try await server.start()
        let end = try await tmux.waitFor("put-exited-", timeout: 180)
        #expect(end.contains("put-exited-0"), "\(end)")
        #expect(!end.contains("waiting for the server"), "\(end)")
        return true
    }

    /// Ctrl-C while parts are on their way: the total shown is what the server confirmed, never the
    /// bytes still in flight; a resume's summary counts only the bytes it sent.
    @Test func anInterruptedRunShowsNoMoreThanTheServerHolds() async throws {
        try await PartWatch.untilCaught { try await interruptedRun(missIsFinal: $0) }
    }

    /// One run of `anInterruptedRunShowsNoMoreThanTheServerHolds`; false when the window to interrupt
    /// it was missed (and that is not final), having checked nothing.
    func interruptedRun(missIsFinal: Bool) async throws -> Bool {
        let folder = try TemporaryFolder()
        let (server, url) = try await ServeProcess.start(folder)
        defer { server.terminate() }
        let path = folder.path("truth.bin")
        let size: Int64 = 160 << 20
        try await RandomFile.write(path, size: Int(size), seed: 7)
        let pidFile = folder.path("put.pid")
        let put = PartWatch.recordingPID(pidFile, "\(binary) put \(path) --part-size 10MiB --concurrency 8 --server \(url) --data \(folder.path("data"))")
        let tmux = try await TmuxSession("\(put); echo put-exited-$?", width: 120, height: 30)
        defer { Task { await tmux.stop() } }
        // Held still the moment the server holds the first four of sixteen parts and is receiving
        // others, which have only begun; then Ctrl-C (SIGINT, as the terminal sends it).
        let seen = try await PartWatch.signal(SIGSTOP, pidFile: pidFile, database: folder.path("data/upman.db")) { parts in
            parts.count { $0.status == .uploaded } >= 4 && parts.contains { $0.status == .uploading }
        }
        guard seen != nil else {
            #expect(!missIsFinal, "the upload never had parts both held and in flight, in three runs")
            return false
        }
        let pid = try #require(PartWatch.pid(in: pidFile))
        kill(pid, SIGINT)
        kill(pid, SIGCONT)
        try await tmux.waitFor("put-exited-130")
        let store = try UploadReader.open(path: folder.path("data/upman.db"))
        let screen = try await tmux.capture(["-J"])
        let total = try #require(screen.split(separator: "\n").last { $0.hasPrefix("total ") }, "\(screen)")
        let shown = try #require(Self.mebibytes(in: String(total)), "\(total)")
        let hint = try #require(screen.split(separator: "\n").first { $0.contains("resume with: upman put") }, "\(screen)")
        let groupId = try #require(hint.split(separator: " ").last.map(String.init))
        let session = try #require(try await store.sessions(SessionQuery(groupId: groupId)).first)
        // Parts whose bytes had all arrived may still be recorded after put ended; the others fail.
        var parts = try await store.parts(sessionId: session.id)
        for _ in 0..<600 where parts.contains(where: { $0.status == .uploading }) {
            try await Task.sleep(for: .milliseconds(50))
            parts = try await store.parts(sessionId: session.id)
        }
        let held = parts.filter { $0.status == .uploaded }.reduce(Int64(0)) { $0 + $1.size }
        #expect(shown <= Double(held) / 1_048_576 + 0.05, "shown \(total); the server holds \(held) bytes")
        #expect(held < size, "the run was not interrupted before its end")

        let resumed = try await UpmanBinary.run(["put", path, "--resume", groupId, "--server", url, "--data", folder.path("data"), "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let summary = try #require(resumed.stdout.split(separator: "\n").compactMap { PutProcess.object(String($0)) }.last)
        let sent = try #require((summary["bytesSent"] as? NSNumber)?.int64Value, "\(summary)")
        #expect(sent >= size - held && sent < size, "the resume sent \(sent) bytes; \(size - held) were missing")
        return true
    }

    /// The first `A MiB` (or GiB/KiB/B) of a total line, in MiB.
    static func mebibytes(in line: String) -> Double? {
        let words = line.split(separator: " ")
        for (index, word) in words.enumerated() where index + 1 < words.count {
            guard let value = Double(word) else { continue }
            switch words[index + 1] {
            case "B": return value / 1_048_576
            case "KiB": return value / 1024
            case "MiB": return value
            case "GiB": return value * 1024
            default: continue
            }
        }
        return nil
    }
}
