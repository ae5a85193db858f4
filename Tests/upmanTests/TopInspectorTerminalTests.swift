import Foundation
import Testing
import TestSupport

/// The operator's views in a real terminal: a failed job found through the problems view,
/// inspected (its whole output and its history with who acted), retried from there; the filter
/// searching the database; Esc back out of each.
extension TopCommandTests {
    @Test(.enabled(if: TmuxSession.available, "needs tmux (.ci/run installs it)"))
    func problemsInspectorAndRetryInARealTerminal() async throws {
        let folder = try TemporaryFolder()
        let script = folder.path("scan.sh")
        let flag = folder.path("approved")
        try """
            #!/bin/sh
            echo "scanned 3 blocks of $UPMAN_FILE_NAME"
            if [ -e \(flag) ]; then echo clean; exit 0; fi
            echo "signature database unreachable" >&2
            exit 3
            """.write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let (server, url) = try await ServeProcess.start(folder, extra: ["--jobs", "exec", "--exec-command", script])
        defer { if server.isRunning { server.terminate() } }
        let token = try String(contentsOfFile: folder.path("data/admin.token"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let calls = ControllerCalls(url: url, token: token)
        let group = try await calls.call(["action": "createGroup", "name": "scanned-uploads"])
        let groupId = try #require((group["group"] as? [String: Any])?["id"] as? String)
        let initiated = try await calls.call(["action": "initiate", "groupId": groupId, "fileName": "report.pdf", "size": 1000])
        let put = try #require(initiated["url"] as? String)
        #expect(try await calls.put(put, bytes: [UInt8](repeating: 7, count: 1000)) == 200)

        let tmux = try await TmuxSession("\(binary) top --data \(folder.path("data")) --server \(url)")
        defer { Task { await tmux.stop() } }
        try await tmux.waitFor("● live")
        // The job fails for good (after its retries): the header counts the file and the job.
        try await tmux.waitFor("⚠ 2 problems")

        try await tmux.send("!")
        // (A screen is read whenever tmux is asked, maybe half drawn: wait for all of it.)
        try await tmux.waitUntil("the problems view with both rows") { screen in
            screen.contains("Problems 2") && screen.contains("report.pdf") && screen.contains("scanned-uploads")
                && screen.contains("execFailed")
        }

        // Enter on the job's row (the newest first: the file failed with the job) inspects it.
        try await tmux.send("Down")
        try await tmux.send("Enter")
        try await tmux.waitUntil("the job's inspector with the error and the history") { screen in
            screen.contains("Inspect · Job exec of report.pdf") && screen.contains("execFailed")
                && screen.contains("History (newest last; who acted)") && screen.contains("RUNNING → FAILED  by system")
        }
        try await tmux.send("G")
        try await tmux.waitUntil("the job's whole output, scrolled to") { screen in
            screen.contains("--- stderr ---") && screen.contains("scanned 3 blocks of report.pdf")
                && screen.contains("signature database unreachable")
        }

        // r retries what the inspector shows; the history records the operator, live.
        _ = FileManager.default.createFile(atPath: flag, contents: Data())
        try await tmux.send("g")
        try await tmux.send("r")
        try await tmux.waitFor("retried 1 job")
        try await tmux.waitUntil("the operator's retry in the history") { screen in
            screen.contains("by admin:") && screen.contains("FAILED → QUEUED")
        }
        try await tmux.waitFor("SUCCEEDED")

        // Esc goes back to the problems view, Esc again to the panes.
        try await tmux.send("Escape")
        try await tmux.waitFor("Problems")
        try await tmux.send("Escape")
        try await tmux.waitFor("Groups 1")

        // The filter searches the database; Esc clears it.
        try await tmux.send("/")
        try await tmux.send("scanned", literal: true)
        try await tmux.send("Enter")
        try await tmux.waitFor("filter \"scanned\": 1")
        try await tmux.send("Escape")
        try await tmux.waitFor("Groups: filter cleared")
        try await tmux.send("z")
        try await tmux.waitFor("'z' does nothing here: press ? for the keys")

        // Live and idle, a resize still reaches it (SIGWINCH may land on another thread).
        try await tmux.resize(width: 1, height: 1)
        try await Task.sleep(for: .milliseconds(500))
        try await tmux.resize(width: 120, height: 36)
        try await tmux.waitUntil("the whole dashboard again") { $0.contains("Groups 1") && $0.contains("scanned-uploads") }
        try await tmux.send("q")
    }
}
