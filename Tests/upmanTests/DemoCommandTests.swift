import TestSupport
import Foundation
import Testing

/// `upman demo`: the headless scenario for scripts, and the dashboard in a real terminal (tmux).
@Suite(.serialized) struct DemoCommandTests {
    let binary = UpmanBinary.url.path

    /// The data directory a headless run names on its first line.
    static func dataFolder(in output: String) -> String? {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("upman demo: server ") }),
              let range = line.range(of: ", data ")
        else { return nil }
        return line[range.upperBound...].split(separator: " ").first.map(String.init)
    }

    /// A 20 s headless run completes files, retries a part, fails the review job, and removes its folder.
    @Test func headlessRunFinishesFilesRetriesAPartFailsAJobAndCleansUp() async throws {
        let result = try await UpmanBinary.run(["demo", "--no-tui", "--duration", "20"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let out = result.stdout
        #expect(out.contains("completed "), "\(out)")
        #expect(out.contains("retrying part 2 of "), "\(out)")
        #expect(out.contains("job exec FAILED for legal-review/contract-needs-review.txt"), "\(out)")
        #expect(out.contains("stalled stalled-backup/archive.tar: part 1 of 3 sent"), "\(out)")
        #expect(out.contains("group camera-roll-1: "), "\(out)")
        #expect(out.contains("summary: "), "\(out)")
        let summary = try #require(out.split(separator: "\n").last { $0.hasPrefix("summary: ") })
        let endings = Self.endings(in: out)
        let count = { (ending: String) in endings.values.count { $0 == ending } }
        #expect(endings["legal-review/contract-needs-review.txt"] == "completed", "\(out)")
        #expect(summary.contains("\(count("completed")) completed, \(count("failed")) failed, \(count("interrupted")) interrupted"),
                "the summary counts each file once, by how it ended: \(summary) for \(endings)")
        let folder = try #require(Self.dataFolder(in: out), "\(out)")
        #expect(folder.contains("upman-demo-"))
        #expect(!FileManager.default.fileExists(atPath: folder), "\(folder) was left behind")
    }

    /// How each file ended last, by its group/name, from a headless run's lines
    /// (`completed g/n (size)`, `failed g/n: reason`, `interrupted g/n`).
    static func endings(in output: String) -> [String: String] {
        var endings: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let text = line.firstRange(of: "] ").map { line[$0.upperBound...] } ?? line[...]
            let words = text.split(separator: " ")
            guard words.count >= 2, ["completed", "failed", "interrupted"].contains(words[0]), words[1].contains("/") else { continue }
            endings[String(words[1].hasSuffix(":") ? words[1].dropLast() : words[1])] = String(words[0])
        }
        return endings
    }

    /// --keep leaves the data directory (database, admin token) and says where.
    @Test func keepLeavesTheDataDirectoryWithItsDatabase() async throws {
        let result = try await UpmanBinary.run(["demo", "--no-tui", "--duration", "3", "--keep"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let folder = try #require(Self.dataFolder(in: result.stdout), "\(result.stdout)")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(result.stdout.contains("data directory kept at \(folder)"))
        #expect(FileManager.default.fileExists(atPath: folder + "/data/upman.db"))
        #expect(FileManager.default.fileExists(atPath: folder + "/data/admin.token"))
    }

    /// SIGTERM stops a headless run early with a summary, exit status 0 and no folder left.
    @Test func sigtermEndsAHeadlessRunCleanly() async throws {
        let (result, killed) = try await UpmanBinary.runInterrupted(["demo", "--no-tui"], after: "completed ", count: 1, signal: SIGTERM)
        #expect(!killed)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("summary: "), "\(result.stdout)")
        let folder = try #require(Self.dataFolder(in: result.stdout), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: folder), "\(folder) was left behind")
    }

    /// The demo folders in the temporary directory now.
    static func demoFolders() -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)) ?? []
        return Set(names.filter { $0.hasPrefix("upman-demo-") })
    }

    /// The dashboard goes live on the demo's groups; q ends the demo with status 0 and no folder left.
    @Test(.enabled(if: TmuxSession.available, "needs tmux (.ci/run installs it)"))
    func dashboardShowsLiveUploadsAndQuitCleansUp() async throws {
        let before = Self.demoFolders()
        let tmux = try await TmuxSession("\(binary) demo; echo demo-exited-$?")
        try await tmux.waitFor("● live")
        try await tmux.waitFor("camera-roll-1")
        try await tmux.send("q")
        let screen = try await tmux.waitFor("demo-exited-0")
        #expect(screen.contains("summary: "))
        #expect(Self.demoFolders().subtracting(before).isEmpty, "the demo left its data directory behind")
        await tmux.stop()
    }
}
