import Foundation
import Testing
import TestSupport

/// `upman top --server URL --token T` with no database path: everything it shows comes from the
/// server's snapshot endpoint and event feed, a user token shows only that user's groups, actions
/// go through the controller, and a server that is away shows as a connection state.
extension TopCommandTests {
    @Test(.enabled(if: TmuxSession.available, "needs tmux (.ci/run installs it)"))
    func topWithOnlyAServerShowsTheTokensGroupsAndCancels() async throws {
        let folder = try TemporaryFolder()
        let (server, url) = try await ServeProcess.start(folder)
        defer { if server.isRunning { server.terminate() } }
        let admin = try String(contentsOfFile: folder.path("data/admin.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await ControllerCalls(url: url, token: admin).call(["action": "createGroup", "name": "operators-only"])
        let made = try await UpmanBinary.run(["token", "create", "--data", folder.path("data"), "--user", "alice"])
        #expect(made.status == 0, "\(made.stderr)")
        let alice = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // Alice uploads a file, then starts a large one she never sends.
        try Data(repeating: 7, count: 5000).write(to: URL(fileURLWithPath: folder.path("notes.txt")))
        let put = try await UpmanBinary.run(["put", folder.path("notes.txt"), "--group", "alice-done", "--server", url, "--token", alice])
        #expect(put.status == 0, "\(put.stderr)")
        let calls = ControllerCalls(url: url, token: alice)
        let group = try await calls.call(["action": "createGroup", "name": "alice-photos"])
        let groupId = try #require((group["group"] as? [String: Any])?["id"] as? String)
        _ = try await calls.call(["action": "initiate", "groupId": groupId, "fileName": "holiday.bin", "size": 20_000_000])

        // No database anywhere top can see: it runs in an empty folder with only the URL and token.
        let elsewhere = folder.path("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let once = try await UpmanBinary.run(["top", "--once", "--server", url, "--token", alice])
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.stdout.contains("alice-photos") && once.stdout.contains("alice-done"), "\(once.stdout)")
        #expect(!once.stdout.contains("operators-only"), "\(once.stdout)")
        #expect(!once.stdout.contains(alice) && !once.stderr.contains(alice))

        let tmux = try await TmuxSession("sh -c 'cd \(elsewhere) && exec \(binary) top --server \(url) --token \(alice)'")
        defer { Task { await tmux.stop() } }
        try await tmux.waitFor("● live")
        try await tmux.waitFor("holiday.bin")
        let screen = try await tmux.waitFor("alice-done")
        #expect(!screen.contains("operators-only"), "\(screen)")
        #expect(!screen.contains(alice))
        #expect(!FileManager.default.fileExists(atPath: elsewhere + "/upman-data"))

        // The selected group is the most recently active one, alice-photos: c, then y.
        try await tmux.send("c")
        try await tmux.waitFor("Confirm cancel")
        try await tmux.send("y")
        try await tmux.waitFor("now CANCELLED")
        try await tmux.waitUntil("alice-photos CANCELLED") { screen in
            screen.split(separator: "\n").contains { $0.contains("alice-photos") && $0.contains("CANCELLED") }
        }

        // The server goes away: the dashboard says so and keeps running until q.
        server.terminate()
        #expect(await server.exitStatus(within: .seconds(Patience.quiet)) == 0)
        try await tmux.waitFor("reconnecting")
        try await tmux.send("q")
        try await tmux.waitUntil("the dashboard to end") { !$0.contains("reconnecting") }
    }

    @Test(.enabled(if: TmuxSession.available, "needs tmux (.ci/run installs it)"))
    func topWithAServerThatIsAwayShowsTheConnectionState() async throws {
        let folder = try TemporaryFolder()
        let tmux = try await TmuxSession("sh -c 'cd \(folder.path(".")) && exec \(binary) top --server http://127.0.0.1:9 --token secret-token-123'")
        defer { Task { await tmux.stop() } }
        let screen = try await tmux.waitFor("reconnecting")
        #expect(screen.contains("cannot reach http://127.0.0.1:9"), "\(screen)")
        #expect(!screen.contains("secret-token-123"))
        try await tmux.send("q")
        try await tmux.waitUntil("the dashboard to end") { !$0.contains("reconnecting") }
        let missing = try await UpmanBinary.run(["top", "--once", "--server", "http://127.0.0.1:9", "--token", "secret-token-123"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot reach http://127.0.0.1:9"), "\(missing.stderr)")
        #expect(!missing.stderr.contains("secret-token-123"))
    }
}
