import Foundation
import Testing

/// A tus upload seen from `upman top` in a real terminal (tmux): it appears under its file name
/// while a client PATCHes it piece by piece, and an operator's cancel stops it (the client's next
/// PATCH gets 410) and shows as CANCELLED.
@Suite(.serialized) struct TusTerminalTests {
    @Test(.enabled(if: TmuxSession.available, "needs tmux (.ci/run installs it)"))
    func aTusUploadShowsInTopAndAnOperatorsCancelStopsIt() async throws {
        let bed = try await TusBed.start()
        defer { bed.stop() }
        let tmux = try await TmuxSession("\(UpmanBinary.url.path) top --data \(bed.data) --server \(bed.url)")
        defer { Task { await tmux.stop() } }
        try await tmux.waitFor("● live")

        let table = TusTable(bed)
        let bytes = [UInt8](repeating: 0x61, count: 64 * 1024)
        let carol = TusAuth.user("carol")
        try await table.run([
            TusRow("create tus-top.bin", "POST", "/files/",
                   headers: ["Upload-Length": String(bytes.count), "Upload-Metadata": TusDigest.metadata(["filename": "tus-top.bin", "group": "tus-top"])],
                   auth: carol, status: [201], capture: "a"),
            .patch("the first quarter", "@a", offset: 0, Array(bytes[0..<16384]), auth: carol, status: [204],
                   checks: [.header("Upload-Offset", "16384")]),
        ])
        let first = try await tmux.waitFor("tus-top.bin")
        #expect(first.split(separator: "\n").contains { $0.contains("tus-top") && !$0.contains("tus-top.bin") },
                "the group tus-top is on screen:\n\(first)")

        // A pause, then the next piece, as a client on a slow line would send it.
        try await Task.sleep(for: .milliseconds(500))
        try await table.send(.patch("the second quarter", "@a", offset: 16384, Array(bytes[16384..<32768]), auth: carol, status: [204],
                                    checks: [.header("Upload-Offset", "32768")]))

        let cancelled = try await bed.controller.call(["action": "cancel", "sessionId": table.sessionId("a")])
        #expect((cancelled["session"] as? [String: Any])?["status"] as? String == "CANCELLED", "\(cancelled)")
        try await table.send(.patch("the PATCH after the cancel", "@a", offset: 32768, Array(bytes[32768..<49152]), auth: carol, status: [410]))
        let screen = try await tmux.waitUntil("tus-top.bin CANCELLED") { screen in
            screen.split(separator: "\n").contains { $0.contains("tus-top.bin") && $0.contains("CANCELLED") }
        }
        #expect(!screen.contains("reconnecting"), "\(screen)")
        try await tmux.send("q")
    }
}
