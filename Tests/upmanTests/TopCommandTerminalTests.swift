import Foundation
import GRDB
import Testing
import TestSupport

/// What `upman top` writes to a terminal: text users chose never as control sequences, and a
/// non-UTF-8 locale still shows every border, bar and part state.
extension TopCommandTests {
    @Test(.enabled(if: TmuxSession.available, "needs tmux (.ci/run installs it)"))
    func aGroupNameWithEscapeSequencesNeverReachesTheTerminal() async throws {
        let folder = try TemporaryFolder()
        let (server, url) = try await ServeProcess.start(folder)
        defer { if server.isRunning { server.terminate() } }
        let token = try String(contentsOfFile: folder.path("data/admin.token"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let calls = ControllerCalls(url: url, token: token)
        _ = try await calls.call(["action": "createGroup", "name": "x\u{1B}]0;PWNED\u{07}\u{9B}31m"])

        let once = try await UpmanBinary.run(["top", "--once", "--data", folder.path("data")])
        #expect(once.status == 0, "\(once.stderr)")
        #expect(!once.stdout.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) })
        #expect(once.stdout.contains("x\\e]0;PWNED\\x07\\u{9B}31m"))
        let json = try await UpmanBinary.run(["top", "--once", "--json", "--data", folder.path("data")])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(((object?["groups"] as? [[String: Any]])?.first?["name"] as? String) == "x\u{1B}]0;PWNED\u{07}\u{9B}31m")

        let onceInTmux = try await TmuxSession("\(binary) top --once --data \(folder.path("data"))")
        defer { Task { await onceInTmux.stop() } }
        try await onceInTmux.waitFor("1 group")
        #expect(try await onceInTmux.title() != "PWNED")
        let live = try await TmuxSession("\(binary) top --data \(folder.path("data")) --server \(url)")
        defer { Task { await live.stop() } }
        try await live.waitFor("x\\e]0;PWNED\\x07")
        #expect(try await live.title() != "PWNED")
        try await live.send("q")
    }

    @Test(.enabled(if: TmuxSession.available, "needs tmux (.ci/run installs it)"))
    func aNonUTF8LocaleShowsBordersBarsAndPartStatesInASCII() async throws {
        let folder = try TemporaryFolder()
        let (server, _, made) = try await serverWithAFailedPart(folder)
        defer { if server.isRunning { server.terminate() } }
        let url = made["url"] as! String
        let tmux = try await TmuxSession("\(binary) top --data \(folder.path("data")) --server \(url)",
                                         environment: ["LANG": "C", "LC_ALL": "C"])
        defer { Task { await tmux.stop() } }
        try await tmux.waitFor("tmux-e2e")
        try await tmux.send("Tab")
        try await tmux.send("Tab")
        // The part map: part 1 uploaded (#), part 2 failed (x), part 3 pending (.).
        let screen = try await tmux.waitUntil("the part map in ASCII") { $0.contains("#x.") }
        #expect(screen.contains("* live"))
        #expect(!screen.contains("M-"), "ncurses' M- notation means a UTF-8 byte reached a C locale:\n\(screen)")
        let bordered = screen.split(separator: "\n").filter { $0.contains("+-") && $0.contains("---") }
        #expect(bordered.count >= 4, "borders drawn in ASCII:\n\(screen)")
        #expect(screen.contains(" upman | http://"), "\(screen)")
        try await tmux.send("q")
        let data = folder.path("data")
        let once = try await offPool {
            try runTool([UpmanBinary.url.path, "top", "--once", "--data", data], environment: ["LANG": "C", "LC_ALL": "C"])
        }
        #expect(once.code == 0)
        let ascii = once.output.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(ascii, "\(once.output)")
        #expect(once.output.contains("1 group . files 0/1 done"), "\(once.output)")
    }

    /// Another Unix user with read access only reads the database of a stopped server.
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                   "needs root and setpriv to act as another user"))
    func anotherUserReadsAStoppedServersDatabase() async throws {
        let folder = try TemporaryFolder()
        let (server, url) = try await ServeProcess.start(folder)
        let token = try String(contentsOfFile: folder.path("data/admin.token"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await ControllerCalls(url: url, token: token).call(["action": "createGroup", "name": "ro-check"])
        server.terminate()
        #expect(await server.exitStatus(within: .seconds(Patience.quiet)) == 0)
        // A stopped server usually leaves no write-ahead log, but one still open at exit may; fold it
        // in (the last connection to close checkpoints and removes -wal and -shm) for a known start.
        _ = try await DatabaseQueue(path: folder.path("data/upman.db")).writeWithoutTransaction { try $0.checkpoint(.truncate) }
        #expect(!FileManager.default.fileExists(atPath: folder.path("data/upman.db-wal")))
        // A copy of the binary that the other user may run; the folders readable, not writable.
        let bin = folder.path("upman")
        try FileManager.default.copyItem(atPath: UpmanBinary.url.path, toPath: bin)
        for path in [folder.url.path, folder.path("data"), bin] { chmod(path, 0o755) }
        chmod(folder.path("data/upman.db"), 0o644)
        func asNobody(_ arguments: [String]) async throws -> (code: Int32, output: String) {
            try await offPool {
                try runTool(["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", bin] + arguments)
            }
        }
        let once = try await asNobody(["top", "--once", "--db", folder.path("data/upman.db")])
        #expect(once.code == 0, "\(once.output)")
        #expect(once.output.contains("ro-check"))
        let check = try await asNobody(["check", "--db", folder.path("data/upman.db")])
        #expect(check.code == 0, "\(check.output)")
        #expect(check.output.hasSuffix("ok\n"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("data/upman.db-shm")))

        // A log left behind that this user cannot fold in: one line that says what to do.
        _ = FileManager.default.createFile(atPath: folder.path("data/upman.db-wal"), contents: Data(repeating: 1, count: 4096))
        chmod(folder.path("data/upman.db-wal"), 0o644)
        let stuck = try await asNobody(["top", "--once", "--db", folder.path("data/upman.db")])
        #expect(stuck.code != 0)
        #expect(stuck.output.contains("needs \(folder.path("data/upman.db-shm"))"), "\(stuck.output)")
        #expect(stuck.output.split(separator: "\n").count == 1, "\(stuck.output)")
    }
}
