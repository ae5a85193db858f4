import TestSupport
import Foundation
import Testing

/// `upman top` in a real terminal (tmux) against a real `upman serve`, and `--once` for scripts.
@Suite(.serialized) struct TopCommandTests {
    let binary = UpmanBinary.url.path

    /// A server with one group: a 20 MiB file in three parts, part 1 uploaded and part 2 failed.
    func serverWithAFailedPart(_ folder: TemporaryFolder, extra: [String] = []) async throws -> (Process, ControllerCalls, [String: Any]) {
        let (process, url) = try await ServeProcess.start(folder, extra: extra)
        let token = try String(contentsOfFile: folder.path("data/admin.token"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let calls = ControllerCalls(url: url, token: token)
        let group = try await calls.call(["action": "createGroup", "name": "tmux-e2e"])
        let groupId = try #require((group["group"] as? [String: Any])?["id"] as? String)
        let initiated = try await calls.call(["action": "initiate", "groupId": groupId, "fileName": "big.bin",
                                              "size": 20 << 20, "partSize": 8 << 20])
        let session = try #require(initiated["session"] as? [String: Any])
        let sessionId = try #require(session["id"] as? String)
        let signed = try await calls.call(["action": "signParts", "sessionId": sessionId, "partNumbers": [1, 2, 3]])
        let urls = try #require(signed["parts"] as? [[String: Any]]).compactMap { $0["url"] as? String }
        #expect(urls.count == 3)
        #expect(try await calls.put(urls[0], bytes: [UInt8](repeating: 1, count: 8 << 20)) == 200)
        #expect(try await calls.put(urls[1], bytes: [UInt8](repeating: 2, count: 8 << 20), md5: "AAAAAAAAAAAAAAAAAAAAAA==") == 422)
        return (process, calls, ["groupId": groupId, "sessionId": sessionId, "urls": urls, "url": url])
    }

    @Test(.enabled(if: TmuxSession.available, "needs tmux (.ci/run installs it)"))
    func liveProgressRetryCancelDeleteAndReconnect() async throws {
        let folder = try TemporaryFolder()
        var (server, calls, made) = try await serverWithAFailedPart(folder)
        defer { if server.isRunning { server.terminate() } }
        let url = made["url"] as! String
        let tmux = try await TmuxSession("\(binary) top --data \(folder.path("data")) --server \(url)")
        defer { Task { await tmux.stop() } }
        try await tmux.waitFor("● live")
        try await tmux.waitFor("tmux-e2e")
        try await tmux.waitFor("1/3")

        // Progress appears live: part 3 arrives while the dashboard watches.
        let urls = made["urls"] as! [String]
        #expect(try await calls.put(urls[2], bytes: [UInt8](repeating: 3, count: 4 << 20)) == 200)
        try await tmux.waitFor("2/3")

        // r on the failed part reaches the controller and the part turns PENDING.
        try await tmux.send("Tab")
        try await tmux.send("Tab")
        try await tmux.send("Down")
        let before = try await tmux.screen()
        #expect(before.contains("FAILED"))
        try await tmux.send("r")
        try await tmux.waitFor("retried 1 part")
        try await tmux.waitUntil("part 2 PENDING") { screen in
            screen.split(separator: "\n").contains { $0.contains("│     2 ") && $0.contains("PENDING") }
        }

        // d asks first; any key but y declines and nothing changes.
        try await tmux.send("d")
        try await tmux.waitFor("Confirm delete")
        try await tmux.waitFor("Delete file 'big.bin'")
        try await tmux.send("n")
        try await tmux.waitFor("Delete declined: nothing changed.")
        let status = try await calls.call(["action": "status", "sessionId": made["sessionId"] as! String])
        #expect((status["sessions"] as? [Any])?.count == 1)

        // c + y on the group cancels it.
        try await tmux.send("Tab")
        try await tmux.send("Tab")
        try await tmux.send("c")
        try await tmux.waitFor("Cancel group 'tmux-e2e' (1 file)?")
        try await tmux.send("y")
        try await tmux.waitFor("cancelled group 'tmux-e2e' (1 file): now CANCELLED")
        let group = try await calls.call(["action": "status", "groupId": made["groupId"] as! String])
        #expect((group["group"] as? [String: Any])?["status"] as? String == "CANCELLED")

        // A killed server shows "reconnecting"; a restarted one brings "live" back.
        kill(server.processIdentifier, SIGKILL)
        let killed = server
        _ = try await offPool { killed.waitForExit() }
        try await tmux.waitFor("reconnecting")
        let port = String(url.split(separator: ":").last!)
        (server, _) = try await ServeProcess.start(folder, extra: ["--port", port])
        try await tmux.waitFor("● live")
        try await tmux.send("q")
        try await tmux.waitUntil("the dashboard to exit") { !$0.contains("● live") }
        _ = calls
        made = [:]
    }

    @Test(.enabled(if: TmuxSession.available, "needs tmux (.ci/run installs it)"))
    func readOnlyRefusesActionsAndTinyTerminalsGetAMessage() async throws {
        let folder = try TemporaryFolder()
        let db = folder.path("fx.db")
        let made = try await UpmanBinary.run(["fixtures", "--out", db, "--groups", "20", "--files-per-group", "4", "--seed", "5"])
        #expect(made.status == 0, "\(made.stderr)")
        let tmux = try await TmuxSession("\(binary) top --db \(db) --server http://127.0.0.1:9 --token none --readonly",
                                         width: 50, height: 12)
        defer { Task { await tmux.stop() } }
        try await tmux.waitFor("Terminal too small: 50×12")
        try await tmux.resize(width: 120, height: 36)
        try await tmux.waitFor("20 groups")
        try await tmux.waitFor("[read-only]")
        try await tmux.waitFor("reconnecting")
        let screen = try await tmux.screen()
        #expect(!screen.contains("r retry"))
        for key in ["r", "c", "d"] {
            try await tmux.send(key)
            try await tmux.waitFor("read-only: \(["r": "retry", "c": "cancel", "d": "delete"][key]!) is disabled")
        }
        try await tmux.send("?")
        try await tmux.waitFor("(disabled: read-only)")
        try await tmux.send("Escape")
        try await tmux.send("/")
        try await tmux.send("logs", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("filter \"logs\"")
        try await tmux.send("q")
        try await tmux.waitUntil("the dashboard to exit") { !$0.contains("20 groups") }
    }

    @Test func onceWorksWithOnlyTheDatabase() async throws {
        let folder = try TemporaryFolder()
        let db = folder.path("fx.db")
        let made = try await UpmanBinary.run(["fixtures", "--out", db, "--groups", "12", "--files-per-group", "3", "--seed", "9"])
        #expect(made.status == 0, "\(made.stderr)")
        let text = try await UpmanBinary.run(["top", "--db", db, "--once"])
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("NAME") == true)
        #expect(lines.count == 14)
        #expect(lines.last?.hasPrefix("12 groups · files ") == true)
        let json = try await UpmanBinary.run(["top", "--db", db, "--once", "--json", "--limit", "5"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["groups"] as? [Any])?.count == 5)
        #expect(object?["totalGroups"] as? Int == 12)
        let missing = try await UpmanBinary.run(["top", "--db", folder.path("nope.db"), "--once"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no database at"))
        let badTheme = try await UpmanBinary.run(["top", "--db", db, "--theme", "no-such-theme"])
        #expect(badTheme.status != 0)
        #expect(badTheme.stderr.contains("no theme 'no-such-theme'"))
    }
}
